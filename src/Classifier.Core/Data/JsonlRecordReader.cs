using System.Text.Json;

namespace Classifier.Core.Data;

/// <summary>
/// JSON Lines: one JSON object per line, its top-level properties becoming the fields. Strings are taken as they are,
/// numbers and booleans as their JSON text, null as null, a flat array as its items joined with ';' (so a list of
/// labels reads like a multi-label CSV field), and anything nested as its raw JSON.
/// </summary>
public sealed class JsonlRecordReader : IRecordReader
{
    // Lines read while looking for the first object, so that Columns is known before Read without reading twice.
    // Capped so that a file of garbage does not get buffered whole: Columns is then empty.
    private const int PeekLimit = 1000;

    private const string LoneSurrogate = "line has an invalid \\u escape: half of a UTF-16 surrogate pair";

    private readonly LineSource _lines;
    private readonly Queue<(long Line, string Text)> _peeked = new();
    private bool _started;

    public string Source { get; }

    /// <summary>The keys of the first object in the input; later objects may have others.</summary>
    public IReadOnlyList<string> Columns { get; }

    public JsonlRecordReader(string path)
        : this(RecordReaders.OpenFile(path), path)
    {
    }

    /// <summary>Reads bytes (UTF-8 unless a BOM says otherwise). The reader disposes the stream.</summary>
    public JsonlRecordReader(Stream stream, string source)
        : this(new LineSource(stream, source), source)
    {
    }

    public JsonlRecordReader(TextReader reader, string source)
        : this(new LineSource(reader, source), source)
    {
    }

    private JsonlRecordReader(LineSource lines, string source)
    {
        _lines = lines;
        Source = source;
        try
        {
            Columns = PeekColumns();
        }
        catch
        {
            _lines.Dispose();
            throw;
        }
    }

    private string[] PeekColumns()
    {
        var text = _lines.FirstLine();
        while (true)
        {
            _peeked.Enqueue((_lines.LineNumber, text));
            if (!string.IsNullOrWhiteSpace(text) && TryParse(text, out var doc, out _))
            {
                using (doc)
                {
                    try
                    {
                        return doc!.RootElement.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.Ordinal).ToArray();
                    }
                    catch (InvalidOperationException)
                    {
                        // A key with a lone surrogate: this line is a bad row (see ReadRows); look further.
                    }
                }
            }
            if (_peeked.Count >= PeekLimit) return [];
            var next = _lines.Next();
            if (next is null) return [];
            text = next;
        }
    }

    public IEnumerable<Record> Read(Action<InputException>? onBadRow = null)
    {
        if (_started) throw new InvalidOperationException("a JSON Lines source can be read once; open it again to re-read it");
        _started = true;
        return ReadRows(onBadRow);
    }

    private IEnumerable<Record> ReadRows(Action<InputException>? onBadRow)
    {
        while (NextLine(out var line, out var text))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            string? problem;
            Dictionary<string, string?>? fields = null;
            if (RecordReaders.HasInvalidUtf8(text)) problem = RecordReaders.InvalidUtf8;
            else if (TryParse(text, out var doc, out problem))
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
                var error = new InputException(problem!, Source, line);
                if (onBadRow is null) throw error;
                onBadRow(error);
                continue;
            }
            yield return new Record(line, fields);
        }
    }

    private bool NextLine(out long line, out string text)
    {
        if (_peeked.TryDequeue(out var p))
        {
            (line, text) = p;
            return true;
        }
        var next = _lines.Next();
        line = _lines.LineNumber;
        text = next ?? "";
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
        // A repeated key keeps its last value, as most JSON parsers do.
        foreach (var p in obj.EnumerateObject()) fields[p.Name] = ToText(p.Value);
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
