namespace Classifier.Core.Data;

/// <summary>Reads a labelled file into memory, validating columns first and counting the rows it leaves out.</summary>
public static class DatasetLoader
{
    /// <param name="badRows">Counts and reports each row left out (and stops the load under its limit); a new one when null.</param>
    public static LabeledDataset Load(IRecordReader reader, IReadOnlyList<string> textColumns, string labelColumn,
        BadRowLedger? badRows = null, CancellationToken cancel = default, LabelSpec? labels = null)
    {
        labels ??= LabelSpec.Single;
        badRows ??= new BadRowLedger();
        var texts = textColumns.Select(c => ColumnSelection.Resolve(c, reader.Columns, reader.Source, "text")).ToList();
        ColumnSelection.RequireText(reader, texts);
        var label = ColumnSelection.Resolve(labelColumn, reader.Columns, reader.Source, "label");
        reader.UseColumns(texts.Append(label).ToHashSet(StringComparer.Ordinal));
        var data = new LabeledDataset
        {
            Source = reader.Source,
            TextColumns = texts,
            LabelColumn = label,
            Texts = new(),
            Labels = new(),
            Lines = new(),
        };
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
            data.Texts.Add(text);
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
