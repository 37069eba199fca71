using System.Text.Json;

namespace Classifier.Core.Scoring;

/// <summary>
/// JSON Lines output: {"id", kept fields..., "label", "score", "top": [{"label","score"}...]}; a row that could not be
/// scored has "label": null and its reason in "error". A kept field named like an output field is written as
/// "input_NAME" (see <see cref="OutputColumns"/>).
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

    public void WriteHeader(OutputLayout layout)
    {
        _multiLabel = layout.MultiLabelSeparator is not null;
        // The id is always written first, from the row: the id column kept as "id" would repeat it, and another input
        // column called "id" is kept as "input_id". Other clashes are renamed too.
        var reserved = new[] { "label", "score", "top", "labels", OutputLayout.ErrorName, "id", OutputLayout.TopLabelName };
        var names = OutputColumns.KeptNames(layout.Kept.Select((k, i) => layout.IsIdItself(i) ? "\0id" : k).ToList(), reserved);
        _kept = names.Select((name, i) => layout.IsIdItself(i) ? null : name).ToArray();
        _top = layout.Top;
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
        if (row.Error is not null)
        {
            // A row that could not be scored: no label, and why.
            _json.WriteNull(_multiLabel ? "labels" : "label");
            if (!_multiLabel) _json.WriteNull("score");
            _json.WriteString(OutputLayout.ErrorName, row.Error);
            EndRow();
            return;
        }
        if (_multiLabel)
        {
            WriteLabelArray("labels", row, labels);
            if (row.TopLabel is not null) _json.WriteString(OutputLayout.TopLabelName, row.TopLabel);
            EndRow();
            return;
        }
        _json.WriteString("label", row.Unknown ? Models.MinScore.Unknown : labels[row.Top[0].Label]);
        _json.WriteNumber("score", Math.Round(row.Top[0].Score, 6));
        if (row.TopLabel is not null) _json.WriteString(OutputLayout.TopLabelName, row.TopLabel);
        if (_top > 1) WriteLabelArray("top", row, labels);
        EndRow();
    }

    private void WriteLabelArray(string name, ScoredRow row, IReadOnlyList<string> labels)
    {
        _json.WriteStartArray(name);
        foreach (var (label, score) in row.Top)
        {
            _json.WriteStartObject();
            // A multi-label row below --min-score is the one label "unknown"; a single-label one says so in "label" and keeps its ranking here.
            _json.WriteString("label", row.Unknown && name == "labels" ? Models.MinScore.Unknown : labels[label]);
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
