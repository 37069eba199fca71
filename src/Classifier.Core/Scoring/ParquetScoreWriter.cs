using Parquet;
using Parquet.Schema;

namespace Classifier.Core.Scoring;

/// <summary>
/// Parquet output, with typed columns: the kept input columns (strings, as they were read), `id`, then `label`
/// (string) and `score` (double) and, with --top N, `label_2`, `score_2` … `label_N`, `score_N`; a multi-label model
/// writes `labels` (a list of strings) and `scores` (a list of doubles) instead; under --bad-rows keep an `error` column
/// (string, null for a scored row). A row that could not be scored has null labels and scores. Rows are buffered and
/// written in row groups of <see cref="RowGroupRows"/> rows, or fewer when their kept text passes
/// <see cref="RowGroupChars"/> characters, so that memory stays bounded by one row group. The stream must be seekable;
/// <see cref="Flush"/>, called once at the end, writes the last row group and the footer.
/// </summary>
public sealed class ParquetScoreWriter : IScoreWriter
{
    /// <summary>
    /// Rows per row group: large enough for column-wise compression and fast scans, small enough to hold. Parquet.Net
    /// holds about 1.5 KB a buffered row while it writes a group: 1,003,200 rows scored Parquet to Parquet (`--keep id`)
    /// peaked at 307 MB with groups of 100,000 rows, 234 MB with 50,000 and 183 MB with 25,000.
    /// </summary>
    public const int RowGroupRows = 50_000;

    /// <summary>
    /// Kept input text buffered before a row group is written whatever its row count (4 M characters, 8 MB): the same
    /// round trip with every input column kept peaked at 293 MB with 8 M characters, 231–237 MB with 4 M.
    /// </summary>
    public const long RowGroupChars = 4L << 20;

    private readonly Stream _stream;
    private ParquetWriter? _writer;
    private DataField[] _keptFields = [];
    private DataField _id = null!;
    private DataField[] _labelFields = [], _scoreFields = [];
    private DataField? _error, _topLabel;
    private int _top;
    private bool _multiLabel, _idKept, _done;
    /// <summary>What a buffered row needs for the output: not its text, which would keep every document of the group alive.</summary>
    private readonly record struct Row(string Id, string?[] Kept, (int Label, float Score)[] Top, bool Unknown, string? Error, string? TopLabel);

    private readonly List<Row> _rows = new();
    private long _chars;
    private IReadOnlyList<string> _labels = [];

    public ParquetScoreWriter(Stream stream)
    {
        if (!stream.CanSeek) throw new InputException("Parquet output must go to a file (the format is written with its index at the end), not to stdout, a pipe or a .gz name");
        _stream = stream;
    }

    public void WriteHeader(OutputLayout layout)
    {
        _top = layout.Top;
        _multiLabel = layout.MultiLabelSeparator is not null;
        _idKept = Enumerable.Range(0, layout.Kept.Count).Any(layout.IsIdItself);
        var scoreNames = layout.ScoreNames().ToArray();
        var reserved = scoreNames.Append(OutputLayout.ErrorName).Concat(_idKept ? [] : ["id"]);
        var names = OutputColumns.KeptNames(layout.Kept, reserved);
        _keptFields = names.Select(n => (DataField)new DataField<string>(n, true)).ToArray();
        var fields = new List<Field>(_keptFields);
        _id = new DataField<string>("id", true);
        if (!_idKept) fields.Add(_id);
        if (_multiLabel)
        {
            var label = new DataField<string>("element", false);
            var score = new DataField<double>("element");
            fields.Add(new ListField("labels", label));
            fields.Add(new ListField("scores", score));
            (_labelFields, _scoreFields) = ([label], [score]);
            if (layout.TopLabelColumn) fields.Add(_topLabel = new DataField<string>(OutputLayout.TopLabelName, true));
        }
        else
        {
            _labelFields = new DataField[_top];
            _scoreFields = new DataField[_top];
            for (int k = 0; k < _top; k++)
            {
                _labelFields[k] = new DataField<string>(k == 0 ? "label" : $"label_{k + 1}", true);
                _scoreFields[k] = new DataField<double?>(k == 0 ? "score" : $"score_{k + 1}");
                fields.Add(_labelFields[k]);
                fields.Add(_scoreFields[k]);
                if (k == 0 && layout.TopLabelColumn) fields.Add(_topLabel = new DataField<string>(OutputLayout.TopLabelName, true));
            }
        }
        if (layout.ErrorColumn)
        {
            _error = new DataField<string>(OutputLayout.ErrorName, true);
            fields.Add(_error);
        }
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), _stream, Data.ParquetRecordReader.Options(new ParquetOptions { CompressionMethod = CompressionMethod.Snappy })).GetAwaiter().GetResult();
    }

    public void Write(ScoredRow row, IReadOnlyList<string> labels)
    {
        _labels = labels;
        _rows.Add(new Row(row.Id, row.Kept, row.Top, row.Unknown, row.Error, row.TopLabel));
        foreach (var k in row.Kept) _chars += k?.Length ?? 0;
        if (_rows.Count >= RowGroupRows || _chars >= RowGroupChars) WriteRowGroup();
    }

    private void WriteRowGroup()
    {
        if (_rows.Count == 0 || _writer is null) return;
        using (var group = _writer.CreateRowGroup())
        {
            for (int c = 0; c < _keptFields.Length; c++)
                Write(group, _keptFields[c], _rows.Select(r => r.Kept[c]).ToArray());
            if (!_idKept) Write(group, _id, _rows.Select(r => (string?)r.Id).ToArray());
            if (_multiLabel)
            {
                WriteLists();
                if (_topLabel is not null) Write(group, _topLabel, _rows.Select(r => r.TopLabel).ToArray());
            }
            else
                for (int k = 0; k < _top; k++)
                {
                    Write(group, _labelFields[k], _rows.Select(r => r.Error is null && k < r.Top.Length
                        ? k == 0 && r.Unknown ? Models.MinScore.Unknown : _labels[r.Top[k].Label] : null).ToArray());
                    var scores = _rows.Select(r => r.Error is null && k < r.Top.Length ? (double?)Score(r.Top[k].Score) : null).ToArray();
                    group.WriteAsync<double>(_scoreFields[k], scores.AsMemory()).GetAwaiter().GetResult();
                    if (k == 0 && _topLabel is not null) Write(group, _topLabel, _rows.Select(r => r.TopLabel).ToArray());
                }
            if (_error is not null) Write(group, _error, _rows.Select(r => r.Error).ToArray());

            void WriteLists()
            {
                // Levels by hand: a bad row is a null list (definition 0), a row with no label an empty one (1), a label is 2;
                // repetition 0 starts a row.
                var names = new List<ReadOnlyMemory<char>>();
                var scores = new List<double>();
                var definition = new List<int>();
                var repetition = new List<int>();
                foreach (var r in _rows)
                {
                    if (r.Error is not null || r.Top.Length == 0)
                    {
                        definition.Add(r.Error is not null ? 0 : 1);
                        repetition.Add(0);
                        continue;
                    }
                    for (int k = 0; k < r.Top.Length; k++)
                    {
                        names.Add((r.Unknown ? Models.MinScore.Unknown : _labels[r.Top[k].Label]).AsMemory());
                        scores.Add(Score(r.Top[k].Score));
                        definition.Add(2);
                        repetition.Add(k == 0 ? 0 : 1);
                    }
                }
                var (def, rep) = (definition.ToArray().AsMemory(), repetition.ToArray().AsMemory());
                group.WriteAllPartsAsync<ReadOnlyMemory<char>>(_labelFields[0], names.ToArray().AsMemory(), def, rep, CancellationToken.None).GetAwaiter().GetResult();
                group.WriteAllPartsAsync<double>(_scoreFields[0], scores.ToArray().AsMemory(), def, rep, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        _rows.Clear();
        _chars = 0;
        // The group's strings lived through many collections and sit in the oldest generation, which the collector
        // visits seldom: left to it, a long run's memory grew to three times what it holds. Past a bound, collect now.
        if (GC.GetTotalMemory(false) > CollectAbove) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    /// <summary>Managed memory past which a written row group is followed by a full collection.</summary>
    private const long CollectAbove = 96L << 20;

    /// <summary>A probability as the CSV writer prints it (six decimals of the float), so that both outputs hold the same numbers.</summary>
    private static double Score(float p) => double.Parse(p.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    private static void Write(ParquetRowGroupWriter group, DataField field, string?[] values) =>
        group.WriteAsync(field, values).GetAwaiter().GetResult();

    /// <summary>Writes the last row group and the footer: the file is complete after this.</summary>
    public void Flush()
    {
        if (_done || _writer is null) return;
        WriteRowGroup();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _done = true;
        _stream.Flush();
    }

    public void Dispose()
    {
        if (!_done) _writer?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _done = true;
    }
}
