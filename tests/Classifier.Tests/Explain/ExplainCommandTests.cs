using Classifier.Tests.Cli;

namespace Classifier.Tests.Explain;

/// <summary>`classifier explain` end to end, on a model trained on the toy problem.</summary>
[Collection(CliCollection.Name)]
public sealed class ExplainCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private async Task<string> TrainAsync(string trainer = "svm")
    {
        var data = _tmp.Write("toy.csv", ExplainToy.Csv());
        var model = _tmp[$"{trainer}.zip"];
        await CliHarness.RunOkAsync("train", "--data", data, "--test-fraction", "0", "--trainer", trainer, "--model", model, "--quiet");
        return model;
    }

    private static void AssertBadInput(CliResult r, string message)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal("", r.Stdout);
        var line = Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(message, line);
    }

    [Fact]
    public async Task Document_Json_NamesTheDecisiveWord()
    {
        var model = await TrainAsync();
        var json = (await CliHarness.RunOkAsync("explain", "--model", model, "--json", "the goal came early today")).Json();
        Assert.Equal("sport", json.GetProperty("label").GetString());
        var towards = json.GetProperty("towards").EnumerateArray().ToList();
        Assert.Equal("goal", towards[0].GetProperty("term").GetString());
        Assert.Equal("word", towards[0].GetProperty("kind").GetString());
        Assert.True(towards[0].GetProperty("contribution").GetDouble() > 0);
        Assert.InRange(towards.Count, 1, 10);
        Assert.True(json.GetProperty("margin_is_log_odds").GetBoolean());
    }

    [Fact]
    public async Task Document_Text_FromFileAndStdin_ShowsAlignedColumns()
    {
        var model = await TrainAsync();
        var file = _tmp.Write("doc.txt", "Shares rose this week, the report said.");
        var r = await CliHarness.RunOkAsync("explain", "--model", model, "--file", file, "--top", "3");
        Assert.StartsWith("Predicted business (p = ", r.Stdout);
        Assert.Contains("Terms pushing towards business:", r.Stdout);
        Assert.Matches(@"\nterm +kind +value +contribution\n", r.Stdout);
        Assert.Matches(@"\nshares +word +[0-9.]+ +\+[0-9.]+\n", r.Stdout);
        Assert.Contains("ln(p(business) / p(", r.Stdout);

        var piped = await CliHarness.RunAsync(["explain", "--model", model, "-"], "a new vaccine");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.StartsWith("Predicted health (p = ", piped.Stdout);
    }

    [Fact]
    public async Task Classes_Json_ListsEachKeywordFirst()
    {
        var model = await TrainAsync();
        var json = (await CliHarness.RunOkAsync("explain", "--model", model, "--classes", "--json", "--top", "4")).Json();
        Assert.Equal("words", json.GetProperty("terms").GetString());
        Assert.True(json.GetProperty("weights_centred").GetBoolean());
        var classes = json.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(ExplainToy.Classes.Select(c => c.Label), classes.Select(c => c.GetProperty("label").GetString()));
        foreach (var (c, (_, keyword)) in classes.Zip(ExplainToy.Classes))
        {
            Assert.Equal(keyword, c.GetProperty("for")[0].GetProperty("term").GetString());
            Assert.Equal(4, c.GetProperty("for").GetArrayLength());
            Assert.True(c.GetProperty("against")[0].GetProperty("weight").GetDouble() < 0);
        }
    }

    [Fact]
    public async Task Classes_Text_HasATablePerClassAndSide()
    {
        var model = await TrainAsync();
        var r = await CliHarness.RunOkAsync("explain", "--model", model, "--classes", "--terms", "all");
        foreach (var (label, keyword) in ExplainToy.Classes)
        {
            Assert.Contains($"{label}: terms for", r.Stdout);
            Assert.Contains($"{label}: terms against", r.Stdout);
        }
        Assert.Contains(" char ", r.Stdout);
    }

    [Fact]
    public async Task NonLinearTrainer_Exit2_WithAClearMessage()
    {
        var model = await TrainAsync("naive-bayes");
        AssertBadInput(await CliHarness.RunAsync("explain", "--model", model, "a goal"), "explanations are not available for the naive-bayes trainer");
        AssertBadInput(await CliHarness.RunAsync("explain", "--model", model, "--classes"), "explanations are not available");
    }

    [Fact]
    public async Task UsageErrors_Exit2()
    {
        var model = await TrainAsync();
        AssertBadInput(await CliHarness.RunAsync("explain", "--model", model), "give a document");
        AssertBadInput(await CliHarness.RunAsync("explain", "--model", model, "text", "--file", _tmp.Write("a.txt", "x")), "not both");
        AssertBadInput(await CliHarness.RunAsync("explain", "--model", model, "--classes", "text"), "--classes");
        AssertBadInput(await CliHarness.RunAsync("explain", "--model", model, "--top", "0", "text"), "--top");
        AssertBadInput(await CliHarness.RunAsync("explain", "--model", model, "--terms", "letters", "text"), "--terms");
        AssertBadInput(await CliHarness.RunAsync("explain", "--model", model, "--file", _tmp["missing.txt"]), "no such file");
    }

    [Fact]
    public async Task Help_ShowsTheDefaults()
    {
        var r = await CliHarness.RunOkAsync("explain", "--help");
        Assert.Contains("[default: 10 for a document, 20 per class with --classes]", r.Stdout);
        Assert.Contains("[default: words]", r.Stdout);
    }
}
