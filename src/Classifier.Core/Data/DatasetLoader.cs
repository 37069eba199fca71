namespace Classifier.Core.Data;

/// <summary>Reads a labelled file into memory, validating columns first and collecting skipped rows.</summary>
public static class DatasetLoader
{
    /// <param name="onSkipped">Called for each row left out, so the caller can warn as it goes.</param>
    public static LabeledDataset Load(IRecordReader reader, IReadOnlyList<string> textColumns, string labelColumn,
        Action<InputException>? onSkipped = null, CancellationToken cancel = default, LabelSpec? labels = null)
    {
        labels ??= LabelSpec.Single;
        var texts = textColumns.Select(c => ColumnSelection.Resolve(c, reader.Columns, reader.Source, "text")).ToList();
        var label = ColumnSelection.Resolve(labelColumn, reader.Columns, reader.Source, "label");
        var data = new LabeledDataset
        {
            Source = reader.Source,
            TextColumns = texts,
            LabelColumn = label,
            Texts = new(),
            Labels = new(),
            Lines = new(),
        };
        void Skip(InputException e)
        {
            data.Skipped.Add(e);
            onSkipped?.Invoke(e);
        }
        foreach (var record in reader.Read(Skip))
        {
            cancel.ThrowIfCancellationRequested();
            var (value, problem) = labels.Apply(record[label]);
            if (value is null)
            {
                Skip(new InputException(problem!, reader.Source, record.Line, label));
                continue;
            }
            var text = ColumnSelection.JoinText(record, texts);
            if (string.IsNullOrWhiteSpace(text))
            {
                Skip(new InputException("row has no text", reader.Source, record.Line));
                continue;
            }
            data.Texts.Add(text);
            data.Labels.Add(value);
            data.Lines.Add(record.Line);
        }
        if (data.Count == 0)
        {
            var why = data.Skipped.Count > 0 ? $"all {data.Skipped.Count} rows were skipped (first: {data.Skipped[0].Describe()})" : "no data rows";
            throw new InputException($"no usable rows: {why}", reader.Source);
        }
        return data;
    }
}
