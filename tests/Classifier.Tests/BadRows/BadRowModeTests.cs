using System.Text;
using System.Text.Json;
using Classifier.Tests.Catalogue;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.BadRows;

/// <summary>
/// `score --bad-rows keep|drop|fail`, `--bad-rows-file`, `--max-bad-rows` and exit code 3, on the six-row file of the
/// issue that lost rows: every row that can be delimited comes out, in order, with its id.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class BadRowModeTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public BadRowModeTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    /// <summary>
    /// Rows 1 and 6 are good; 2 has one field, 3 has three, 4 has an empty text, 5 has text after its closing quote.
    /// The header is line 1, so row k starts on line k + 1.
    /// </summary>
    private string SixRows() => _tmp.Write("six.csv",
        "id,text\n" +
        "1,The striker scored a goal and the team won the match\n" +
        "2\n" +
        "3,The central bank raised rates,extra\n" +
        "4,\n" +
        "5,\"Doctors gave\" a vaccine at the clinic\n" +
        "6,Shares fell on the stock market after the bank raised rates\n");

    [Fact]
    public async Task Keep_WritesAllSixRowsInOrder_ErrorsWithoutLabels_EmptyTextScored_Exit3()
    {
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", SixRows(), "--text", "text", "-o", output);
        Outcome.BadRows(r);
        var rows = Csv.Records(File.ReadAllText(output));
        Assert.Equal(["1", "2", "3", "4", "5", "6"], rows.Select(x => x["id"]));
        Assert.Equal([false, true, true, false, true, false], rows.Select(x => x["error"] != ""));
        Assert.Equal([true, false, false, true, false, true], rows.Select(x => x["label"] != ""));
        Assert.Equal("line 3: row has 1 field, header has 2", rows[1]["error"]);
        Assert.Equal("line 4: row has 3 fields, header has 2", rows[2]["error"]);
        Assert.StartsWith("line 6: unbalanced quote", rows[4]["error"]);
        Assert.Equal((3L, 4L), ScoreAssert.Summary(r));
        Assert.Equal(3, ScoreAssert.ErrorRows(r));
        Assert.Contains("4 bad rows (2 field count, 1 quoting, 1 empty text): 3 written with their error, 1 scored anyway", r.Stderr);
    }

    [Fact]
    public async Task Keep_JsonlOutput_HasNullLabelAndTheError()
    {
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", SixRows(), "--text", "text", "-o", "-", "--output-format", "jsonl", "--keep", "none");
        Outcome.BadRows(r);
        var rows = ScoreAssert.JsonLines(r.Stdout);
        Assert.Equal(["1", "2", "3", "4", "5", "6"], rows.Select(x => x.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("label").ValueKind);
        Assert.Equal("line 3: row has 1 field, header has 2", rows[1].GetProperty("error").GetString());
        Assert.False(rows[0].TryGetProperty("error", out _));
        Assert.Equal(JsonValueKind.String, rows[3].GetProperty("label").ValueKind);
    }

    [Fact]
    public async Task Fail_Exit2_NamesFileAndLine_LeavesNoOutput()
    {
        var input = SixRows();
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", output, "--bad-rows", "fail");
        Assert.Equal($"error: {input}:3: row has 1 field, header has 2", Outcome.BadInput(r, input));
        Outcome.NoFile(output);
    }

    [Fact]
    public async Task Drop_TodaysTwoRows_Exit3()
    {
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", SixRows(), "--text", "text", "-o", output, "--bad-rows", "drop");
        Outcome.BadRows(r);
        var rows = Csv.Records(File.ReadAllText(output));
        Assert.Equal(["1", "6"], rows.Select(x => x["id"]));
        Assert.DoesNotContain("error", rows[0].Keys);
        Assert.Equal((2L, 4L), ScoreAssert.Summary(r));
    }

    [Fact]
    public async Task CleanInput_Exit0_NoBadRows()
    {
        var input = _tmp.Write("clean.csv", "id,text\n1,The striker scored a goal\n2,The bank raised rates\n");
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", "-");
        Outcome.Ok(r);
        Assert.EndsWith("; no bad rows", Outcome.StderrLines(r)[^1]);
    }

    [Fact]
    public async Task BadRowsFile_HoldsOneObjectPerBadRow_WithFileLineKindReasonAndRaw()
    {
        var input = SixRows();
        var badFile = _tmp["bad.jsonl"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", _tmp["out.csv"], "--bad-rows-file", badFile);
        Outcome.BadRows(r);
        var bad = ScoreAssert.JsonLines(File.ReadAllText(badFile));
        Assert.Equal([3L, 4L, 5L, 6L], bad.Select(b => b.GetProperty("line").GetInt64()));
        Assert.Equal(["field_count", "field_count", "empty_text", "quoting"], bad.Select(b => b.GetProperty("kind").GetString()));
        Assert.All(bad, b => Assert.Equal(input, b.GetProperty("file").GetString()));
        Assert.Equal("2", bad[0].GetProperty("raw").GetString());
        Assert.Equal("3,The central bank raised rates,extra", bad[1].GetProperty("raw").GetString());
        Assert.Equal("row has 3 fields, header has 2", bad[1].GetProperty("reason").GetString());
        Assert.All(bad, b => Assert.False(b.GetProperty("raw_truncated").GetBoolean()));
    }

    [Fact]
    public async Task BadRowsFile_CapsTheRawText_AndIsWrittenWhenFailStops()
    {
        var input = _tmp.Write("long.csv", "id,text\n1,fine text here\n2," + new string('x', 10_000) + ",extra\n");
        var badFile = _tmp["bad.jsonl"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", _tmp["out.csv"],
            "--bad-rows", "fail", "--bad-rows-file", badFile);
        Outcome.BadInput(r, input);
        Outcome.NoFile(_tmp["out.csv"]);
        var bad = Assert.Single(ScoreAssert.JsonLines(File.ReadAllText(badFile)));
        Assert.Equal(4096, bad.GetProperty("raw").GetString()!.Length);
        Assert.True(bad.GetProperty("raw_truncated").GetBoolean());
    }

    [Theory]
    [InlineData("3", 2)]      // 4 bad rows, more than 3: stops at the fourth
    [InlineData("4", 3)]      // exactly 4: allowed
    [InlineData("0.5", 2)]    // 4 of 6 is above half: checked at the end, and the output is not left
    [InlineData("70%", 3)]    // 4 of 6 is below 70 %
    public async Task MaxBadRows_CountOrShare_TurnsExit3IntoExit2_AndLeavesNoOutput(string limit, int expected)
    {
        var output = _tmp["out.csv"];
        var input = SixRows();
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", output, "--max-bad-rows", limit);
        if (expected == 2)
        {
            Outcome.BadInput(r, input, "--max-bad-rows");
            Outcome.NoFile(output);
        }
        else
        {
            Outcome.BadRows(r);
            Assert.True(File.Exists(output));
        }
    }

    [Fact]
    public async Task MaxBadRows_Unparsable_Exit2()
    {
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", SixRows(), "--text", "text", "-o", "-", "--max-bad-rows", "1.5");
        Outcome.BadInput(r, null, "--max-bad-rows takes a count");
    }

    [Fact]
    public async Task Train_WithSkippedRows_Exit3_BadRowsFile_AndEvaluationSaysHowManyWereLeftOut()
    {
        var rows = Inputs.Rows().Select(x => $"{x.Text},{x.Label}\n").ToList();
        rows.Insert(3, "too,many,fields,sport\n");
        var data = _tmp.Write("train.csv", "text,label\n" + string.Concat(rows));
        var badFile = _tmp["bad.jsonl"];
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"], "--bad-rows-file", badFile, "--json");
        Outcome.BadRows(r);
        Assert.Equal(1, r.Json().GetProperty("skipped_rows").GetInt32());
        Assert.Equal(5L, Assert.Single(ScoreAssert.JsonLines(File.ReadAllText(badFile))).GetProperty("line").GetInt64());

        var text = await CliHarness.RunAsync("evaluate", "-m", _tmp["m.zip"], "--data", data);
        Outcome.BadRows(text);
        Assert.Contains($"1 bad row of {data} was left out (see the warnings): the figures above do not count it.", text.Stdout);

        var limited = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m2.zip"], "--max-bad-rows", "0");
        Outcome.BadInput(limited, data, "more than 0 bad rows");
        Assert.False(File.Exists(_tmp["m2.zip"]));
    }

    [Fact]
    public async Task BadRowsFile_ThatIsTheInputOrTheOutput_Exit2_BeforeAnyWork_NothingReplaced()
    {
        var input = SixRows();
        var before = File.ReadAllText(input);
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", _tmp["out.csv"], "--bad-rows-file", input);
        Outcome.BadInput(r, input, "the bad-rows file would replace");
        Assert.Equal(before, File.ReadAllText(input));
        Outcome.NoFile(_tmp["out.csv"]);

        var o = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", _tmp["out.csv"], "--bad-rows-file", _tmp["out.csv"]);
        Outcome.BadInput(o, _tmp["out.csv"], "the bad-rows file would replace");
    }

    [Fact]
    public async Task BadRowsFile_CutsLongJsonlLines_AndSaysSo()
    {
        var input = _tmp.Write("long.jsonl", "{\"text\":\"fine\"}\n{\"text\": \"" + new string('x', 10_000) + "\" broken\n");
        var badFile = _tmp["bad.jsonl"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", "-", "--bad-rows-file", badFile);
        Outcome.BadRows(r);
        var bad = Assert.Single(ScoreAssert.JsonLines(File.ReadAllText(badFile)));
        Assert.Equal(("not_json", 4096, true), (bad.GetProperty("kind").GetString(), bad.GetProperty("raw").GetString()!.Length, bad.GetProperty("raw_truncated").GetBoolean()));
    }

    [Fact]
    public async Task MaxBadRowsShare_IsJudgedOnEachInputsOwnRows()
    {
        // 2 bad of 20 training rows (10 %), a clean test file: 30 % is not exceeded by either.
        var rows = Inputs.Rows().Select(x => $"{x.Text},{x.Label}\n").ToList();
        rows.Insert(2, "bad,row,here\n");
        rows.Insert(9, "another,bad,row\n");
        var data = _tmp.Write("train.csv", "text,label\n" + string.Concat(rows));
        var test = _tmp.Write("test.csv", "text,label\n" + string.Concat(Inputs.Rows().Take(4).Select(x => $"{x.Text},{x.Label}\n")));
        var r = await CliHarness.RunAsync("train", "--data", data, "--test", test, "--model", _tmp["m.zip"], "--max-bad-rows", "30%", "--quiet");
        Outcome.BadRows(r);
        var strict = await CliHarness.RunAsync("train", "--data", data, "--test", test, "--model", _tmp["m2.zip"], "--max-bad-rows", "5%", "--quiet");
        Outcome.BadInput(strict, data, "2 of 20 rows were bad");
    }

    [Fact]
    public void AnErrorThatQuotesDamagedInput_StaysOneLine()
    {
        var e = new Classifier.Core.InputException("model manifest is damaged: '}\n\r\n x' is an invalid JSON literal", "m.zip", 3);
        Assert.Equal("m.zip:3: model manifest is damaged: '}   x' is an invalid JSON literal", e.Describe());
    }
}
