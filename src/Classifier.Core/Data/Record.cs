namespace Classifier.Core.Data;

/// <summary>
/// One input row: its fields by column name and the 1-based line where it starts in the source file,
/// so that every later error can point back at the row.
/// </summary>
public sealed class Record
{
    public long Line { get; }
    public IReadOnlyDictionary<string, string?> Fields { get; }

    public Record(long line, IReadOnlyDictionary<string, string?> fields)
    {
        Line = line;
        Fields = fields;
    }

    public string? this[string column] => Fields.TryGetValue(column, out var v) ? v : null;
}
