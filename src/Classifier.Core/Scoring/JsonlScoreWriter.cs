using System.Text.Json;

namespace Classifier.Core.Scoring;

/// <summary>JSON Lines output: {"id", kept fields..., "label", "score", "top": [{"label","score"}...]}.</summary>
public sealed class JsonlScoreWriter : IScoreWriter
{
    private readonly Stream _stream;
    private readonly BufferedStream _buffer;
    private readonly Utf8JsonWriter _json;
    private IReadOnlyList<string> _kept = Array.Empty<string>();
    private int _top;

    public JsonlScoreWriter(Stream stream)
    {
        _stream = stream;
        _buffer = new BufferedStream(stream, 1 << 16);
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void WriteHeader(IReadOnlyList<string> keptColumns, int top)
    {
        _kept = keptColumns;
        _top = top;
    }

    public void Write(ScoredRow row, IReadOnlyList<string> labels)
    {
        _json.WriteStartObject();
        _json.WriteString("id", row.Id);
        for (int i = 0; i < _kept.Count; i++)
        {
            if (_kept[i] is "id" or "label" or "score" or "top") continue;
            _json.WriteString(_kept[i], row.Kept[i]);
        }
        _json.WriteString("label", labels[row.Top[0].Label]);
        _json.WriteNumber("score", Math.Round(row.Top[0].Score, 6));
        if (_top > 1)
        {
            _json.WriteStartArray("top");
            foreach (var (label, score) in row.Top)
            {
                _json.WriteStartObject();
                _json.WriteString("label", labels[label]);
                _json.WriteNumber("score", Math.Round(score, 6));
                _json.WriteEndObject();
            }
            _json.WriteEndArray();
        }
        _json.WriteEndObject();
        _json.Flush();
        _buffer.WriteByte((byte)'\n');
        _json.Reset();
    }

    public void Flush()
    {
        _json.Flush();
        _buffer.Flush();
        _stream.Flush();
    }

    /// <summary>Leaves the underlying stream open: its owner decides when the output is complete.</summary>
    public void Dispose()
    {
        _json.Dispose();
        _buffer.Flush();
    }
}
