using System.Globalization;
using System.Text;

namespace Classifier.Core.Scoring;

/// <summary>
/// CSV (or TSV) output: the kept input columns, then id (unless kept already), label, score and, with --top N,
/// label_2, score_2, ... Quoting follows RFC 4180 and is applied only where a field needs it. A kept column named like
/// an output column is written as "input_NAME" (see <see cref="OutputColumns"/>).
/// </summary>
public sealed class CsvScoreWriter : IScoreWriter
{
    private readonly TextWriter _out;
    private readonly char _separator;
    private bool _idKept;
    private int _top;
    private string? _multiLabel;

    public CsvScoreWriter(Stream stream, char separator = ',')
    {
        _out = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        _separator = separator;
    }

    public void WriteHeader(IReadOnlyList<string> keptColumns, int top, string? multiLabelSeparator = null)
    {
        _top = top;
        _multiLabel = multiLabelSeparator;
        _idKept = keptColumns.Contains("id");
        var names = new List<string>(OutputColumns.KeptNames(keptColumns, _multiLabel is not null ? ["labels", "scores"] : OutputColumns.CsvScoreNames(top)));
        if (!_idKept) names.Add("id");
        if (_multiLabel is not null)
        {
            names.Add("labels");
            names.Add("scores");
            WriteFields(names);
            return;
        }
        names.Add("label");
        names.Add("score");
        for (int k = 2; k <= top; k++)
        {
            names.Add($"label_{k}");
            names.Add($"score_{k}");
        }
        WriteFields(names);
    }

    public void Write(ScoredRow row, IReadOnlyList<string> labels)
    {
        var fields = new List<string?>(row.Kept);
        if (!_idKept) fields.Add(row.Id);
        if (_multiLabel is not null)
        {
            fields.Add(string.Join(_multiLabel, row.Top.Select(t => labels[t.Label])));
            fields.Add(string.Join(_multiLabel, row.Top.Select(t => t.Score.ToString("0.######", CultureInfo.InvariantCulture))));
            WriteFields(fields);
            return;
        }
        for (int k = 0; k < _top; k++)
        {
            if (k < row.Top.Length)
            {
                fields.Add(labels[row.Top[k].Label]);
                fields.Add(row.Top[k].Score.ToString("0.######", CultureInfo.InvariantCulture));
            }
            else
            {
                fields.Add("");
                fields.Add("");
            }
        }
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
