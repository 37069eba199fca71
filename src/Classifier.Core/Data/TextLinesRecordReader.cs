namespace Classifier.Core.Data;

/// <summary>
/// Plain text, one document per line, for scoring. The id is the line number, so that results can be matched back
/// to the input. Blank lines are yielded with empty text: whether to score or drop them is the caller's choice, and
/// dropping them here would make the ids of the output skip without saying why.
/// </summary>
public sealed class TextLinesRecordReader : IRecordReader
{
    private static readonly string[] ColumnNames = ["id", "text"];
    private static readonly Dictionary<string, int> Index = RecordReaders.IndexOf(ColumnNames);

    private readonly LineSource _lines;
    private string? _first;
    private bool _started;

    public string Source { get; }
    public IReadOnlyList<string> Columns => ColumnNames;

    public TextLinesRecordReader(string path)
        : this(RecordReaders.OpenFile(path), path)
    {
    }

    /// <summary>Reads bytes (UTF-8 unless a BOM says otherwise). The reader disposes the stream.</summary>
    public TextLinesRecordReader(Stream stream, string source)
        : this(new LineSource(stream, source), source)
    {
    }

    public TextLinesRecordReader(TextReader reader, string source)
        : this(new LineSource(reader, source), source)
    {
    }

    private TextLinesRecordReader(LineSource lines, string source)
    {
        _lines = lines;
        Source = source;
        try
        {
            _first = _lines.FirstLine();
        }
        catch
        {
            _lines.Dispose();
            throw;
        }
    }

    public IEnumerable<Record> ReadAll()
    {
        if (_started) throw new InvalidOperationException("a text source can be read once; open it again to re-read it");
        _started = true;
        return ReadRows();
    }

    private IEnumerable<Record> ReadRows()
    {
        for (var text = _first; text is not null; text = _lines.Next())
        {
            _first = null;
            var line = _lines.LineNumber;
            var id = line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return new Record(line, new RowFields(ColumnNames, Index, [id, RecordReaders.Clean(text)]))
            {
                InvalidBytes = _lines.LastLineHadInvalidBytes
                    ? new BadRow(BadRowKind.InvalidUtf8, RecordReaders.InvalidUtf8, Source, line, text)
                    : null,
            };
        }
    }

    public void Dispose() => _lines.Dispose();
}
