using System.Text.Json;

namespace Classifier.Core.Scoring;

/// <summary>
/// JSON Lines output: {"id", kept fields..., "label", "score", "top": [{"label","score"}...]}. A kept field named like
/// an output field is written as "input_NAME" (see <see cref="OutputColumns"/>).
/// </summary>
public sealed class JsonlScoreWriter : IScoreWriter
{
    private readonly Stream _stream;
    private readonly BufferedStream _buffer;
    private readonly Utf8JsonWriter _json;
    private string?[] _kept = Array.Empty<string?>();
    private int _top;
    private bool _multiLabel;

    public JsonlScoreWriter(Stream stream)
    {
        _stream = stream;
        _buffer = new BufferedStream(stream, 1 << 16);
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void WriteHeader(IReadOnlyList<string> keptColumns, int top, string? multiLabelSeparator = null)
    {
        _multiLabel = multiLabelSeparator is not null;
        // The id is always written first, from the row: a kept "id" field would repeat it. Other clashes are renamed.
        _kept = OutputColumns.KeptNames(keptColumns, ["id", "label", "score", "top", "labels"])
            .Select((name, i) => keptColumns[i] == "id" ? null : name).ToArray();
        _top = top;
    }

    public void Write(ScoredRow row, IReadOnlyList<string> labels)
    {
        _json.WriteStartObject();
        _json.WriteString("id", row.Id);
        for (int i = 0; i < _kept.Length; i++)
        {
            if (_kept[i] is not { } name) continue;
            _json.WriteString(name, row.Kept[i]);
        }
        if (_multiLabel)
        {
            WriteLabelArray("labels", row, labels);
            EndRow();
            return;
        }
        _json.WriteString("label", labels[row.Top[0].Label]);
        _json.WriteNumber("score", Math.Round(row.Top[0].Score, 6));
        if (_top > 1) WriteLabelArray("top", row, labels);
        EndRow();
    }

    private void WriteLabelArray(string name, ScoredRow row, IReadOnlyList<string> labels)
    {
        _json.WriteStartArray(name);
        foreach (var (label, score) in row.Top)
        {
            _json.WriteStartObject();
            _json.WriteString("label", labels[label]);
            _json.WriteNumber("score", Math.Round(score, 6));
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
    }

    private void EndRow()
    {
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
