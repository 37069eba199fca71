using System.Text;
using Classifier.Cli;
using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Models;
using Classifier.Core.Scoring;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Scoring;

/// <summary>`classifier score` when things go wrong: bad rows, --strict, Ctrl-C, failing writes. Nothing half-written is ever left.</summary>
[Collection(CliCollection.Name)]
public sealed class ScoreFailureTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private const string Sport = "The striker scored a goal and the team won the football match at the stadium.";
    private const string Business = "The central bank raised interest rates and shares fell on the stock market.";
    private const string Health = "Doctors at the hospital gave patients a vaccine at the clinic.";

    /// <summary>Longest a run may take before the test calls it a hang.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(60);

    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public ScoreFailureTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    /// <summary>Lines: 1 header, 2 good, 3 ragged (5 fields), 4 good, 5 empty text, 6 good.</summary>
    private string BadCsv() => _tmp.Write("bad.csv",
        "id,title,text,source\n" +
        $"g1,Goal,{Sport},wire\n" +
        $"r1,Rates,{Business},wire,extra\n" +
        $"g2,Rates,{Business},desk\n" +
        "e1,,,desk\n" +
        $"g3,Clinic,{Health},desk\n");

    /// <summary>Lines: 1 good, 2 broken JSON, 3 good, 4 empty text, 5 good.</summary>
    private string BadJsonl() => _tmp.Write("bad.jsonl",
        $"{{\"id\":\"g1\",\"text\":\"{Sport}\"}}\n" +
        "{\"id\":\"b1\",\"text\":\"never closed\n" +
        $"{{\"id\":\"g2\",\"text\":\"{Business}\"}}\n" +
        "{\"id\":\"e1\",\"text\":\"  \"}\n" +
        $"{{\"id\":\"g3\",\"text\":\"{Health}\"}}\n");

    /// <summary>Many documents, so that a run is still going when it is interrupted.</summary>
    private string LargeCsv(int n = 20_000)
    {
        var sb = new StringBuilder("id,title,text\n");
        for (int i = 0; i < n; i++)
        {
            var r = _model.Rows[i % _model.Rows.Count];
            sb.Append(Csv.Line(',', $"d{i}", r.Title, r.Text));
        }
        return _tmp.Write("large.csv", sb.ToString());
    }

    private static string[] Lines(string stderr) => stderr.TrimEnd('\n').Split('\n');

    [Fact]
    public async Task BadCsvRows_Dropped_AreSkippedWithAWarningNamingTheLine_AndCounted()
    {
        var input = BadCsv();
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output, "--bad-rows", "drop");
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains($"warning: skipped {input}:3: row has 5 fields, header has 4", Lines(r.Stderr));
        Assert.Contains($"warning: skipped {input}:5: empty text", Lines(r.Stderr));
        Assert.Equal((3L, 2L), ScoreAssert.Summary(r));
        Assert.Matches(@"; skipped 2 bad rows \(1 field count, 1 empty text\); wrote ", Lines(r.Stderr)[^1]);
        var rows = Csv.Records(File.ReadAllText(output));
        Assert.Equal(["g1", "g2", "g3"], rows.Select(x => x["id"]));
        Assert.Equal(["sport", "business", "health"], rows.Select(x => x["label"]));
        Assert.Equal(["wire", "desk", "desk"], rows.Select(x => x["source"]));

        // --quiet silences the warnings but never the summary.
        var q = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", "-", "--quiet", "--bad-rows", "drop");
        Assert.True(q.ExitCode == 3, q.ToString());
        Assert.Single(Lines(q.Stderr));
        Assert.Equal((3L, 2L), ScoreAssert.Summary(q));
        Assert.Equal(File.ReadAllText(output), q.Stdout);
    }

    [Fact]
    public async Task BadJsonlLines_Dropped_AreSkippedWithAWarningNamingTheLine_AndCounted()
    {
        var input = BadJsonl();
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", "-", "--bad-rows", "drop");
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains(Lines(r.Stderr), l => l.StartsWith($"warning: skipped {input}:2: line is not a JSON object", StringComparison.Ordinal));
        Assert.Contains($"warning: skipped {input}:4: empty text", Lines(r.Stderr));
        Assert.Equal((3L, 2L), ScoreAssert.Summary(r));
        var objects = ScoreAssert.JsonLines(r.Stdout);
        Assert.Equal(["g1", "g2", "g3"], objects.Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["sport", "business", "health"], objects.Select(o => o.GetProperty("label").GetString()));
    }

    [Theory]
    [InlineData("csv", 3, "row has 5 fields, header has 4")]
    [InlineData("jsonl", 2, "line is not a JSON object")]
    public async Task Strict_StopsWithExit2AtTheFirstBadRow_AndWritesNothing(string format, int line, string message)
    {
        var input = format == "csv" ? BadCsv() : BadJsonl();
        var output = _tmp[$"strict.{format}"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output, "--text", "text", "--strict", "--threads", "2", "--batch-size", "1");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.StartsWith($"error: {input}:{line}: {message}", Lines(r.Stderr)[^1]);
        Assert.DoesNotContain("warning:", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        ScoreAssert.NoOutput(output);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Strict_EmptyText_IsABadRowToo()
    {
        var input = _tmp.Write("empty.csv", $"id,title,text\ng1,Goal,{Sport}\ne1, , \n");
        var output = _tmp["empty-out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output, "--strict");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.StartsWith($"error: {input}:3: empty text", Lines(r.Stderr)[^1]);
        ScoreAssert.NoOutput(output);
    }

    [Fact]
    public async Task AnExistingTarget_IsReplacedOnlyBySuccess()
    {
        var output = _tmp.Write("keep.csv", "previous result\n");
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", BadCsv(), "-o", output, "--strict");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("previous result\n", File.ReadAllText(output));
        Assert.Empty(Directory.GetFiles(_tmp.Path, "*.tmp"));
    }

    [Fact]
    public async Task CtrlC_DuringTheRun_Exits130_AndLeavesNoFile()
    {
        var input = LargeCsv();
        var bytes = File.ReadAllBytes(input);
        var output = _tmp["interrupted.csv"];
        using var cancel = new CancellationTokenSource();
        // Ctrl-C arrives once about a third of the input has been read.
        Func<Stream> stdin = () => new TriggerStream(new MemoryStream(bytes), bytes.Length / 3, cancel.Cancel);
        var stdout = new StringWriter();
        var stderr = new StringWriter { NewLine = "\n" };
        var run = CliApp.RunAsync(["score", "-m", _model.TrainedModel, "-i", "-", "-o", output, "--threads", "2", "--batch-size", "16"],
            new CliContext(stdout, stderr, stdin), cancel.Token);
        var code = await run.WaitAsync(HangLimit);
        Assert.True(code == ExitCodes.Cancelled, $"exit {code}\n{stderr}");
        Assert.Equal("cancelled: nothing was written", Lines(stderr.ToString())[^1]);
        Assert.True(cancel.IsCancellationRequested);
        ScoreAssert.NoOutput(output);
    }

    [Fact]
    public async Task CtrlC_BeforeTheRun_Exits130_AndLeavesNoFile()
    {
        var output = _tmp["precancelled.csv"];
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await CliApp.RunAsync(["score", "-m", _model.TrainedModel, "-i", LargeCsv(2000), "-o", output],
            new CliContext(new StringWriter(), stderr), cancel.Token).WaitAsync(HangLimit);
        Assert.True(code == ExitCodes.Cancelled, $"exit {code}\n{stderr}");
        ScoreAssert.NoOutput(output);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(4, 64)]
    public async Task BatchScorer_CancelledAfterTheFirstProgress_ThrowsAndLeavesNoFile(int threads, int batchSize)
    {
        var model = ModelFile.Load(_model.TrainedModel);
        var input = LargeCsv();
        var output = _tmp["scorer.csv"];
        using var cancel = new CancellationTokenSource();
        long firstProgress = -1;
        var run = Task.Run(() => AtomicFile.Write(output, stream =>
        {
            using var reader = new CsvRecordReader(input, ',');
            using var writer = new CsvScoreWriter(stream);
            BatchScorer.Run(model, reader, writer, new ScoringOptions { Threads = threads, BatchSize = batchSize }, ["title", "text"], "id", reader.Columns,
                progress: n =>
                {
                    if (firstProgress < 0) firstProgress = n;
                    cancel.Cancel();
                },
                cancel: cancel.Token);
        }));
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(HangLimit));
        Assert.Equal(batchSize, firstProgress);
        ScoreAssert.NoOutput(output);
    }

    [Fact]
    public void AtomicFile_AWriteThatThrowsMidway_LeavesNoTargetAndNoTemp()
    {
        var target = _tmp["atomic.csv"];
        var ex = Assert.Throws<IOException>(() => AtomicFile.Write(target, stream =>
        {
            stream.Write(Encoding.UTF8.GetBytes("id,label,score\n1,sport,0.9\n"));
            stream.Flush();
            // The temporary file is beside the target while the write is in progress.
            Assert.Single(Directory.GetFiles(_tmp.Path, ".atomic.csv.*.tmp"));
            throw new IOException("disk full");
        }));
        Assert.Equal("disk full", ex.Message);
        ScoreAssert.NoOutput(target);
    }

    [Fact]
    public async Task BatchScorer_AWriterThatFailsMidway_PropagatesTheError_AndLeavesNoFile()
    {
        var model = ModelFile.Load(_model.TrainedModel);
        var input = LargeCsv(3000);
        var output = _tmp["failing.csv"];
        var run = Task.Run(() => AtomicFile.Write(output, stream =>
        {
            using var reader = new CsvRecordReader(input, ',');
            using var writer = new FailingWriter(new CsvScoreWriter(stream), failAt: 1000);
            BatchScorer.Run(model, reader, writer, new ScoringOptions { Threads = 2, BatchSize = 10 }, ["title", "text"], "id", reader.Columns);
        }));
        var e = await Assert.ThrowsAsync<IOException>(() => run.WaitAsync(HangLimit));
        Assert.Equal("no space left on device", e.Message);
        ScoreAssert.NoOutput(output);
    }

    [Fact]
    public async Task Command_UnwritableOutputFolder_IsBadInput_AndNothingIsWritten()
    {
        var output = Path.Combine(_tmp.Path, "missing-folder", "out.csv");
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", CliHarness.Fixture("tiny-news.csv"), "-o", output);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal($"error: {output}: the output folder does not exist", Lines(r.Stderr)[^1]);
        Assert.False(Directory.Exists(Path.GetDirectoryName(output)));
        Assert.Empty(Directory.GetFiles(_tmp.Path, "*.tmp"));
    }

    /// <summary>Calls <paramref name="trigger"/> once more than <paramref name="after"/> bytes have been read.</summary>
    private sealed class TriggerStream(Stream inner, long after, Action trigger) : Stream
    {
        private long _read;
        private bool _fired;

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, Math.Min(count, 4096)));
        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer[..Math.Min(buffer.Length, 4096)]));

        private int Count(int n)
        {
            _read += n;
            if (!_fired && _read > after)
            {
                _fired = true;
                trigger();
            }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class FailingWriter(IScoreWriter inner, int failAt) : IScoreWriter
    {
        private int _rows;
        public void WriteHeader(OutputLayout layout) => inner.WriteHeader(layout);
        public void Write(ScoredRow row, IReadOnlyList<string> labels)
        {
            if (++_rows == failAt) throw new IOException("no space left on device");
            inner.Write(row, labels);
        }
        public void Flush() => inner.Flush();
        public void Dispose() => inner.Dispose();
    }
}
