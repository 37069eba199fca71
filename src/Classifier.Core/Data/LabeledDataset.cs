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

    /// <summary>
    /// Set when the texts were left on disk (<see cref="DatasetLoader.Load"/> with a way to read them again): every
    /// entry of <see cref="Texts"/> is then empty until <see cref="LoadTexts"/>, and training reads them as it counts.
    /// </summary>
    public TextsOnDisk? OnDisk { get; internal set; }

    /// <summary>Reads the texts left on disk into <see cref="Texts"/>, for a use that needs them all (folds, tuning).</summary>
    public void LoadTexts(CancellationToken cancel = default)
    {
        if (OnDisk is null) return;
        foreach (var (row, text) in OnDisk.Read(cancel)) Texts[row] = text;
        OnDisk = null;
    }

    /// <summary>
    /// A labelled file or folder as `train --data` reads it (CSV, TSV, JSON Lines, fastText lines, a folder of label
    /// folders; the format from the extension; .gz decompressed), its text in <paramref name="textColumns"/> (joined;
    /// default "text"). A bad row stops the load with an <see cref="InputException"/> naming the file and line.
    /// </summary>
    public static LabeledDataset Load(string path, string labelColumn = "label", params string[] textColumns)
    {
        using var reader = RecordReaders.Open(path, DataFormat.Auto);
        return DatasetLoader.Load(reader, textColumns.Length == 0 ? ["text"] : textColumns, labelColumn, new BadRowLedger(BadRowMode.Fail));
    }

    /// <summary>Documents given in code: (text, label) pairs, line numbers counting from 1, named <paramref name="source"/>.</summary>
    public static LabeledDataset Of(IEnumerable<(string Text, string Label)> pairs, string source = "(in memory)")
    {
        var list = pairs.ToList();
        return new LabeledDataset
        {
            Source = source,
            TextColumns = ["text"],
            LabelColumn = "label",
            Texts = list.Select(p => p.Text ?? throw new ArgumentException("a text is null", nameof(pairs))).ToList(),
            Labels = list.Select(p => p.Label ?? throw new ArgumentException("a label is null", nameof(pairs))).ToList(),
            Lines = Enumerable.Range(1, list.Count).Select(i => (long)i).ToList(),
        };
    }

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

    /// <summary>Rows <paramref name="rows"/> of this dataset, in that order (increasing when its texts are on disk: they are read in file order).</summary>
    public LabeledDataset Subset(IReadOnlyList<int> rows) => new()
    {
        Source = Source,
        TextColumns = TextColumns,
        LabelColumn = LabelColumn,
        Texts = rows.Select(i => Texts[i]).ToList(),
        Labels = rows.Select(i => Labels[i]).ToList(),
        Lines = rows.Select(i => Lines[i]).ToList(),
        OnDisk = OnDisk?.Subset(rows),
    };
}
