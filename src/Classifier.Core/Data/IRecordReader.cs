namespace Classifier.Core.Data;

/// <summary>
/// A streaming source of records. Readers never load a whole file: they yield rows as they parse them,
/// so that memory stays flat whatever the input size.
/// </summary>
public interface IRecordReader : IDisposable
{
    /// <summary>Source name for messages (path, or "stdin").</summary>
    string Source { get; }

    /// <summary>Column names known before reading rows (the CSV header; fixed names for the other formats).</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// Yields every record in input order, bad ones included (with <see cref="Record.Problem"/> or
    /// <see cref="Record.InvalidBytes"/> set). Blank lines are not records. Failures that end the input (an unreadable
    /// stream, a truncated .gz, a runaway quote) throw an <see cref="InputException"/>.
    /// </summary>
    IEnumerable<Record> ReadAll();

    /// <summary>
    /// The columns the caller will use, told before <see cref="ReadAll"/>. A columnar reader (Parquet) then decodes only
    /// these, and its records hold only these; a reader of rows must parse them whole anyway, and keeps every column.
    /// </summary>
    void UseColumns(IReadOnlySet<string> columns)
    {
    }
}

public static class RecordReaderExtensions
{
    /// <summary>
    /// Yields the good rows. A bad row (a problem or invalid bytes) is reported through <paramref name="onBadRow"/>
    /// and skipped when the callback returns; when <paramref name="onBadRow"/> is null the reader throws an
    /// <see cref="InputException"/> at the first one.
    /// </summary>
    public static IEnumerable<Record> Read(this IRecordReader reader, Action<BadRow>? onBadRow = null)
    {
        foreach (var record in reader.ReadAll())
        {
            if (record.Issue is { } bad)
            {
                if (onBadRow is null) throw bad.ToException();
                onBadRow(bad);
                continue;
            }
            yield return record;
        }
    }
}
