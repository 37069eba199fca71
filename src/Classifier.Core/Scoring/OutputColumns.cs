namespace Classifier.Core.Scoring;

/// <summary>
/// Names of the kept input columns in the output. A kept column whose name the scores use ("label", "score", the
/// --top columns, "top") is written as "input_NAME", so that the input's own label (a gold label, say) is kept beside
/// the prediction instead of being dropped or giving the output two columns of one name.
/// </summary>
public static class OutputColumns
{
    public const string RenamePrefix = "input_";

    /// <summary>Output names for <paramref name="kept"/>, in the same order.</summary>
    public static string[] KeptNames(IReadOnlyList<string> kept, IEnumerable<string> reserved)
    {
        var taken = new HashSet<string>(reserved, StringComparer.Ordinal);
        var names = new string[kept.Count];
        for (int i = 0; i < kept.Count; i++)
            if (!taken.Contains(kept[i])) names[i] = kept[i];
        foreach (var n in names) if (n is not null) taken.Add(n);
        for (int i = 0; i < kept.Count; i++)
        {
            if (names[i] is not null) continue;
            var name = RenamePrefix + kept[i];
            while (!taken.Add(name)) name = RenamePrefix + name;
            names[i] = name;
        }
        return names;
    }
}
