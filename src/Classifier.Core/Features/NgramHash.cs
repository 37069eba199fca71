namespace Classifier.Core.Features;

/// <summary>
/// Deterministic 64-bit hashing of n-grams. string.GetHashCode is randomised per process, and a saved model
/// must map the same n-gram to the same feature in every later process, so we hash ourselves (FNV-1a, then a
/// finaliser so that similar strings spread over all bits).
/// </summary>
internal static class NgramHash
{
    public const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public const ulong WordSeed = 0x9E3779B97F4A7C15UL;
    public const ulong CharSeed = 0xC2B2AE3D27D4EB4FUL;

    public static ulong Add(ulong h, char c) => (h ^ c) * Prime;

    public static ulong Of(ReadOnlySpan<char> s)
    {
        var h = Offset;
        foreach (var c in s) h = Add(h, c);
        return h;
    }

    /// <summary>Combines the hashes of consecutive words into the hash of the word n-gram they form.</summary>
    public static ulong Combine(ulong a, ulong b) => Mix(a * 31 + b + 0x632BE59BD9B4E019UL);

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
