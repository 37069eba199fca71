namespace Classifier.Core.Data;

/// <summary>
/// One input row: its fields by column name and the 1-based line where it starts in the source file,
/// so that every later error can point back at the row. Readers yield bad rows too, in their place, so that
/// callers can keep, drop or stop at them and count positions (for `--shard`) over every record.
/// </summary>
public sealed class Record
{
    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>();

    public long Line { get; }
    public IReadOnlyDictionary<string, string?> Fields { get; }

    /// <summary>
    /// Set when the row could not be read as a row (its shape is wrong, or its file could not be read): its fields are
    /// then whatever could be recovered by position, and must not be trusted.
    /// </summary>
    public BadRow? Problem { get; init; }

    /// <summary>
    /// Set when the row held bytes that are not UTF-8: the fields are complete, with each bad sequence replaced by
    /// U+FFFD. A literal U+FFFD in valid UTF-8 does not set it.
    /// </summary>
    public BadRow? InvalidBytes { get; init; }

    /// <summary>The file this record came from when it is not the reader's source (a file of a folder).</summary>
    public string? File { get; init; }

    public Record(long line, IReadOnlyDictionary<string, string?> fields)
    {
        Line = line;
        Fields = fields;
    }

    /// <summary>A record that could not be read, with the fields that could be recovered (none by default).</summary>
    public static Record Bad(BadRow problem, IReadOnlyDictionary<string, string?>? fields = null, string? file = null) =>
        new(problem.Line ?? 0, fields ?? NoFields) { Problem = problem, File = file };

    public string? this[string column] => Fields.TryGetValue(column, out var v) ? v : null;

    /// <summary>
    /// A bad row found in this record after reading (no label, no text), placed as its reader places it: the file of a
    /// folder without a line, else <paramref name="source"/> and the record's line.
    /// </summary>
    public BadRow Flag(BadRowKind kind, string reason, string source, string? column = null) =>
        new(kind, reason, File ?? source, File is null ? Line : null, null, column);

    /// <summary>What is wrong with the row, if anything: a problem first, then invalid bytes.</summary>
    public BadRow? Issue => Problem ?? InvalidBytes;
}
