namespace Classifier.Core.Data;

/// <summary>Reads a labelled file into memory, validating columns first and counting the rows it leaves out.</summary>
public static class DatasetLoader
{
    /// <summary>Distinct labels kept as one string each; past this many (labels that are ids, say) each row keeps its own.</summary>
    private const int MaxSharedLabels = 1 << 16;

    /// <param name="badRows">Counts and reports each row left out (and stops the load under its limit); a new one when null.</param>
    /// <param name="reopen">
    /// Leave the texts on disk: each is measured and let go, and <see cref="LabeledDataset.OnDisk"/> reads them again
    /// through a new reader of the same input from this (see <see cref="TextsOnDisk"/>). Null: keep them in memory.
    /// </param>
    public static LabeledDataset Load(IRecordReader reader, IReadOnlyList<string> textColumns, string labelColumn,
        BadRowLedger? badRows = null, CancellationToken cancel = default, LabelSpec? labels = null, Func<IRecordReader>? reopen = null)
    {
        labels ??= LabelSpec.Single;
        badRows ??= new BadRowLedger();
        var texts = textColumns.Select(c => ColumnSelection.Resolve(c, reader.Columns, reader.Source, "text")).ToList();
        ColumnSelection.RequireText(reader, texts);
        var label = ColumnSelection.Resolve(labelColumn, reader.Columns, reader.Source, "label");
        var columns = texts.Append(label).ToHashSet(StringComparer.Ordinal);
        reader.UseColumns(columns);
        var onDisk = reopen is null ? null : new TextsOnDisk(reopen, texts, columns);
        var data = new LabeledDataset
        {
            Source = reader.Source,
            TextColumns = texts,
            LabelColumn = label,
            Texts = new(),
            Labels = new(),
            Lines = new(),
            OnDisk = onDisk,
        };
        // Each row's label is one of a few strings: kept once each, not once a row (2.5 million rows of 3 GB held 180 MB of copies).
        var distinct = new Dictionary<string, string>(StringComparer.Ordinal);
        var before = badRows.Total;
        BadRow? first = null;
        long read = 0;
        void Skip(BadRow row)
        {
            first ??= row with { Raw = null };
            badRows.Add(row);
        }
        foreach (var record in reader.ReadAll())
        {
            cancel.ThrowIfCancellationRequested();
            read++;
            if (record.Issue is { } issue)
            {
                Skip(issue);
                continue;
            }
            var (value, problem) = labels.Apply(record[label]);
            if (value is null)
            {
                Skip(record.Flag(BadRowKind.NoLabel, problem!, reader.Source, label));
                continue;
            }
            var text = ColumnSelection.JoinText(record, texts);
            if (string.IsNullOrWhiteSpace(text))
            {
                Skip(record.Flag(BadRowKind.EmptyText, "row has no text", reader.Source));
                continue;
            }
            onDisk?.Add(read - 1, text.Length);
            data.Texts.Add(onDisk is null ? text : string.Empty);
            if (distinct.TryGetValue(value, out var same)) value = same;
            else if (distinct.Count < MaxSharedLabels) distinct[value] = value;
            data.Labels.Add(value);
            data.Lines.Add(record.Line);
        }
        data.SkippedRows = (int)Math.Min(int.MaxValue, badRows.Total - before);
        if (data.Count == 0)
        {
            var why = data.SkippedRows > 0 ? $"all {data.SkippedRows} rows were skipped (first: {first!.Describe()})" : "no data rows";
            throw new InputException($"no usable rows: {why}", reader.Source);
        }
        badRows.CheckShare(read, reader.Source, badRows.Total - before);
        return data;
    }
}
