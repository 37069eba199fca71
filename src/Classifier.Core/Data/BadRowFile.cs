using System.Text.Encodings.Web;
using System.Text.Json;

namespace Classifier.Core.Data;

/// <summary>
/// `--bad-rows-file PATH`: JSON Lines, one object per bad row in the order met:
/// <c>{"file", "line", "kind", "reason", "raw", "raw_truncated"}</c> (<c>line</c> is null for a file of a folder; <c>raw</c>
/// is the row as written, cut at <see cref="BadRow.MaxRawChars"/> characters), so that rejected rows can be fixed and fed
/// back. Written by the rules of every output (<see cref="AtomicFile.Begin"/>): under a temporary name, put in place by
/// <see cref="Commit"/>; disposed without it, it leaves nothing.
/// </summary>
public sealed class BadRowFile : IDisposable
{
    private readonly AtomicFile.PendingWrite _file;
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly object _lock = new();
    private bool _committed;

    public long Written { get; private set; }

    public BadRowFile(string target)
    {
        AtomicFile.EnsureWritable(target, "bad-rows file", "bad-rows.jsonl", foldersMayBeCreated: false);
        _file = AtomicFile.Begin(target);
        _stream = new BufferedStream(_file.Stream, 1 << 16);
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void Write(BadRow row)
    {
        var raw = BadRow.Cap(row.Raw, out var truncated);
        lock (_lock)
        {
            _json.WriteStartObject();
            _json.WriteString("file", row.Source);
            if (row.Line is { } line) _json.WriteNumber("line", line);
            else _json.WriteNull("line");
            _json.WriteString("kind", BadRow.Key(row.Kind));
            _json.WriteString("reason", row.Column is null ? row.Reason : $"{row.Reason} (column '{row.Column}')");
            if (raw is null) _json.WriteNull("raw");
            else _json.WriteString("raw", raw);
            _json.WriteBoolean("raw_truncated", truncated);
            _json.WriteEndObject();
            _json.Flush();
            _stream.WriteByte((byte)'\n');
            _json.Reset();
            Written++;
        }
    }

    /// <summary>Puts the file in place: called when the run got far enough for its bad rows to mean something.</summary>
    public void Commit()
    {
        lock (_lock)
        {
            if (_committed) return;
            _json.Flush();
            _stream.Flush();
            _file.Commit();
            _committed = true;
        }
    }

    public void Dispose()
    {
        if (_committed) return;
        _json.Dispose();
        _file.Dispose();
    }
}
