namespace Classifier.Core.Data;

/// <summary>
/// How raw label values become class names. Surrounding whitespace is removed, because it is never meant;
/// case is kept, because "US" and "us" can be different labels. Labels that then differ only in case are
/// reported by <see cref="CaseCollisions"/> so the user can fix the data.
/// </summary>
public static class LabelPolicy
{
    public static string Normalize(string? raw) => raw?.Trim() ?? "";

    public static IReadOnlyList<string[]> CaseCollisions(IEnumerable<string> labels) =>
        labels.Distinct().GroupBy(l => l.ToLowerInvariant()).Where(g => g.Count() > 1)
            .Select(g => g.OrderBy(x => x, StringComparer.Ordinal).ToArray()).ToList();
}
