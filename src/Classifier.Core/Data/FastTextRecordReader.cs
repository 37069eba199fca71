namespace Classifier.Core.Data;

/// <summary>
/// fastText training lines: <c>__label__sport __label__europe some text</c>. The leading <c>__label__</c> tokens are
/// the labels (joined with ';', as in a multi-label CSV field); the rest of the line is the text. A label token later
/// in the line is left in the text: only the leading ones are read as labels.
/// </summary>
public sealed class FastTextRecordReader : IRecordReader
{
    public const string LabelPrefix = "__label__";

    private static readonly string[] ColumnNames = ["label", "text"];
    private static readonly Dictionary<string, int> Index = RecordReaders.IndexOf(ColumnNames);

    private readonly LineSource _lines;
    private string? _first;
    private bool _started;

    public string Source { get; }
    public IReadOnlyList<string> Columns => ColumnNames;

    public FastTextRecordReader(string path)
        : this(RecordReaders.OpenFile(path), path)
    {
    }

    /// <summary>Reads bytes (UTF-8 unless a BOM says otherwise). The reader disposes the stream.</summary>
    public FastTextRecordReader(Stream stream, string source)
        : this(new LineSource(stream, source), source)
    {
    }

    public FastTextRecordReader(TextReader reader, string source)
        : this(new LineSource(reader, source), source)
    {
    }

    private FastTextRecordReader(LineSource lines, string source)
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

    public IEnumerable<Record> Read(Action<InputException>? onBadRow = null)
    {
        if (_started) throw new InvalidOperationException("a fastText source can be read once; open it again to re-read it");
        _started = true;
        return ReadRows(onBadRow);
    }

    private IEnumerable<Record> ReadRows(Action<InputException>? onBadRow)
    {
        for (var text = _first; text is not null; text = _lines.Next())
        {
            _first = null;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var line = _lines.LineNumber;
            var problem = Parse(text, out var labels, out var body);
            if (problem is not null)
            {
                var error = new InputException(problem, Source, line);
                if (onBadRow is null) throw error;
                onBadRow(error);
                continue;
            }
            yield return new Record(line, new RowFields(ColumnNames, Index, [labels, body]));
        }
    }

    /// <summary>Splits a line into its labels and text; returns what is wrong with it, or null.</summary>
    internal static string? Parse(string text, out string labels, out string body)
    {
        labels = body = "";
        if (RecordReaders.HasInvalidUtf8(text)) return RecordReaders.InvalidUtf8;
        var found = new List<string>();
        var pos = 0;
        while (true)
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
            if (string.CompareOrdinal(text, pos, LabelPrefix, 0, LabelPrefix.Length) != 0) break;
            var end = pos;
            while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
            var label = RecordReaders.Clean(text[(pos + LabelPrefix.Length)..end]);
            if (label.Length == 0) return "empty label: '__label__' is followed by nothing";
            if (!found.Contains(label)) found.Add(label);
            pos = end;
        }
        if (found.Count == 0) return "no __label__ prefix";
        labels = string.Join(';', found);
        body = RecordReaders.Clean(text[pos..].TrimEnd());
        return null;
    }

    public void Dispose() => _lines.Dispose();
}
