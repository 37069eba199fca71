using System.Buffers;
using System.Text.Json;

namespace Classifier.Core.Data;

/// <summary>
/// The top-level keys of JSON Lines objects, collected from the bytes in the order they first appear, without building
/// documents: a pass over a file before it is read, so that its columns are the union of every object's keys. Most of
/// each line is string values, skipped with a vectorised search for the closing quote; a key with an escape goes to
/// <see cref="Utf8JsonReader"/>. A line that is not a JSON object may add keys here and is reported when it is read.
/// </summary>
internal sealed class JsonlKeys
{
    private static readonly SearchValues<byte> Nesting = SearchValues.Create("\"{}[]"u8);

    private readonly List<string> _keys = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Keys => _keys;

    public void Add(ReadOnlySpan<byte> line)
    {
        var i = SkipSpace(line, 0);
        if (i >= line.Length || line[i] != (byte)'{') return;
        i++;
        while (true)
        {
            i = SkipSpace(line, i);
            if (i >= line.Length || line[i] != (byte)'"') return; // '}' ends the object; anything else is not JSON
            var rest = line[(i + 1)..];
            var end = rest.IndexOfAny((byte)'"', (byte)'\\');
            if (end < 0) return;
            if (rest[end] == (byte)'\\')
            {
                AddSlowly(line);
                return;
            }
            Take(RecordReaders.Utf8.GetString(rest[..end]));
            i = SkipSpace(line, i + 1 + end + 1);
            if (i >= line.Length || line[i] != (byte)':') return;
            i = SkipValue(line, SkipSpace(line, i + 1));
            if (i < 0) return;
            i = SkipSpace(line, i);
            if (i >= line.Length || line[i] != (byte)',') return;
            i++;
        }
    }

    /// <summary>Adds keys already found (another part of the same file), keeping the first-seen order.</summary>
    public void AddAll(IEnumerable<string> keys)
    {
        foreach (var key in keys) Take(key);
    }

    private void Take(string key)
    {
        key = RecordReaders.Clean(key);
        if (_seen.Add(key)) _keys.Add(key);
    }

    /// <summary>The same, through the full reader, for a line whose keys hold escapes.</summary>
    private void AddSlowly(ReadOnlySpan<byte> line)
    {
        // The reader parses the line as decoded, invalid bytes replaced; so must this, or a key would go missing.
        if (!System.Text.Unicode.Utf8.IsValid(line)) line = RecordReaders.Utf8.GetBytes(RecordReaders.Utf8.GetString(line));
        var json = new Utf8JsonReader(line);
        try
        {
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject) return;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                Take(json.GetString()!);
                json.Read();
                json.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a key with a lone surrogate: a bad row, reported when it is read.
        }
    }

    private static int SkipSpace(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i;
    }

    /// <summary>The index just past the value that starts at <paramref name="i"/>, or -1 when it does not end.</summary>
    private static int SkipValue(ReadOnlySpan<byte> s, int i)
    {
        if (i >= s.Length) return -1;
        if (s[i] == (byte)'"') return SkipString(s, i);
        if (s[i] is not ((byte)'{' or (byte)'['))
        {
            // A number, true, false or null: it ends where the object goes on or closes.
            var end = s[i..].IndexOfAny((byte)',', (byte)'}');
            return end < 0 ? -1 : i + end;
        }
        var depth = 0;
        while (i < s.Length)
        {
            var next = s[i..].IndexOfAny(Nesting);
            if (next < 0) return -1;
            i += next;
            switch (s[i])
            {
                case (byte)'"':
                    i = SkipString(s, i);
                    if (i < 0) return -1;
                    continue;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                default:
                    depth--;
                    break;
            }
            i++;
            if (depth == 0) return i;
        }
        return -1;
    }

    /// <summary>The index just past the string whose opening quote is at <paramref name="i"/>, or -1.</summary>
    private static int SkipString(ReadOnlySpan<byte> s, int i)
    {
        i++;
        while (true)
        {
            var next = s[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0) return -1;
            i += next;
            if (s[i] == (byte)'"') return i + 1;
            i += 2; // an escape: the next byte, whatever it is, is part of it
            if (i > s.Length) return -1;
        }
    }
}
