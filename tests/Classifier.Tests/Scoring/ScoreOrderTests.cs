using System.Globalization;
using System.Text;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Scoring;

/// <summary>`classifier score`: input order under parallelism, determinism, shards, stdout and agreement with `predict`.</summary>
[Collection(CliCollection.Name)]
public sealed class ScoreOrderTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private const int BigRows = 3000;

    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public ScoreOrderTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    private static string Id(int i) => $"r{i:D5}";

    /// <summary>The fixture rows repeated to <paramref name="n"/> rows, each with a unique id (quoted commas and line breaks included).</summary>
    private string BigCsv(int n)
    {
        var sb = new StringBuilder("id,title,text,label\n");
        for (int i = 0; i < n; i++)
        {
            var r = _model.Rows[i % _model.Rows.Count];
            sb.Append(Csv.Line(',', Id(i), r.Title, r.Text, r.Label));
        }
        return _tmp.Write("big.csv", sb.ToString());
    }

    [Fact]
    public async Task FourThreadsTinyBatches_KeepInputOrder_AndEqualOneThreadByteForByte()
    {
        var input = BigCsv(BigRows);
        var four = _tmp["four.csv"];
        var one = _tmp["one.csv"];
        var r4 = await CliHarness.RunOkAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", four, "--threads", "4", "--batch-size", "7", "--quiet");
        var r1 = await CliHarness.RunOkAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", one, "--threads", "1", "--quiet");

        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(four));
        var rows = Csv.Records(File.ReadAllText(four));
        Assert.Equal(Enumerable.Range(0, BigRows).Select(Id), rows.Select(r => r["id"]));
        // The kept input columns travel with their own row.
        for (int i = 0; i < BigRows; i += 97)
        {
            var src = _model.Rows[i % _model.Rows.Count];
            Assert.Equal(src.Title, rows[i]["title"]);
            Assert.Equal(src.Text, rows[i]["text"]);
        }
        Assert.All(rows, r => Assert.Contains(r["label"], ScoreModelFixture.Labels));
        Assert.All(rows, r => Assert.InRange(double.Parse(r["score"], CultureInfo.InvariantCulture), 1.0 / 3, 1.0));
        // A row repeated with another id scores the same wherever it falls in the batches.
        for (int i = _model.Rows.Count; i < BigRows; i++)
        {
            Assert.Equal(rows[i % _model.Rows.Count]["label"], rows[i]["label"]);
            Assert.Equal(rows[i % _model.Rows.Count]["score"], rows[i]["score"]);
        }
        Assert.Equal((BigRows, 0L), ScoreAssert.Summary(r4));
        Assert.Equal((BigRows, 0L), ScoreAssert.Summary(r1));
        Assert.EndsWith($"; wrote {four}", r4.Stderr.TrimEnd('\n'));
        // --quiet leaves the summary only.
        Assert.Single(r4.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Shards_AreDisjoint_CoverTheInput_AndEqualTheirRowsOfTheFullRun()
    {
        const int n = 1000;
        var input = BigCsv(n);
        await CliHarness.RunOkAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", _tmp["all.csv"], "--quiet");
        var all = Csv.Records(File.ReadAllText(_tmp["all.csv"]));
        Assert.Equal(n, all.Count);

        var shards = new List<List<Dictionary<string, string>>>();
        for (int s = 1; s <= 3; s++)
        {
            var output = _tmp[$"shard{s}.csv"];
            var r = await CliHarness.RunOkAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output, "--shard", $"{s}/3", "--threads", "2", "--batch-size", "5", "--quiet");
            var rows = Csv.Records(File.ReadAllText(output));
            shards.Add(rows);
            // Document p (0-based) is in shard (p mod 3) + 1: 334, 333, 333 documents.
            var expected = all.Where((_, p) => p % 3 == s - 1).ToList();
            Assert.Equal(expected.Count, rows.Count);
            Assert.Equal(expected.Count, ScoreAssert.Summary(r).Scored);
            for (int i = 0; i < rows.Count; i++) Assert.Equal(expected[i], rows[i]);
        }
        Assert.Equal([334, 333, 333], shards.Select(s => s.Count));
        var ids = shards.Select(s => s.Select(r => r["id"]).ToHashSet()).ToList();
        for (int a = 0; a < 3; a++)
            for (int b = a + 1; b < 3; b++)
                Assert.Empty(ids[a].Intersect(ids[b]));
        Assert.Equal(all.Select(r => r["id"]).Order(), ids.SelectMany(x => x).Order());
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("2")]
    public async Task BadShard_IsBadInput(string shard)
    {
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", CliHarness.Fixture("tiny-news.csv"), "-o", _tmp["x.csv"], "--shard", shard);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--shard takes I/N", r.Stderr);
        ScoreAssert.NoOutput(_tmp["x.csv"]);
    }

    [Fact]
    public async Task Scores_EqualPredict_ForTheSameTexts()
    {
        var picks = new[] { 0, 4, 11, 17, 28, 33 }.Select(i => _model.Rows[i]).ToList();

        // Plain text lines: one column, the line is the document.
        var lines = picks.Select(p => $"{p.Title} {p.Text}".ReplaceLineEndings(" ")).ToList();
        var txt = _tmp.Write("docs.txt", string.Join("\n", lines) + "\n");
        var jsonl = ScoreAssert.JsonLines((await CliHarness.RunOkAsync("score", "-m", _model.TrainedModel, "-i", txt, "-o", "-", "--top", "3", "--quiet")).Stdout);
        Assert.Equal(lines.Count, jsonl.Count);

        // CSV with title,text: the document is the two columns joined by a line break.
        var csv = _tmp.Write("docs.csv", "id,title,text\n" + string.Concat(picks.Select(p => Csv.Line(',', p.Id, p.Title, p.Text))));
        var scored = Csv.Records((await CliHarness.RunOkAsync("score", "-m", _model.TrainedModel, "-i", csv, "-o", "-", "--quiet")).Stdout);
        Assert.Equal(picks.Select(p => p.Id), scored.Select(r => r["id"]));

        for (int i = 0; i < picks.Count; i++)
        {
            var predicted = (await CliHarness.RunOkAsync("predict", "-m", _model.TrainedModel, lines[i], "--json", "--top", "3")).Json();
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), jsonl[i].GetProperty("id").GetString());
            Assert.Equal(predicted.GetProperty("label").GetString(), jsonl[i].GetProperty("label").GetString());
            Assert.Equal(predicted.GetProperty("score").GetDouble(), jsonl[i].GetProperty("score").GetDouble(), 6);
            var ptop = predicted.GetProperty("top").EnumerateArray().ToList();
            var stop = jsonl[i].GetProperty("top").EnumerateArray().ToList();
            Assert.Equal(ptop.Select(t => t.GetProperty("label").GetString()), stop.Select(t => t.GetProperty("label").GetString()));
            Assert.Equal(ptop.Select(t => Math.Round(t.GetProperty("score").GetDouble(), 6)), stop.Select(t => Math.Round(t.GetProperty("score").GetDouble(), 6)));

            var fromCsv = (await CliHarness.RunOkAsync("predict", "-m", _model.TrainedModel, $"{picks[i].Title}\n{picks[i].Text}", "--json")).Json();
            Assert.Equal(fromCsv.GetProperty("label").GetString(), scored[i]["label"]);
            Assert.Equal(fromCsv.GetProperty("score").GetDouble(), double.Parse(scored[i]["score"], CultureInfo.InvariantCulture), 1.5e-6);
            // The tiny model gets these right.
            Assert.Equal(picks[i].Label, scored[i]["label"]);
        }
    }

    [Fact]
    public async Task Stdout_CsvForCsvInput_JsonlForTextInput()
    {
        var csv = await CliHarness.RunOkAsync("score", "-m", _model.TrainedModel, "-i", CliHarness.Fixture("tiny-news.csv"), "-o", "-", "--keep", "none", "--quiet");
        var lines = csv.Stdout.Split('\n');
        Assert.Equal("id,label,score,error", lines[0]);
        var rows = Csv.Records(csv.Stdout);
        Assert.Equal(_model.Rows.Select(r => r.Id), rows.Select(r => r["id"]));
        Assert.Equal(["id", "label", "score", "error"], rows[0].Keys);
        Assert.Equal((36L, 0L), ScoreAssert.Summary(csv));
        Assert.DoesNotContain("wrote", csv.Stderr);

        var txt = _tmp.Write("lines.txt", "The striker scored a goal in the football match.\nThe bank raised interest rates.\n");
        var jsonl = await CliHarness.RunOkAsync("score", "-m", _model.TrainedModel, "-i", txt, "--quiet"); // --output defaults to '-'
        var objects = ScoreAssert.JsonLines(jsonl.Stdout);
        Assert.Equal(["1", "2"], objects.Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["sport", "business"], objects.Select(o => o.GetProperty("label").GetString()));
        Assert.All(objects, o => Assert.Equal(["id", "label", "score"], o.EnumerateObject().Select(p => p.Name)));
    }
}
