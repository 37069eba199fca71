namespace Classifier.Core.Data;

/// <summary>Labelled documents held in memory for training or evaluation, with where each came from.</summary>
public sealed class LabeledDataset
{
    public required string Source { get; init; }
    public required IReadOnlyList<string> TextColumns { get; init; }
    public required string LabelColumn { get; init; }
    public required List<string> Texts { get; init; }
    public required List<string> Labels { get; init; }
    public required List<long> Lines { get; init; }
    /// <summary>Rows left out because they could not be read or had no text or label.</summary>
    public int SkippedRows { get; set; }

    public int Count => Texts.Count;

    /// <summary>Lets the text of row <paramref name="row"/> go (an empty string takes its place); its label and line stay.</summary>
    public void ReleaseText(int row) => Texts[row] = string.Empty;

    /// <summary>Lets every text go, for a caller that keeps only subsets of this dataset.</summary>
    public void ReleaseTexts()
    {
        for (int i = 0; i < Texts.Count; i++) Texts[i] = string.Empty;
    }

    /// <summary>Distinct labels in ordinal order, which fixes each label's index in a model.</summary>
    public IReadOnlyList<string> DistinctLabels() =>
        Labels.Distinct().OrderBy(l => l, StringComparer.Ordinal).ToList();

    public Dictionary<string, int> LabelCounts() =>
        Labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());

    public LabeledDataset Subset(IReadOnlyList<int> rows) => new()
    {
        Source = Source,
        TextColumns = TextColumns,
        LabelColumn = LabelColumn,
        Texts = rows.Select(i => Texts[i]).ToList(),
        Labels = rows.Select(i => Labels[i]).ToList(),
        Lines = rows.Select(i => Lines[i]).ToList(),
    };
}
