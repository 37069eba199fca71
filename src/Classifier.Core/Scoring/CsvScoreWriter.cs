using System.Globalization;
using System.Text;

namespace Classifier.Core.Scoring;

/// <summary>
/// CSV (or TSV) output: the kept input columns, then id (unless the id column is kept as "id"), label, score and, with
/// --top N, label_2, score_2, ..., then `error` when bad rows are kept (empty for a row that was scored). Quoting follows RFC 4180 and is applied only where a field needs it. A kept column named like
/// an output column is written as "input_NAME" (see <see cref="OutputColumns"/>).
/// </summary>
public sealed class CsvScoreWriter : IScoreWriter
{
    private readonly TextWriter _out;
    private readonly char _separator;
    private bool _idKept;
    private int _top;
    private string? _multiLabel;
    private bool _topLabel;
    private bool _error;

    public CsvScoreWriter(Stream stream, char separator = ',')
    {
        _out = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        _separator = separator;
    }

    public void WriteHeader(OutputLayout layout)
    {
        _top = layout.Top;
        _multiLabel = layout.MultiLabelSeparator;
        _error = layout.ErrorColumn;
        _idKept = Enumerable.Range(0, layout.Kept.Count).Any(layout.IsIdItself);
        _topLabel = layout.TopLabelColumn;
        var scores = layout.ScoreNames().ToArray();
        // "id" is the output's id: an input column of that name that is not the id is kept as "input_id".
        var reserved = scores.Append(OutputLayout.ErrorName).Concat(_idKept ? [] : ["id"]);
        var names = new List<string>(OutputColumns.KeptNames(layout.Kept, reserved));
        if (!_idKept) names.Add("id");
        names.AddRange(scores);
        if (_error) names.Add(OutputLayout.ErrorName);
        WriteFields(names);
    }

    public void Write(ScoredRow row, IReadOnlyList<string> labels)
    {
        var fields = new List<string?>(row.Kept);
        if (!_idKept) fields.Add(row.Id);
        if (_multiLabel is not null)
        {
            fields.Add(row.Error is not null ? "" : row.Unknown ? Models.MinScore.Unknown : string.Join(_multiLabel, row.Top.Select(t => labels[t.Label])));
            fields.Add(row.Error is not null ? "" : string.Join(_multiLabel, row.Top.Select(t => t.Score.ToString("0.######", CultureInfo.InvariantCulture))));
            if (_topLabel) fields.Add(row.TopLabel);
        }
        else
        {
            for (int k = 0; k < _top; k++)
            {
                if (k < row.Top.Length)
                {
                    fields.Add(k == 0 && row.Unknown ? Models.MinScore.Unknown : labels[row.Top[k].Label]);
                    fields.Add(row.Top[k].Score.ToString("0.######", CultureInfo.InvariantCulture));
                }
                else
                {
                    fields.Add("");
                    fields.Add("");
                }
                if (k == 0 && _topLabel) fields.Add(row.TopLabel);
            }
        }
        if (_error) fields.Add(row.Error);
        WriteFields(fields);
    }

    private void WriteFields(IEnumerable<string?> fields)
    {
        bool first = true;
        foreach (var f in fields)
        {
            if (!first) _out.Write(_separator);
            first = false;
            WriteField(f ?? "");
        }
        _out.Write('\n');
    }

    private void WriteField(string value)
    {
        var needsQuotes = value.Length > 0 && (value.IndexOfAny(new[] { _separator, '"', '\n', '\r' }) >= 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]));
        if (!needsQuotes)
        {
            _out.Write(value);
            return;
        }
        _out.Write('"');
        _out.Write(value.Replace("\"", "\"\""));
        _out.Write('"');
    }

    public void Flush() => _out.Flush();

    public void Dispose() => _out.Dispose();
}
