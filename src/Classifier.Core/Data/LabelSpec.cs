namespace Classifier.Core.Data;

/// <summary>
/// How a label cell becomes a label: trimmed, optionally renamed through a <see cref="LabelMap"/>, and in
/// multi-label mode split on <see cref="Separator"/> into a set that is stored joined by the separator.
/// </summary>
public sealed record LabelSpec(string? Separator = null, LabelMap? Map = null, bool KeepEmpty = true)
{
    public static readonly LabelSpec Single = new();

    public bool MultiLabel => Separator is not null;

    /// <summary>The label (or joined label set) to learn, or null with the reason when the row must be skipped.</summary>
    public (string? Label, string? Problem) Apply(string? cell)
    {
        var value = LabelPolicy.Normalize(cell);
        if (!MultiLabel)
        {
            if (value.Length == 0) return (null, "row has no label");
            if (Map is null) return (value, null);
            var mapped = Map.Apply(value);
            return mapped is null ? (null, $"label '{value}' is not in the label map") : (mapped, null);
        }
        var set = LabelSets.Parse(value, Separator!, Map);
        if (set.Length == 0 && !KeepEmpty) return (null, "row has no label");
        return (string.Join(Separator, set), null);
    }
}
