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
        : this(RecordReaders.OpenFile(path), path, KeysIfRereadable(path))
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
    public static IReadOnlyList<string> ScanKeys(string path) => ScanKeys(path, ParallelScanBytes);

    /// <summary>
    /// <see cref="ScanKeys"/> for a regular file; null for a pipe, a FIFO or a device (<c>&lt;(cat f.jsonl)</c>), which
    /// cannot be read twice: its columns then come from its first lines, as for stdin.
    /// </summary>
    public static IReadOnlyList<string>? KeysIfRereadable(string path) =>
        FileNode.Of(path).Kind == FileNodeKind.Regular ? ScanKeys(path) : null;

    /// <param name="parallelFrom">Files of at least this many bytes are scanned in parts, in parallel.</param>
    internal static IReadOnlyList<string> ScanKeys(string path, long parallelFrom)
    {
        var parts = KeyScanParts(path, parallelFrom);
        if (parts is null)
        {
            var keys = new JsonlKeys();
            using var lines = new LineSource(RecordReaders.OpenFile(path), path);
            while (lines.NextBytes(out var line)) keys.Add(line);
            if (lines.LineNumber == 0) throw new InputException("file is empty", path);
            return keys.Keys;
        }
        // A large plain file is cut into parts at line starts and scanned on every core: this pass is all that stands
        // between the user and the first scored row. Merged in file order, the keys keep their first-seen order.
        var found = new JsonlKeys[parts.Count - 1];
        Parallel.For(0, found.Length, k =>
        {
            var part = new JsonlKeys();
            using var lines = new LineSource(new SliceStream(RecordReaders.OpenFile(path), parts[k], parts[k + 1]), path, byteOrderMarks: k == 0);
            while (lines.NextBytes(out var line)) part.Add(line);
            found[k] = part;
        });
        var merged = new JsonlKeys();
        foreach (var part in found) merged.AddAll(part.Keys);
        return merged.Keys;
    }

    /// <summary>
    /// Where to cut a plain UTF-8 file of more than <see cref="ParallelScanBytes"/> for the key pass: offsets just after
    /// a line feed, with 0 first and the length last; null to scan it in one piece (.gz, small, one core, a UTF-16 or
    /// UTF-32 byte order mark).
    /// </summary>
    private static List<long>? KeyScanParts(string path, long parallelFrom)
    {
        var cores = Math.Min(Environment.ProcessorCount, 4);
        if (cores < 2 || path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return null;
        using var file = RecordReaders.OpenFile(path);
        var length = file.Length;
        if (length < Math.Max(1, parallelFrom)) return null;
        Span<byte> head = stackalloc byte[2];
        if (file.Read(head) == 2 && head is [0xFF, 0xFE] or [0xFE, 0xFF] or [0x00, 0x00]) return null;
        var cuts = new List<long> { 0 };
        var buffer = new byte[64 * 1024];
        for (var k = 1; k < cores; k++)
        {
            var at = Math.Max(cuts[^1], length * k / cores);
            file.Position = at;
            while (true)
            {
                var n = file.Read(buffer);
                if (n == 0) { at = length; break; }
                var lf = buffer.AsSpan(0, n).IndexOf((byte)'\n');
                if (lf >= 0) { at += lf + 1; break; }
                at += n;
            }
            cuts.Add(at);
        }
        cuts.Add(length);
        return cuts;
    }

    /// <summary>Files smaller than this are scanned in one piece: starting threads would cost more than it saves.</summary>
    internal const long ParallelScanBytes = 16L << 20;

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
                yield return Record.Bad(new BadRow(BadRowKind.NotJson, problem!, Source, line, text));
                continue;
            }
            yield return new Record(line, fields)
            {
                InvalidBytes = invalid ? new BadRow(BadRowKind.InvalidUtf8, RecordReaders.InvalidUtf8, Source, line, text) : null,
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
