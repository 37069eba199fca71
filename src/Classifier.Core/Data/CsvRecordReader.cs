using System.Text.Unicode;
using CsvHelper;

namespace Classifier.Core.Data;

/// <summary>
/// CSV or TSV with a header row, streamed through CsvHelper: quoted fields may hold separators, doubled quotes and
/// line breaks; CRLF, LF and CR all end lines; a UTF-8 BOM is skipped and a UTF-16/32 BOM is honoured.
/// </summary>
public sealed class CsvRecordReader : IRecordReader
{
    /// <summary>
    /// No real text row comes near this; a longer one is a quote that never closes, and buffering it would take the
    /// memory of the whole rest of the file.
    /// </summary>
    public const int DefaultMaxRecordBytes = 64 * 1024 * 1024;

    private readonly CsvReader _csv;
    private readonly char _separator;
    private readonly string[] _columns;
    private readonly Dictionary<string, int> _index;
    private readonly int _maxRecordBytes;
    // Quoting problems that CsvHelper found, by the line where their record starts, until that record is read.
    private readonly Dictionary<long, CsvMalformedReason> _malformed = new();
    private bool _started;

    public string Source { get; }
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Reads a file; <paramref name="separator"/> is ',' or '\t'.</summary>
    public CsvRecordReader(string path, char separator)
        : this(RecordReaders.OpenFile(path), path, separator)
    {
    }

    /// <summary>Reads bytes (UTF-8 unless a BOM says otherwise), e.g. standard input. The reader disposes the stream.</summary>
    public CsvRecordReader(Stream stream, string source, char separator)
        : this(stream, null, source, separator, DefaultMaxRecordBytes)
    {
    }

    /// <summary>Reads decoded text. The reader disposes it.</summary>
    public CsvRecordReader(TextReader reader, string source, char separator)
        : this(null, reader, source, separator, DefaultMaxRecordBytes)
    {
    }

    internal CsvRecordReader(Stream? stream, TextReader? text, string source, char separator, int maxRecordBytes)
    {
        Source = source;
        _separator = separator;
        _maxRecordBytes = maxRecordBytes;
        var options = new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            DetectSeparatorHint = false,
            TrimWhitespace = false,
            // Field counts and quoting are checked here, per row, so that a bad row is reported with its line and skipped.
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = m => _malformed.TryAdd(m.RecordNumber == 1 ? 0 : m.LineNumber, m.Reason),
            MaxRecordSize = maxRecordBytes,
            BufferSize = RecordReaders.BufferSize,
        };
        _csv = stream is not null ? CsvReader.Create(stream, options) : CsvReader.Create(text!, options);
        try
        {
            _columns = ReadHeader();
            _index = RecordReaders.IndexOf(_columns);
        }
        catch
        {
            _csv.Dispose();
            throw;
        }
    }

    private string[] ReadHeader()
    {
        // NUL becomes a space in names as in values, so that none reaches the output.
        var headers = Guard(() => _csv.Headers.Select(RecordReaders.Clean).ToArray(), 1);
        if (headers.Length == 0) throw new InputException("file is empty", Source);
        // Record 1 is the header: a quoting problem there shifts every column, so nothing after it can be trusted.
        if (_malformed.Remove(0, out var reason))
            throw new InputException($"the header row is malformed: {Describe(reason)}", Source, 1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in headers)
            if (!seen.Add(h))
                throw new InputException($"duplicate column name '{h}' in the header", Source, 1, h);
        return headers;
    }

    public IEnumerable<Record> ReadAll()
    {
        if (_started) throw new InvalidOperationException("a CSV source can be read once; open it again to re-read it");
        _started = true;
        return ReadRows();
    }

    private IEnumerable<Record> ReadRows()
    {
        while (Guard(_csv.Read, null))
        {
            var line = _csv.LineNumber;
            var (problem, kind) = Check(line);
            if (problem is not null)
            {
                var bad = new BadRow(kind, problem, Source, line, RecordReaders.RawText(_csv.RawRecord));
                yield return Record.Bad(bad, new RowFields(_columns, _index, TakeValues(out _)));
                continue;
            }
            if (_csv.FieldCount != _columns.Length) continue; // a whitespace-only line, see Check
            var values = TakeValues(out var invalidColumn);
            yield return new Record(line, new RowFields(_columns, _index, values))
            {
                InvalidBytes = invalidColumn is null ? null
                    : new BadRow(BadRowKind.InvalidUtf8, $"{RecordReaders.InvalidUtf8} in column '{invalidColumn}'", Source, line,
                        RecordReaders.RawText(_csv.RawRecord)),
            };
        }
    }

    /// <summary>
    /// The fields of the current row by position (missing ones null, extra ones dropped), and the first column whose
    /// bytes are not UTF-8. Checked on the bytes, so that a literal U+FFFD is text like any other.
    /// </summary>
    private string?[] TakeValues(out string? invalidColumn)
    {
        invalidColumn = null;
        var taken = new string?[_columns.Length];
        var n = Math.Min(_csv.FieldCount, taken.Length);
        // One pass over the record's bytes as they lie in the buffer; only a record that fails it is checked field by field.
        var clean = Utf8.IsValid(_csv.RawRecord);
        for (var i = 0; i < n; i++)
        {
            if (!clean && invalidColumn is null && !Utf8.IsValid(_csv.GetSpan(i))) invalidColumn = _columns[i];
            taken[i] = RecordReaders.Clean(_csv.GetString(i));
        }
        return taken;
    }

    /// <summary>What is wrong with the shape of the current row (quoting, field count), or null.</summary>
    private (string? Problem, BadRowKind Kind) Check(long line)
    {
        if (_malformed.Remove(line, out var reason) && !(_separator == '\t' && reason == CsvMalformedReason.StrayQuote))
            return (Describe(reason) + Swallowed(line), BadRowKind.Quoting);
        var n = _csv.FieldCount;
        if (n != _columns.Length)
        {
            // A line of spaces left by hand-editing is an empty line, not a row with a missing field.
            if (n == 1 && string.IsNullOrWhiteSpace(_csv.GetString(0))) return (null, default);
            return ($"row has {n} field{(n == 1 ? "" : "s")}, header has {_columns.Length}", BadRowKind.FieldCount);
        }
        return (null, default);
    }

    /// <summary>
    /// A quote closed lines later makes one bad row of every line in between: name them, since they are lost as rows.
    /// </summary>
    private string Swallowed(long line)
    {
        var raw = _csv.RawRecord;
        var end = raw.Length;
        while (end > 0 && raw[end - 1] is (byte)'\n' or (byte)'\r') end--; // the input's last line break, inside a quote left open
        raw = raw[..end];
        long breaks = 0;
        for (var i = 0; i < raw.Length; i++)
            if (raw[i] == (byte)'\n' || (raw[i] == (byte)'\r' && (i + 1 == raw.Length || raw[i + 1] != (byte)'\n'))) breaks++;
        return breaks switch
        {
            0 => "",
            1 => $" (line {line + 1} was read as part of this row)",
            _ => $" (lines {line + 1}-{line + breaks} were read as part of this row)",
        };
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote =>
            "unbalanced quote: a quoted field that starts in this row is never closed, so it ran to the end of the input",
        CsvMalformedReason.StrayQuote => "unbalanced quote: a quote inside an unquoted field (quote the field and double the quote)",
        CsvMalformedReason.TextAfterClosingQuote => "unbalanced quote: text after the closing quote of a field",
        CsvMalformedReason.LineBreakInQuotes => "line break inside a quoted field",
        _ => $"malformed row ({reason})",
    };

    /// <summary>Turns CsvHelper's and the stream's failures into messages that name the source and line.</summary>
    private T Guard<T>(Func<T> read, long? line)
    {
        try
        {
            return read();
        }
        catch (CsvFormatException e) when (e.Message.Contains("MaxRecordSize", StringComparison.Ordinal))
        {
            throw new InputException(
                $"unbalanced quote or oversized row: the row is longer than the limit of {Size(_maxRecordBytes)}, so a quoted field is probably never closed (or one document is larger than the limit)",
                Source, e.LineNumber > 0 ? e.LineNumber : line, inner: e);
        }
        catch (CsvFormatException e)
        {
            throw new InputException($"malformed CSV: {e.Message}", Source, e.LineNumber > 0 ? e.LineNumber : line, inner: e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InputException($"cannot read: {e.Message}", Source, line, inner: e);
        }
    }

    private static string Size(int bytes) => bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? $"{bytes >> 20} MB" : $"{bytes:N0} bytes";

    public void Dispose() => _csv.Dispose();
}
