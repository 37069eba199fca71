using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, labels. The policy (Data/LabelPolicy.cs): surrounding whitespace is trimmed, case is kept, and labels that
/// differ only in case are warned about; labels are strings, numbers included. Already covered elsewhere:
/// EndToEndTests.OnlyOneClass_Exit2 and EndToEndTests.ClassWithOneExample_DefaultHoldout_Exit2 (train).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class LabelCatalogueTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string[] Labels(CliResult info) =>
        info.Json().GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("label").GetString()!).ToArray();

    private string RareClassCsv() =>
        _tmp.Write("rare.csv", Inputs.Csv() + "a lone article about the weather and rain,weather\n");

    [Fact]
    public async Task CrossValidate_AClassWithOneExample_Exit2_NamesTheClass()
    {
        var data = RareClassCsv();
        var r = await CliHarness.RunAsync("cross-validate", "--data", data, "--folds", "3");
        Assert.Equal("error: class 'weather' has only 1 example; cross-validation needs at least 2 per class", Outcome.BadInput(r, null));
        Outcome.FolderHolds(_tmp.Path, "rare.csv");
    }

    [Fact]
    public async Task Train_AClassWithOneExample_WithoutAHoldout_Trains()
    {
        var data = RareClassCsv();
        var r = await CliHarness.RunAsync("train", "--data", data, "--test-fraction", "0", "--model", _tmp["m.zip"], "--quiet");
        Outcome.Ok(r);
        Assert.Equal(["business", "health", "sport", "weather"], Labels(await CliHarness.RunOkAsync("info", "-m", _tmp["m.zip"], "--json")));
    }

    [Fact]
    public async Task LabelsDifferingOnlyInCase_AreKeptApart_WithAWarning()
    {
        var rows = Inputs.Rows(8).Select((r, i) => $"{r.Text},{(r.Label == "sport" && i % 2 == 0 ? "Sport" : r.Label)}\n");
        var data = _tmp.Write("case.csv", "text,label\n" + string.Concat(rows));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Outcome.Ok(r);
        Assert.Equal(["warning: labels differ only in case and are kept apart: 'Sport', 'sport'"], Outcome.Warnings(r));
        Assert.Equal(["Sport", "business", "health", "sport"], Labels(await CliHarness.RunOkAsync("info", "-m", _tmp["m.zip"], "--json")));
    }

    [Fact]
    public async Task LabelsWithSurroundingSpaces_AreTrimmed_IntoOneLabel()
    {
        var rows = Inputs.Rows().Select((r, i) => $"{r.Text},\"{(i % 2 == 0 ? $"  {r.Label}\t" : r.Label)}\"\n");
        var data = _tmp.Write("spaces.csv", "text,label\n" + string.Concat(rows));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Outcome.Ok(r);
        Assert.Empty(Outcome.Warnings(r));
        var info = await CliHarness.RunOkAsync("info", "-m", _tmp["m.zip"], "--json");
        Assert.Equal(["business", "health", "sport"], Labels(info));
    }

    [Fact]
    public async Task NumericLabels_AreStrings_InOrdinalOrder_AndScoredAsStrings()
    {
        var rows = Inputs.Rows().Select(r => $"{r.Text},{r.Label switch { "sport" => "1", "business" => "2", _ => "10" }}\n");
        var data = _tmp.Write("numeric.csv", "text,label\n" + string.Concat(rows));
        var model = _tmp["m.zip"];
        Outcome.Ok(await CliHarness.RunAsync("train", "--data", data, "--model", model, "--quiet"));
        Assert.Equal(["1", "10", "2"], Labels(await CliHarness.RunOkAsync("info", "-m", model, "--json")));

        var input = _tmp.Write("in.txt", "Doctors at the hospital gave patients a vaccine at the clinic\n");
        var scored = await CliHarness.RunOkAsync("score", "-m", model, "-i", input, "-o", "-");
        var line = Assert.Single(ScoreAssert.JsonLines(scored.Stdout));
        Assert.Equal(System.Text.Json.JsonValueKind.String, line.GetProperty("label").ValueKind);
        Assert.Equal("10", line.GetProperty("label").GetString());
    }
}
