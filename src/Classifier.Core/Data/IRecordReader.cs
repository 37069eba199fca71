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
    /// Yields the rows. A malformed row is reported through <paramref name="onBadRow"/> and skipped when the
    /// callback returns; when <paramref name="onBadRow"/> is null the reader throws an <see cref="InputException"/>.
    /// </summary>
    IEnumerable<Record> Read(Action<InputException>? onBadRow = null);
}
