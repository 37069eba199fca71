using System.Text.Json;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, other formats: JSON Lines, fastText and label folders. Already covered elsewhere:
/// ReaderTests.Jsonl_FieldsBadLinesAndArrayLabels (lines that do not parse, arrays, non-object lines, value types),
/// ScoreFailureTests.BadJsonlLines_AreSkippedWithAWarningNamingTheLine_AndCounted (score), ReaderTests.FastText_OneOrSeveralLabelsAndMissingLabel,
/// ReaderTests.Folder_LabelledReadsSubFoldersAsLabels (an empty file), ReaderTests.Folder_WithoutLabelSubFoldersIsAnError and
/// PathCatalogueTests.Train_DataIsAFolderWithoutLabelFolders_Exit2_NoModel.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class FormatCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public FormatCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    private static string JsonLine(string text, string label) => JsonSerializer.Serialize(new Dictionary<string, string> { ["text"] = text, ["label"] = label }) + "\n";

    [Fact]
    public async Task Jsonl_Train_ALineThatDoesNotParse_IsSkippedWithItsLine()
    {
        var lines = Inputs.Rows().Select(r => JsonLine(r.Text, r.Label)).ToList();
        lines.Insert(4, "{\"text\": \"cut off in the middle\n");     // line 5
        lines.Insert(9, "{'text': 'single quotes', 'label': 'x'}\n"); // line 10
        var data = _tmp.Write("data.jsonl", string.Concat(lines));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Outcome.BadRows(r);
        var warnings = Outcome.Warnings(r);
        Assert.Equal(3, warnings.Length);
        Assert.StartsWith($"warning: skipped {data}:5: line is not a JSON object: ", warnings[0]);
        Assert.StartsWith($"warning: skipped {data}:10: line is not a JSON object: ", warnings[1]);
        Assert.Equal("warning: 2 rows skipped in all (2 not JSON)", warnings[2]);
        Outcome.FolderHolds(_tmp.Path, "data.jsonl", "m.zip");
    }

    /// <summary>
    /// A text field that is not a string is read as its JSON text (a number as "42", an object or a nested array as
    /// its raw JSON, a flat array as its items joined by ';'); null is no text at all.
    /// </summary>
    [Fact]
    public async Task Jsonl_Score_TextOfTheWrongType_IsReadAsItsJsonText_NullIsEmpty()
    {
        var input = _tmp.Write("in.jsonl",
            "{\"id\":\"s\",\"text\":\"The striker scored a goal\"}\n" +
            "{\"id\":\"n\",\"text\":42}\n" +
            "{\"id\":\"o\",\"text\":{\"body\":\"The striker scored a goal\"}}\n" +
            "{\"id\":\"a\",\"text\":[\"The striker\",\"scored a goal\"]}\n" +
            "{\"id\":\"b\",\"text\":true}\n" +
            "{\"id\":\"z\",\"text\":null}\n");
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", "-", "--bad-rows", "drop");
        Outcome.BadRows(r);
        Assert.Equal([$"warning: skipped {input}:6: empty text"], Outcome.Warnings(r));
        Assert.Equal((5L, 1L), ScoreAssert.Summary(r));
        var rows = ScoreAssert.JsonLines(r.Stdout);
        Assert.Equal(["s", "n", "o", "a", "b"], rows.Select(x => x.GetProperty("id").GetString()));
        Assert.Equal(
            ["The striker scored a goal", "42", "{\"body\":\"The striker scored a goal\"}", "The striker;scored a goal", "true"],
            rows.Select(x => x.GetProperty("text").GetString()));
        Assert.All(rows, x => Assert.Equal(JsonValueKind.String, x.GetProperty("label").ValueKind));
    }

    [Fact]
    public async Task Jsonl_Train_NumericLabels_AreStrings()
    {
        var data = _tmp.Write("num.jsonl", string.Concat(Inputs.Rows().Select(r =>
            $"{{\"text\":{JsonSerializer.Serialize(r.Text)},\"label\":{r.Label switch { "sport" => "1", "business" => "2", _ => "10" }}}}\n")));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"], "--quiet");
        Outcome.Ok(r);
        var info = (await CliHarness.RunOkAsync("info", "-m", _tmp["m.zip"], "--json")).Json();
        Assert.Equal(["1", "10", "2"], info.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task FastText_LinesWithoutALabel_AreSkippedWithTheirLine()
    {
        var lines = Inputs.Rows().Select(r => $"__label__{r.Label} {r.Text}\n").ToList();
        lines.Insert(2, "a line someone forgot to label\n");  // line 3
        lines.Insert(6, "__label__ empty label then text\n");  // line 7
        var data = _tmp.Write("data.ft", string.Concat(lines));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Outcome.BadRows(r);
        Assert.Equal(
            [$"warning: skipped {data}:3: no __label__ prefix", $"warning: skipped {data}:7: empty label: '__label__' is followed by nothing", "warning: 2 rows skipped in all (2 no label)"],
            Outcome.Warnings(r));
        Outcome.FolderHolds(_tmp.Path, "data.ft", "m.zip");
    }

    [Fact]
    public async Task FastText_NoLineHasALabel_Exit2_NoModel()
    {
        var data = _tmp.Write("plain.ft", "just some text\nmore text\n");
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Assert.Equal($"error: {data}: no usable rows: all 2 rows were skipped (first: {data}:1: no __label__ prefix)", Outcome.BadInput(r, data));
        Outcome.FolderHolds(_tmp.Path, "plain.ft");
    }

    [Fact]
    public async Task LabelFolders_EmptyFilesAreSkippedWithTheirPath_TheRestTrains()
    {
        foreach (var (row, i) in Inputs.Rows().Select((r, i) => (r, i))) _tmp.Write($"corpus/{row.Label}/{i:D2}.txt", row.Text);
        var empty = _tmp.Write("corpus/sport/empty.txt", "");
        var blank = _tmp.Write("corpus/health/blank.txt", " \n\t\n");
        var r = await CliHarness.RunAsync("train", "--data", _tmp["corpus"], "--model", _tmp["m.zip"]);
        Outcome.BadRows(r);
        Assert.Equal([$"warning: skipped {blank}: empty file", $"warning: skipped {empty}: empty file", "warning: 2 rows skipped in all (2 empty text)"], Outcome.Warnings(r));
        Outcome.FolderHolds(_tmp.Path, "corpus", "m.zip");
    }

    [Fact]
    public async Task LabelFolders_OnlyEmptyFiles_Exit2_NoModel()
    {
        var empty = _tmp.Write("corpus/sport/a.txt", "");
        _tmp.Write("corpus/health/b.txt", "");
        Directory.CreateDirectory(_tmp["corpus/business"]); // a label folder with no file at all
        var corpus = _tmp["corpus"];
        var r = await CliHarness.RunAsync("train", "--data", corpus, "--model", _tmp["m.zip"]);
        Assert.Equal($"error: {corpus}: no usable rows: all 2 rows were skipped (first: {_tmp["corpus/health/b.txt"]}: empty file)", Outcome.BadInput(r, corpus));
        Assert.True(File.Exists(empty));
        Outcome.FolderHolds(_tmp.Path, "corpus");
    }
}
