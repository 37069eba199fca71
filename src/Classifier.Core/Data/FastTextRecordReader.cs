namespace Classifier.Core.Data;

/// <summary>
/// fastText training lines: <c>__label__sport __label__europe some text</c>. The leading <c>__label__</c> tokens are
/// the labels (joined with ';', as in a multi-label CSV field); the rest of the line is the text. A label token later
/// in the line is left in the text: only the leading ones are read as labels. Unlabelled (scoring), a line without a
/// label is a document like any other, with an empty label: the labels are never part of the text.
/// </summary>
public sealed class FastTextRecordReader : IRecordReader
{
    public const string LabelPrefix = "__label__";

    private static readonly string[] ColumnNames = ["label", "text"];
    private static readonly Dictionary<string, int> Index = RecordReaders.IndexOf(ColumnNames);

    private readonly LineSource _lines;
    private readonly bool _labelled;
    private string? _first;
    private bool _started;

    public string Source { get; }
    public IReadOnlyList<string> Columns => ColumnNames;

    public FastTextRecordReader(string path, bool labelled = true)
        : this(RecordReaders.OpenFile(path), path, labelled)
    {
    }

    /// <summary>Reads bytes (UTF-8 unless a BOM says otherwise). The reader disposes the stream.</summary>
    public FastTextRecordReader(Stream stream, string source, bool labelled = true)
        : this(new LineSource(stream, source), source, labelled)
    {
    }

    public FastTextRecordReader(TextReader reader, string source, bool labelled = true)
        : this(new LineSource(reader, source), source, labelled)
    {
    }

    private FastTextRecordReader(LineSource lines, string source, bool labelled)
    {
        _lines = lines;
        _labelled = labelled;
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
        if (_started) throw new InvalidOperationException("a fastText source can be read once; open it again to re-read it");
        _started = true;
        return ReadRows();
    }

    private IEnumerable<Record> ReadRows()
    {
        for (var text = _first; text is not null; text = _lines.Next())
        {
            _first = null;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var line = _lines.LineNumber;
            var problem = Parse(text, _labelled, out var labels, out var body);
            if (problem is not null)
            {
                yield return Record.Bad(new BadRow(BadRowKind.NoLabel, problem, Source, line, text),
                    new RowFields(ColumnNames, Index, [labels, body]));
                continue;
            }
            yield return new Record(line, new RowFields(ColumnNames, Index, [labels, body]))
            {
                InvalidBytes = _lines.LastLineHadInvalidBytes
                    ? new BadRow(BadRowKind.InvalidUtf8, RecordReaders.InvalidUtf8, Source, line, text)
                    : null,
            };
        }
    }

    /// <summary>
    /// Splits a line into its labels and text; returns what is wrong with it, or null. Unlabelled, a line needs no
    /// label, and an empty '__label__' is passed over.
    /// </summary>
    internal static string? Parse(string text, bool labelled, out string labels, out string body)
    {
        labels = "";
        var found = new List<string>();
        var pos = 0;
        string? problem = null;
        while (true)
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
            if (string.CompareOrdinal(text, pos, LabelPrefix, 0, LabelPrefix.Length) != 0) break;
            var end = pos;
            while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
            var label = RecordReaders.Clean(text[(pos + LabelPrefix.Length)..end]);
            if (label.Length == 0) problem ??= "empty label: '__label__' is followed by nothing";
            else if (!found.Contains(label)) found.Add(label);
            pos = end;
        }
        body = RecordReaders.Clean(text[pos..].TrimEnd());
        labels = string.Join(';', found);
        if (!labelled) return null;
        if (problem is not null) return problem;
        return found.Count == 0 ? "no __label__ prefix" : null;
    }

    public void Dispose() => _lines.Dispose();
}
