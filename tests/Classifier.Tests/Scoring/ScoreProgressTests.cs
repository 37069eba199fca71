using System.Text;
using Classifier.Cli;
using Classifier.Cli.Commands;
using Classifier.Core.Scoring;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Scoring;

/// <summary>Progress on a terminal (documents, docs/s, ETA when the input size is known), and the pieces of the scorer.</summary>
[Collection(CliCollection.Name)]
public sealed class ScoreProgressTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public ScoreProgressTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    private async Task<(int Code, string Stderr)> RunOnTerminal(string stdin, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var context = new CliContext(stdout, stderr, () => new MemoryStream(Encoding.UTF8.GetBytes(stdin)), errorIsTerminal: true);
        var code = await CliApp.RunAsync(["score", "-m", _model.TrainedModel, .. args], context);
        return (code, stderr.ToString());
    }

    [Theory]
    [InlineData(500, 2.0, 0.25, "scored 500 documents, 250 docs/s, 25%, ETA 0:06")]
    [InlineData(1000, 1.0, null, "scored 1,000 documents, 1,000 docs/s")]
    [InlineData(10, 3600.0, 0.5, "scored 10 documents, 0 docs/s, 50%, ETA 1:00:00")]
    [InlineData(7, 0.5, 1.2, "scored 7 documents, 14 docs/s, 100%, ETA 0:00")]
    [InlineData(7, 0.5, 0.0, "scored 7 documents, 14 docs/s")]
    public void ProgressLine_ShowsCountRateAndEta(long scored, double seconds, double? fraction, string expected)
    {
        Assert.Equal(expected, ScoreCommand.ProgressLine(scored, TimeSpan.FromSeconds(seconds), fraction));
    }

    [Fact]
    public async Task OnATerminal_AFileShowsDocsPerSecondAndEta_ThenTheSummaryOnItsOwnLine()
    {
        var sb = new StringBuilder("id,title,text\n");
        for (int i = 0; i < 2000; i++)
        {
            var r = _model.Rows[i % _model.Rows.Count];
            sb.Append(Csv.Line(',', $"d{i}", r.Title, r.Text));
        }
        var input = _tmp.Write("in.csv", sb.ToString());
        var (code, stderr) = await RunOnTerminal("", "-i", input, "-o", _tmp["out.csv"], "--threads", "1", "--batch-size", "10");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"\r\[\s*\d+\.\ds\] scored [\d,]+ documents, [\d,]+ docs/s, \d+%, ETA \d+:\d\d", stderr);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.StartsWith("scored 2,000 documents in ", lines[^1]);
    }

    [Fact]
    public async Task OnATerminal_StdinHasNoEta_AFolderHasOne()
    {
        var (code, stderr) = await RunOnTerminal("The bank raised rates.\nThe striker scored.\n", "-i", "-", "--format", "txt", "-o", _tmp["stdin.jsonl"]);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"\r\[\s*\d+\.\ds\] scored 2 documents, [\d,]+ docs/s\s*\n", stderr);
        Assert.DoesNotContain("ETA", stderr);

        for (int i = 0; i < 5; i++) _tmp.Write($"docs/d{i}.txt", "The striker scored a goal.");
        (code, stderr) = await RunOnTerminal("", "-i", Path.Combine(_tmp.Path, "docs"), "-o", _tmp["dir.jsonl"], "--batch-size", "5");
        Assert.True(code == 0, stderr);
        Assert.Contains("scored 5 documents, ", stderr);
        Assert.Contains("100%, ETA 0:00", stderr);
    }

    [Fact]
    public async Task NotOnATerminal_NoProgressLines_OnlyStagesAndTheSummary()
    {
        var r = await CliHarness.RunOkAsync("score", "-m", _model.TrainedModel, "-i", CliHarness.Fixture("tiny-news.csv"), "-o", _tmp["x.csv"], "--batch-size", "1");
        Assert.DoesNotContain("\r", r.Stderr);
        Assert.DoesNotContain("docs/s,", r.Stderr);
        var lines = r.Stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Contains("loading model", lines[0]);
        Assert.Contains("scoring ", lines[1]);
        Assert.Equal((36L, 0L), ScoreAssert.Summary(r));
    }

    [Theory]
    [InlineData(new float[] { 0.1f, 0.5f, 0.2f, 0.2f }, 2, new[] { 1, 2 })]
    [InlineData(new float[] { 0.1f, 0.5f, 0.2f, 0.2f }, 4, new[] { 1, 2, 3, 0 })]
    [InlineData(new float[] { 0.25f, 0.25f, 0.25f, 0.25f }, 3, new[] { 0, 1, 2 })]
    [InlineData(new float[] { 0.7f, 0.3f }, 1, new[] { 0 })]
    public void TopLabels_RankByFallingProbability_TiesKeepModelOrder(float[] p, int n, int[] expected)
    {
        var top = BatchScorer.TopLabels(p, n);
        Assert.Equal(expected, top.Select(t => t.Label));
        Assert.Equal(expected.Select(i => p[i]), top.Select(t => t.Score));
    }

    [Theory]
    [InlineData(null, 1, 1)]
    [InlineData("", 1, 1)]
    [InlineData("1/1", 1, 1)]
    [InlineData("3/8", 3, 8)]
    public void ShardSpec_Parses(string? spec, int index, int count)
    {
        Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(spec));
    }

    [Fact]
    public void ShardSpec_OwnsEveryPositionExactlyOnce()
    {
        var shards = Enumerable.Range(1, 5).Select(i => new ShardSpec(i, 5)).ToList();
        for (long p = 0; p < 1000; p++) Assert.Single(shards, s => s.Owns(p));
        Assert.True(new ShardSpec(2, 5).Owns(6));
        Assert.False(new ShardSpec(2, 5).Owns(5));
    }
}
