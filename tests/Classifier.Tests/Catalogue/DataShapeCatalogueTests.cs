using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, empty data and columns. Already covered elsewhere: EndToEndTests.EmptyFile_Exit2 (train on an empty CSV,
/// JSONL or fastText file and on a header-only CSV), EndToEndTests.MissingLabelColumn_Exit2_ListsTheColumns and
/// EndToEndTests.MissingTextColumn_Exit2_ListsTheColumns (train), ReaderTests.Csv_EmptyFileHeaderOnlyAndDuplicateHeader.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class DataShapeCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public DataShapeCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    // ------------------------------------------------------------ empty data

    [Theory]
    [InlineData("empty.csv")]
    [InlineData("empty.tsv")]
    [InlineData("empty.jsonl")]
    [InlineData("empty.txt")]
    public async Task Score_EmptyFile_Exit2_NoOutput(string name)
    {
        var input = _tmp.Write(name, "");
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", _tmp["out.csv"]);
        Assert.Equal($"error: {input}: file is empty", Outcome.BadInput(r, input));
        Outcome.FolderHolds(_tmp.Path, name);
    }

    [Fact]
    public async Task Score_HeaderOnly_Exit0_WritesAHeaderOnlyFile_AndSaysZero()
    {
        var input = _tmp.Write("header.csv", "id,title,text\n");
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output);
        Outcome.Ok(r);
        Assert.Equal((0L, 0L), ScoreAssert.Summary(r));
        Assert.Equal("id,title,text,label,score,error\n", File.ReadAllText(output).ReplaceLineEndings("\n"));
        Outcome.FolderHolds(_tmp.Path, "header.csv", "out.csv");
    }

    [Fact]
    public async Task Train_LabelColumnWithNoValues_Exit2_EveryRowWarned_NoModel()
    {
        var data = _tmp.Write("nolabels.csv", "text,label\nthe striker scored,\nrates went up,  \ndoctors at the clinic,\n");
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Assert.Equal(
            $"error: {data}: no usable rows: all 3 rows were skipped (first: {data}:2: row has no label (column 'label'))",
            Outcome.BadInput(r, data));
        Assert.Equal(
            [2, 3, 4],
            Outcome.Warnings(r).Select(w => int.Parse(w.Split(':')[2])).ToArray());
        Assert.All(Outcome.Warnings(r), w => Assert.EndsWith("row has no label (column 'label')", w));
        Outcome.FolderHolds(_tmp.Path, "nolabels.csv");
    }

    // ------------------------------------------------------------ columns

    [Theory]
    [InlineData("id,body\n1,The striker scored a goal\n", "title", "id, body")]
    [InlineData("id,text\n1,The striker scored a goal\n", "title", "id, text")]
    [InlineData("id,title\n1,Goal\n", "text", "id, title")]
    public async Task Score_ATextColumnOfTheModelIsMissing_Exit2_ListsTheColumns_NoOutput(string csv, string missing, string columns)
    {
        var input = _tmp.Write("in.csv", csv);
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", _tmp["out.csv"]);
        Assert.Equal($"error: {input}: text column '{missing}' not found; the columns are: {columns} (column '{missing}')", Outcome.BadInput(r, input));
        Outcome.FolderHolds(_tmp.Path, "in.csv");
    }

    [Fact]
    public async Task Evaluate_LabelColumnMissing_Exit2_ListsTheColumns()
    {
        var data = _tmp.Write("eval.csv", "title,text,topic\nGoal,The striker scored,sport\n");
        var r = await CliHarness.RunAsync("evaluate", "-m", _model.TrainedModel, "--data", data);
        Assert.Equal($"error: {data}: label column 'label' not found; the columns are: title, text, topic (column 'label')", Outcome.BadInput(r, data));
    }

    // ------------------------------------------------------------ CSV and TSV structure

    [Fact]
    public async Task Train_SemicolonCsv_Exit2_OneColumn_SaysTheSeparatorLooksWrong_NoModel()
    {
        var data = _tmp.Write("semi.csv", "text;label\n" + string.Concat(Inputs.Rows().Select(r => $"{r.Text};{r.Label}\n")));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Assert.Equal(
            $"error: {data}: text column 'text' not found; the columns are: text;label " +
            "(a single column holding ';': the file looks separated by ';', which is not read; convert it to commas or tabs) (column 'text')",
            Outcome.BadInput(r, data));
        Outcome.FolderHolds(_tmp.Path, "semi.csv");
    }

    [Fact]
    public async Task Train_TsvNamedCsv_Exit2_SaysPassFormatTsv()
    {
        var data = _tmp.Write("tabs.csv", "text\tlabel\n" + string.Concat(Inputs.Rows().Select(r => $"{r.Text}\t{r.Label}\n")));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Outcome.BadInput(r, data, "a single column holding tabs: the file looks tab-separated; name it .tsv or pass --format tsv");
        var ok = await CliHarness.RunAsync("train", "--data", data, "--format", "tsv", "--model", _tmp["m.zip"], "--quiet");
        Outcome.Ok(ok);
        Outcome.FolderHolds(_tmp.Path, "tabs.csv", "m.zip");
    }

    [Fact]
    public async Task Train_RaggedRows_AreSkippedWithTheirLine_TheRestTrains()
    {
        var rows = Inputs.Rows().Select(r => $"{r.Text},{r.Label}\n").ToList();
        rows.Insert(3, "too,many,fields,sport\n");   // line 5
        rows.Insert(7, "too few fields\n");          // line 9
        var data = _tmp.Write("ragged.csv", "text,label\n" + string.Concat(rows));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"], "--json");
        Outcome.BadRows(r);
        Assert.Equal(
            [$"warning: skipped {data}:5: row has 4 fields, header has 2", $"warning: skipped {data}:9: row has 1 field, header has 2", "warning: 2 rows skipped in all (2 field count)"],
            Outcome.Warnings(r));
        var info = (await CliHarness.RunOkAsync("info", "-m", _tmp["m.zip"], "--json")).Json().GetProperty("data");
        Assert.Equal((20, 2), (info.GetProperty("rows").GetInt32(), info.GetProperty("skipped_rows").GetInt32()));
        Outcome.FolderHolds(_tmp.Path, "ragged.csv", "m.zip");
    }

    [Fact]
    public async Task Score_UnbalancedQuote_KeepsOneRowWithItsError_NamingTheLinesItSwallowed()
    {
        // Line 3 opens a quote that the quote on line 5 closes: lines 3-5 are one malformed row.
        var input = _tmp.Write("quote.csv",
            "id,title,text\n" +
            "a,Goal,The striker scored a goal\n" +
            "b,\"Rates,The bank raised rates\n" +
            "c,Clinic,Doctors gave a vaccine\n" +
            "d,Shares,\"Shares fell, and stock sold\"\n" +
            "e,Match,The team won the match\n");
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output);
        Outcome.BadRows(r);
        const string why = "unbalanced quote: text after the closing quote of a field (lines 4-5 were read as part of this row)";
        Assert.Equal([$"warning: bad row {input}:3: {why} (written with no label and its reason in 'error')"], Outcome.Warnings(r));
        Assert.Equal((2L, 1L), ScoreAssert.Summary(r));
        var kept = Csv.Records(File.ReadAllText(output));
        Assert.Equal(["a", "b", "e"], kept.Select(x => x["id"]));
        Assert.Equal(("", $"line 3: {why}"), (kept[1]["label"], kept[1]["error"]));

        var dropped = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", _tmp["dropped.csv"], "--bad-rows", "drop");
        Outcome.BadRows(dropped);
        Assert.Equal([$"warning: skipped {input}:3: {why}"], Outcome.Warnings(dropped));
        Assert.Equal(["a", "e"], Csv.Records(File.ReadAllText(_tmp["dropped.csv"])).Select(x => x["id"]));

        var strict = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", _tmp["strict.csv"], "--strict");
        Outcome.BadInput(strict, $"{input}:3: unbalanced quote: text after the closing quote of a field");
        Outcome.FolderHolds(_tmp.Path, "quote.csv", "out.csv", "dropped.csv");
    }

    [Fact]
    public async Task Train_QuoteNeverClosed_SkipsTheRestAsOneRow_AndSaysSo()
    {
        var rows = Inputs.Rows().Select(r => $"{r.Text},{r.Label}\n").ToList();
        var data = _tmp.Write("open.csv", "text,label\n" + string.Concat(rows) + "\"never closed,sport\nlost one,health\nlost two,business\n");
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Outcome.BadRows(r);
        Assert.Equal(
            $"warning: skipped {data}:20: unbalanced quote: a quoted field that starts in this row is never closed, so it ran to the end of the input " +
            "(lines 21-22 were read as part of this row)",
            Outcome.Warnings(r)[0]);
        Outcome.FolderHolds(_tmp.Path, "open.csv", "m.zip");
    }
}
