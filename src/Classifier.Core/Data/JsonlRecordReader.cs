using System.Text.Json;

namespace Classifier.Core.Data;

/// <summary>
/// JSON Lines: one JSON object per line, its top-level properties becoming the fields. Strings are taken as they are,
/// numbers and booleans as their JSON text, null as null, a flat array as its items joined with ';' (so a list of
/// labels reads like a multi-label CSV field), and anything nested as its raw JSON. The columns are the union of the
/// keys of every object (of a file, collected in a first pass over its bytes; of a stream, over its first
/// <see cref="PeekLimit"/> lines), in the order they first appear; a key missing from one object is null for that row.
/// </summary>
public sealed class JsonlRecordReader : IRecordReader
{
    /// <summary>Lines of a stream read ahead for its keys, since a stream cannot be read twice.</summary>
    public const int PeekLimit = 1000;

    private const string LoneSurrogate = "line has an invalid \\u escape: half of a UTF-16 surrogate pair";

    private readonly LineSource _lines;
    private readonly Queue<(long Line, string Text, bool Invalid)> _peeked = new();
    private bool _started;

    public string Source { get; }

    public IReadOnlyList<string> Columns { get; }

    public JsonlRecordReader(string path)
        : this(RecordReaders.OpenFile(path), path, ScanKeys(path))
    {
    }

    /// <summary>
    /// Reads bytes (UTF-8 unless a BOM says otherwise). The reader disposes the stream. <paramref name="columns"/>, when
    /// known (<see cref="ScanKeys"/>), are the keys of the whole input; otherwise the first lines are read ahead for them.
    /// </summary>
    public JsonlRecordReader(Stream stream, string source, IReadOnlyList<string>? columns = null)
        : this(new LineSource(stream, source), source, columns)
    {
    }

    public JsonlRecordReader(TextReader reader, string source)
        : this(new LineSource(reader, source), source, null)
    {
    }

    private JsonlRecordReader(LineSource lines, string source, IReadOnlyList<string>? columns)
    {
        _lines = lines;
        Source = source;
        try
        {
            Columns = PeekColumns(columns);
        }
        catch
        {
            _lines.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every top-level key of every object of the file at <paramref name="path"/>, in the order they first appear. A pass
    /// over the bytes that builds no document: lines that do not parse are passed over here and reported when read.
    /// </summary>
    public static IReadOnlyList<string> ScanKeys(string path)
    {
        var keys = new JsonlKeys();
        using var lines = new LineSource(RecordReaders.OpenFile(path), path);
        while (lines.NextBytes(out var line)) keys.Add(line);
        if (lines.LineNumber == 0) throw new InputException("file is empty", path);
        return keys.Keys;
    }

    private IReadOnlyList<string> PeekColumns(IReadOnlyList<string>? known)
    {
        var first = _lines.FirstLine();
        if (known is not null)
        {
            _peeked.Enqueue((_lines.LineNumber, first, _lines.LastLineHadInvalidBytes));
            return known;
        }
        var keys = new JsonlKeys();
        for (var text = first; ; )
        {
            _peeked.Enqueue((_lines.LineNumber, text, _lines.LastLineHadInvalidBytes));
            if (!string.IsNullOrWhiteSpace(text)) keys.Add(System.Text.Encoding.UTF8.GetBytes(text));
            if (_peeked.Count >= PeekLimit) break;
            var next = _lines.Next();
            if (next is null) break;
            text = next;
        }
        return keys.Keys;
    }

    public IEnumerable<Record> ReadAll()
    {
        if (_started) throw new InvalidOperationException("a JSON Lines source can be read once; open it again to re-read it");
        _started = true;
        return ReadRows();
    }

    private IEnumerable<Record> ReadRows()
    {
        while (NextLine(out var line, out var text, out var invalid))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            string? problem;
            Dictionary<string, string?>? fields = null;
            if (TryParse(text, out var doc, out problem))
            {
                using (doc)
                {
                    try
                    {
                        fields = ToFields(doc!.RootElement);
                    }
                    catch (InvalidOperationException)
                    {
                        problem = LoneSurrogate; // System.Text.Json parses "\ud800" but cannot turn it into a string
                    }
                }
            }

            if (fields is null)
            {
                yield return Record.Bad(new BadRow(BadRowKind.NotJson, problem!, Source, line, BadRow.Cap(text, out _)));
                continue;
            }
            yield return new Record(line, fields)
            {
                InvalidBytes = invalid ? new BadRow(BadRowKind.InvalidUtf8, RecordReaders.InvalidUtf8, Source, line, BadRow.Cap(text, out _)) : null,
            };
        }
    }

    private bool NextLine(out long line, out string text, out bool invalid)
    {
        if (_peeked.TryDequeue(out var p))
        {
            (line, text, invalid) = p;
            return true;
        }
        var next = _lines.Next();
        line = _lines.LineNumber;
        text = next ?? "";
        invalid = _lines.LastLineHadInvalidBytes;
        return next is not null;
    }

    /// <summary>Parses a line that must hold one JSON object; otherwise says why not, briefly.</summary>
    private static bool TryParse(string text, out JsonDocument? doc, out string? problem)
    {
        doc = null;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            // JsonException messages end with position details that mean nothing to the user; keep the first sentence.
            var reason = e.Message;
            var cut = reason.IndexOf(". ", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut];
            problem = $"line is not a JSON object: {reason.TrimEnd('.')}";
            return false;
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            problem = $"line is not a JSON object: it is {Article(doc.RootElement.ValueKind)}";
            doc.Dispose();
            doc = null;
            return false;
        }
        problem = null;
        return true;
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "a boolean",
    };

    private static Dictionary<string, string?> ToFields(JsonElement obj)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        // A repeated key keeps its last value, as most JSON parsers do. NUL in a key becomes a space, as in values.
        foreach (var p in obj.EnumerateObject()) fields[RecordReaders.Clean(p.Name)] = ToText(p.Value);
        return fields;
    }

    private static string? ToText(JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String: return RecordReaders.Clean(v.GetString()!);
            case JsonValueKind.Null: return null;
            case JsonValueKind.Array:
                var items = new List<string>();
                foreach (var item in v.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array) return v.GetRawText();
                    if (item.ValueKind == JsonValueKind.Null) continue;
                    items.Add(item.ValueKind == JsonValueKind.String ? RecordReaders.Clean(item.GetString()!) : item.GetRawText());
                }
                return string.Join(';', items);
            default: return v.GetRawText();
        }
    }

    public void Dispose() => _lines.Dispose();
}
