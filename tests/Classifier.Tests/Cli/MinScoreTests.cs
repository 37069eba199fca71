using System.Text.Json;

namespace Classifier.Tests.Cli;

/// <summary>`--min-score P` on predict and score: "unknown" below P, the probabilities still reported.</summary>
[Collection(CliCollection.Name)]
public sealed class MinScoreTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private async Task<string> RegionModel()
    {
        var model = _tmp["region.zip"];
        await CliHarness.RunOkAsync("train", "--label", "region", "--model", model, "--quiet");
        return model;
    }

    private const string NoClue = "The company said quarterly results would be released next week.";
    private const string Clear = "Shares fell on Wall Street as the Fed raised rates and the dollar rose in New York.";

    [Fact]
    public async Task Predict_SaysUnknownBelowTheMinimum_AndStillListsTheRanking()
    {
        var model = await RegionModel();
        var r = await CliHarness.RunOkAsync("predict", "-m", model, "--min-score", "0.5", NoClue, Clear);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("unknown\t0.1", lines[0]);
        // Below the minimum, every ranked label follows, the top one first.
        Assert.Equal(3, lines.Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Count());
        Assert.Contains(lines, l => l.StartsWith("north-america\t0.9", StringComparison.Ordinal));
        var json = (await CliHarness.RunOkAsync("predict", "-m", model, "--min-score", "0.5", "--json", NoClue)).Json();
        Assert.Equal("unknown", json.GetProperty("label").GetString());
        Assert.Equal(json.GetProperty("score").GetDouble(), json.GetProperty("top")[0].GetProperty("score").GetDouble());
        Assert.NotEqual("unknown", json.GetProperty("top")[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Score_WritesUnknownInTheLabelColumn_InCsvAndJsonLines()
    {
        var model = await RegionModel();
        var input = _tmp["in.csv"];
        File.WriteAllText(input, $"id,text\n1,{NoClue}\n2,{Clear}\n");
        var csv = _tmp["out.csv"];
        await CliHarness.RunOkAsync("score", "-m", model, "-i", input, "--text", "text", "-o", csv, "--min-score", "0.5", "--keep", "none", "--quiet");
        var rows = File.ReadAllLines(csv);
        Assert.Equal("id,label,score,top_label,error", rows[0]);
        // Below the minimum the row is "unknown", and top_label still says what it nearly was.
        var first = rows[1].Split(',');
        Assert.Equal("unknown", first[1]);
        Assert.StartsWith("0.1", first[2]);
        Assert.Contains(first[3], (await RegionLabels(model)));
        Assert.StartsWith("2,north-america,0.9", rows[2]);
        Assert.EndsWith(",north-america,", rows[2]);
        var jsonl = _tmp["out.jsonl"];
        await CliHarness.RunOkAsync("score", "-m", model, "-i", input, "--text", "text", "-o", jsonl, "--min-score", "0.5", "--keep", "none", "--quiet");
        var line = JsonDocument.Parse(File.ReadLines(jsonl).First()).RootElement;
        Assert.Equal("unknown", line.GetProperty("label").GetString());
        Assert.Equal(first[3], line.GetProperty("top_label").GetString());
        // Without the option nothing is unknown, and there is no top_label column: the default is none.
        await CliHarness.RunOkAsync("score", "-m", model, "-i", input, "--text", "text", "-o", csv, "--keep", "none", "--quiet");
        Assert.DoesNotContain("unknown", File.ReadAllText(csv));
        Assert.Equal("id,label,score,error", File.ReadLines(csv).First());
    }

    private static async Task<string[]> RegionLabels(string model) =>
        (await CliHarness.RunOkAsync("info", "-m", model, "--json")).Json().GetProperty("labels").EnumerateArray()
            .Select(l => l.ValueKind == JsonValueKind.String ? l.GetString()! : l.GetProperty("label").GetString()!).ToArray();

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public async Task AMinimumOutsideZeroToOne_IsBadInput(string value)
    {
        var r = await CliHarness.RunAsync("predict", "-m", _tmp["none.zip"], "--min-score", value, "x");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--min-score must be a probability between 0 and 1", r.Stderr);
    }
}
