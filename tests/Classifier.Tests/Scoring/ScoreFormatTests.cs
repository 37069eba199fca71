using System.Globalization;
using System.Text.Json;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Scoring;

/// <summary>`classifier score` on every input format: ids and kept columns come back as they went in.</summary>
[Collection(CliCollection.Name)]
public sealed class ScoreFormatTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private const string Sport = "The striker scored a goal and the team won the football match at the stadium.";
    private const string Business = "The central bank raised interest rates and shares fell on the stock market.";
    private const string Health = "Doctors at the hospital gave patients a vaccine at the clinic.";

    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public ScoreFormatTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    private Task<CliResult> Score(params string[] args) =>
        CliHarness.RunOkAsync(["score", "-m", _model.TrainedModel, .. args]);

    [Fact]
    public async Task Csv_KeepsColumnsAndQuoting_CommasNewlinesQuotes()
    {
        // Awkward fields: separators, doubled quotes, line breaks (LF and CRLF), leading and trailing spaces, empty.
        string[][] rows =
        [
            ["a1", "Cup final, at last", Sport, "note with \"quotes\", and a comma"],
            ["a2", "Rates\nrise", Business, "two\r\nlines"],
            ["a3", "  padded  ", Health, ""],
            ["a,4", "\"Quoted\"", Sport + " \"Goal!\"", "x"],
        ];
        var input = _tmp.Write("in.csv", Csv.Line(',', "id", "title", "text", "note") + string.Concat(rows.Select(r => Csv.Line(',', r))));
        var output = _tmp["out.csv"];
        var r = await Score("-i", input, "-o", output, "--quiet");

        var text = File.ReadAllText(output);
        var table = Csv.Parse(text);
        Assert.Equal(["id", "title", "text", "note", "label", "score", "error"], table[0]);
        Assert.Equal(rows.Length, table.Count - 1);
        for (int i = 0; i < rows.Length; i++) Assert.Equal(rows[i], table[i + 1][..4]);
        Assert.Equal(["sport", "business", "health", "sport"], table.Skip(1).Select(t => t[4]));
        Assert.All(table.Skip(1), t => Assert.Matches(@"^(0\.\d{1,6}|1)$", t[5]));
        Assert.Equal((4L, 0L), ScoreAssert.Summary(r));

        // --keep lists columns; the id is added when not kept.
        var some = Csv.Parse((await Score("-i", input, "-o", "-", "--keep", "note", "--quiet")).Stdout);
        Assert.Equal(["note", "id", "label", "score", "error"], some[0]);
        Assert.Equal(rows.Select(x => new[] { x[3], x[0] }), some.Skip(1).Select(t => t[..2]));
    }

    [Fact]
    public async Task Csv_WithALabelColumn_KeepsIt_WithoutDuplicateHeaderNames()
    {
        var output = _tmp["fixture.csv"];
        await Score("-i", CliHarness.Fixture("tiny-news.csv"), "-o", output, "--top", "2", "--quiet");
        var rows = Csv.Records(File.ReadAllText(output)); // fails on duplicate header names
        Assert.Equal(_model.Rows.Select(r => r.Id), rows.Select(r => r["id"]));
        var header = Csv.Parse(File.ReadAllText(output))[0];
        Assert.Equal(["id", "title", "text", "input_label", "label", "score", "label_2", "score_2", "error"], header);
        Assert.Equal(_model.Rows.Select(r => r.Label), rows.Select(r => r["input_label"]));
        // The model was trained on 30 of these 36 rows and gets (nearly) all right.
        Assert.True(rows.Count(r => r["label"] == r["input_label"]) >= 33, string.Join(", ", rows.Select(r => r["label"])));
    }

    [Fact]
    public async Task Csv_IdOption_UsesThatColumn_AndLineNumbersWithoutOne()
    {
        var input = _tmp.Write("in.csv", "key,text\nk1," + Sport + "\nk2,\"" + Business + "\nsecond line\"\nk3," + Health + "\n");
        var byKey = Csv.Records((await Score("-i", input, "--text", "text", "--id", "key", "--keep", "none", "--quiet")).Stdout);
        Assert.Equal(["k1", "k2", "k3"], byKey.Select(r => r["id"]));
        // No id column: the line where the record starts (the header is line 1; k2 spans lines 3-4).
        var byLine = Csv.Records((await Score("-i", input, "--text", "text", "--keep", "none", "--quiet")).Stdout);
        Assert.Equal(["2", "3", "5"], byLine.Select(r => r["id"]));
        Assert.Equal(["sport", "business", "health"], byLine.Select(r => r["label"]));
    }

    [Fact]
    public async Task Tsv_KeepsColumns_AndWritesTsv()
    {
        var input = _tmp.Write("in.tsv",
            "id\ttitle\ttext\tsource\n" +
            "t1\tDerby\t" + Sport + "\twire, AP\n" +
            "t2\tRates\t" + Business + "\tsaid \"no\"\n" +
            "t3\tClinic\t" + Health + "\t\n");
        var output = _tmp["out.tsv"];
        var r = await Score("-i", input, "-o", output, "--quiet");
        var text = File.ReadAllText(output);
        var table = Csv.Parse(text, '\t');
        Assert.Equal(["id", "title", "text", "source", "label", "score", "error"], table[0]);
        Assert.Equal(["t1", "t2", "t3"], table.Skip(1).Select(t => t[0]));
        Assert.Equal(["wire, AP", "said \"no\"", ""], table.Skip(1).Select(t => t[3]));
        Assert.Equal([Sport, Business, Health], table.Skip(1).Select(t => t[2]));
        Assert.Equal(["sport", "business", "health"], table.Skip(1).Select(t => t[4]));
        Assert.Equal((3L, 0L), ScoreAssert.Summary(r));
        // TSV in, TSV out on stdout too.
        Assert.Equal(text, (await Score("-i", input, "-o", "-", "--quiet")).Stdout);
    }

    [Fact]
    public async Task Jsonl_KeepsIdsAndFields()
    {
        var lines = new[]
        {
            JsonSerializer.Serialize(new { id = "j1", text = Sport, source = "wire", n = 3 }),
            JsonSerializer.Serialize(new { id = "j2", text = Business + " \"quoted\", é ü 日本", source = "desk", n = 4 }),
            JsonSerializer.Serialize(new { id = "j3", text = Health, source = (string?)null, n = 5 }),
        };
        var input = _tmp.Write("in.jsonl", string.Join("\n", lines) + "\n");
        var output = _tmp["out.jsonl"];
        var r = await Score("-i", input, "--text", "text", "-o", output, "--quiet");
        var objects = ScoreAssert.JsonLines(File.ReadAllText(output));
        Assert.Equal(["j1", "j2", "j3"], objects.Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["id", "text", "source", "n", "label", "score"], objects[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(Business + " \"quoted\", é ü 日本", objects[1].GetProperty("text").GetString());
        Assert.Equal(["wire", "desk"], objects.Take(2).Select(o => o.GetProperty("source").GetString()));
        Assert.Equal(JsonValueKind.Null, objects[2].GetProperty("source").ValueKind);
        Assert.Equal(["3", "4", "5"], objects.Select(o => o.GetProperty("n").GetString())); // fields are text
        Assert.Equal(["sport", "business", "health"], objects.Select(o => o.GetProperty("label").GetString()));
        Assert.All(objects, o => Assert.InRange(o.GetProperty("score").GetDouble(), 1.0 / 3, 1.0));
        Assert.All(objects, o => Assert.False(o.TryGetProperty("top", out _)));
        Assert.Equal((3L, 0L), ScoreAssert.Summary(r));

        // A gold label in the input is kept under another name, not dropped and not clobbered.
        var fixture = ScoreAssert.JsonLines((await Score("-i", CliHarness.Fixture("tiny-news.jsonl"), "--text", "text", "--quiet")).Stdout);
        Assert.Equal(24, fixture.Count);
        Assert.Equal(["id", "text", "input_label", "label", "score"], fixture[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(Enumerable.Range(1, 24).Select(i => i.ToString(CultureInfo.InvariantCulture)), fixture.Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Txt_LineNumbersAreIds_BlankLinesScoredAndCounted_OrDropped()
    {
        // One output line per input line, as fastText's predict: a blank line is scored from the biases, and counted.
        var input = _tmp.Write("docs.txt", Sport + "\n\n" + Business + "\r\n   \n" + Health + "\n");
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", _tmp["out.jsonl"]);
        Assert.True(r.ExitCode == 3, r.ToString());
        var objects = ScoreAssert.JsonLines(File.ReadAllText(_tmp["out.jsonl"]));
        Assert.Equal(["1", "2", "3", "4", "5"], objects.Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["sport", "business", "health"], objects.Where((_, i) => i % 2 == 0).Select(o => o.GetProperty("label").GetString()));
        Assert.All(objects, o => Assert.Equal(["id", "label", "score"], o.EnumerateObject().Select(p => p.Name)));
        Assert.Equal((5L, 2L), ScoreAssert.Summary(r));
        Assert.Contains($"warning: {input}:2: empty text (scored from the model's biases alone)", r.Stderr);
        Assert.Contains($"warning: {input}:4: empty text (scored from the model's biases alone)", r.Stderr);

        var d = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", _tmp["drop.jsonl"], "--bad-rows", "drop");
        Assert.True(d.ExitCode == 3, d.ToString());
        Assert.Equal(["1", "3", "5"], ScoreAssert.JsonLines(File.ReadAllText(_tmp["drop.jsonl"])).Select(o => o.GetProperty("id").GetString()));
        Assert.Equal((3L, 2L), ScoreAssert.Summary(d));
        Assert.Contains($"warning: skipped {input}:2: empty text", d.Stderr);
    }

    [Fact]
    public async Task Dir_RelativePathsAreIds_TxtAndMd_NestedFolders()
    {
        var root = Path.Combine(_tmp.Path, "docs");
        _tmp.Write("docs/b.md", "# Match report\n\n" + Sport);
        _tmp.Write("docs/a.txt", Business);
        _tmp.Write("docs/sub/c.txt", Health);
        _tmp.Write("docs/sub/deeper/d.md", Sport);
        _tmp.Write("docs/sub/ignored.csv", "id,text\n1,x\n");
        _tmp.Write("docs/sub/notes.json", "{}");
        var r = await Score("-i", root, "-o", _tmp["out.jsonl"], "--quiet");
        var objects = ScoreAssert.JsonLines(File.ReadAllText(_tmp["out.jsonl"]));
        Assert.Equal(["a.txt", "b.md", "sub/c.txt", "sub/deeper/d.md"], objects.Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["business", "sport", "health", "sport"], objects.Select(o => o.GetProperty("label").GetString()));
        Assert.Equal((4L, 0L), ScoreAssert.Summary(r));

        // CSV output on request, for a folder too.
        var csv = Csv.Records((await Score("-i", root, "-o", "-", "--output-format", "csv", "--quiet")).Stdout);
        Assert.Equal(["a.txt", "b.md", "sub/c.txt", "sub/deeper/d.md"], csv.Select(x => x["id"]));
    }

    [Fact]
    public async Task Stdin_Csv_And_Txt()
    {
        var csvText = "id,title,text\nx1,Goal,\"" + Sport + "\"\nx2,Bank,\"" + Business + "\"\n";
        var r = await CliHarness.RunAsync(["score", "-m", _model.TrainedModel, "-i", "-", "--quiet"], stdin: csvText);
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = Csv.Records(r.Stdout);
        Assert.Equal(["x1", "x2"], rows.Select(x => x["id"]));
        Assert.Equal(["Goal", "Bank"], rows.Select(x => x["title"]));
        Assert.Equal(["sport", "business"], rows.Select(x => x["label"]));
        Assert.Equal((2L, 0L), ScoreAssert.Summary(r));

        var t = await CliHarness.RunAsync(["score", "-m", _model.TrainedModel, "-i", "-", "--format", "txt", "-o", _tmp["stdin.jsonl"], "--quiet"], stdin: Health + "\n" + Sport + "\n");
        Assert.True(t.ExitCode == 0, t.ToString());
        var objects = ScoreAssert.JsonLines(File.ReadAllText(_tmp["stdin.jsonl"]));
        Assert.Equal(["1", "2"], objects.Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["health", "sport"], objects.Select(o => o.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Top3_Csv_HasRankedColumns_Jsonl_HasATopArray()
    {
        var input = CliHarness.Fixture("tiny-news.csv");
        var table = Csv.Parse((await Score("-i", input, "--keep", "none", "--top", "3", "--quiet")).Stdout);
        Assert.Equal(["id", "label", "score", "label_2", "score_2", "label_3", "score_3", "error"], table[0]);
        Assert.Equal(37, table.Count);
        foreach (var row in table.Skip(1))
        {
            Assert.Equal(ScoreModelFixture.Labels, new[] { row[1], row[3], row[5] }.Order());
            var scores = new[] { row[2], row[4], row[6] }.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToList();
            ScoreAssert.ScoresDescending(scores);
            Assert.Equal(1.0, scores.Sum(), 4);
        }

        // --top above the number of labels gives every label once.
        var many = Csv.Parse((await Score("-i", input, "--keep", "none", "--top", "5", "--quiet")).Stdout);
        Assert.Equal(table[0], many[0]);

        var objects = ScoreAssert.JsonLines((await Score("-i", input, "-o", "-", "--output-format", "jsonl", "--keep", "none", "--top", "3", "--quiet")).Stdout);
        Assert.Equal(36, objects.Count);
        foreach (var o in objects)
        {
            var top = o.GetProperty("top").EnumerateArray().ToList();
            Assert.Equal(3, top.Count);
            Assert.Equal(o.GetProperty("label").GetString(), top[0].GetProperty("label").GetString());
            Assert.Equal(o.GetProperty("score").GetDouble(), top[0].GetProperty("score").GetDouble());
            Assert.Equal(ScoreModelFixture.Labels, top.Select(t => t.GetProperty("label").GetString()).Order());
            ScoreAssert.ScoresDescending(top.Select(t => t.GetProperty("score").GetDouble()).ToList());
        }
        Assert.Equal(_model.Rows.Select(r => r.Id), objects.Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task TopZero_IsBadInput()
    {
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", CliHarness.Fixture("tiny-news.csv"), "--top", "0");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--top must be at least 1", r.Stderr);
        Assert.Equal("", r.Stdout);
    }
}
