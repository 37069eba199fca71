namespace Classifier.Core.Features;

/// <summary>A short English stop-word list (function words only), used with --stop-words.</summary>
internal static class StopWords
{
    private static readonly HashSet<ulong> Hashes = BuildHashes();

    public static bool Contains(ReadOnlySpan<char> lowerToken) => Hashes.Contains(NgramHash.Of(lowerToken));

    private static HashSet<ulong> BuildHashes()
    {
        const string words =
            "a about above after again against all am an and any are as at be because been before being below between both but by " +
            "can could did do does doing down during each few for from further had has have having he her here hers herself him " +
            "himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other " +
            "our ours ourselves out over own same she should so some such than that the their theirs them themselves then there " +
            "these they this those through to too under until up very was we were what when where which while who whom why will " +
            "with would you your yours yourself yourselves also s t ll re ve d m";
        return words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => NgramHash.Of(w)).ToHashSet();
    }
}
