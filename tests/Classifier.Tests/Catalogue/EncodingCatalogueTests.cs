using System.Text;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, encoding. The policy (docs/catalogue.md): input is UTF-8 (a UTF-8 BOM is skipped, a UTF-16/32 BOM honoured);
/// bytes that are not UTF-8 make their row a bad row, skipped with a warning (an error with score --strict); NUL becomes
/// a space; Latin-1 files must be converted first. Already covered at the reader level: ReaderTests.Csv_BomAndCrlf,
/// ReaderTests.Csv_MixedLineEndingsAndBlankLines, ReaderTests.Csv_InvalidUtf8RowIsReported and
/// ReaderTests.Csv_QuotedFieldsWithDoubledQuotesCommasEmptyFieldsAndNul.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class EncodingCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public EncodingCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    private static string TrainingRows(string lineEnd) => string.Concat(Inputs.Rows().Select(r => $"{r.Text},{r.Label}{lineEnd}"));

    [Fact]
    public async Task Bom_TrainAndScore_TheFirstColumnNameIsClean()
    {
        var data = _tmp.WriteBytes("bom.csv", Inputs.Concat(Bom, "label,text\n", string.Concat(Inputs.Rows().Select(r => $"{r.Label},{r.Text}\n"))));
        var train = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"], "--quiet");
        Outcome.Ok(train);
        Assert.Equal("", train.Stderr);

        // "id" is the first column: with the BOM glued to it, it would not be found and ids would be line numbers.
        var input = _tmp.WriteBytes("in.csv", Inputs.Concat(Bom, "id,title,text\nx7,Goal,The striker scored a goal\n"));
        var output = _tmp["out.csv"];
        Outcome.Ok(await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output));
        var row = Assert.Single(Csv.Records(File.ReadAllText(output)));
        Assert.Equal(("x7", "sport"), (row["id"], row["label"]));
        Outcome.FolderHolds(_tmp.Path, "bom.csv", "m.zip", "in.csv", "out.csv");
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public async Task Utf16WithBom_IsDecoded_ForTrainingAndScoring(string encodingName)
    {
        // Excel's "Unicode text" export writes UTF-16 with a BOM; the BOM names the encoding, so nothing is a bad row.
        var encoding = Encoding.GetEncoding(encodingName);
        byte[] Utf16(string text) => [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];
        var data = _tmp.WriteBytes("u16.csv", Utf16("label,text\n" + string.Concat(Inputs.Rows().Select(r => $"{r.Label},{r.Text} café\n"))));
        var train = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"], "--quiet");
        Outcome.Ok(train);
        Assert.Equal("", train.Stderr);
        var info = (await CliHarness.RunOkAsync("info", "-m", _tmp["m.zip"], "--json")).Json();
        Assert.Equal(18, info.GetProperty("data").GetProperty("rows").GetInt32());

        var input = _tmp.WriteBytes("in.jsonl", Utf16("{\"id\":\"é1\",\"title\":\"Goal\",\"text\":\"The striker scored a goal\"}\n"));
        var output = _tmp["out.jsonl"];
        var score = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output);
        Outcome.Ok(score);
        Assert.Empty(Outcome.Warnings(score));
        var row = System.Text.Json.JsonDocument.Parse(Assert.Single(File.ReadAllLines(output))).RootElement;
        Assert.Equal(("é1", "sport"), (row.GetProperty("id").GetString(), row.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task MixedCrlfLfAndCr_EveryRowIsRead_NoWarning()
    {
        var rows = Inputs.Rows().Select((r, i) => $"{r.Text},{r.Label}{(i % 3) switch { 0 => "\r\n", 1 => "\n", _ => "\r" }}");
        var data = _tmp.Write("mixed.csv", "text,label\r\n" + string.Concat(rows));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Outcome.Ok(r);
        Assert.Empty(Outcome.Warnings(r));
        var info = (await CliHarness.RunOkAsync("info", "-m", _tmp["m.zip"], "--json")).Json();
        Assert.Equal(18, info.GetProperty("data").GetProperty("rows").GetInt32());
        Assert.Equal(["business", "health", "sport"], info.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task NulBytes_BecomeSpaces_TheRowIsScored()
    {
        var input = _tmp.WriteBytes("nul.csv", Inputs.Concat("id,title,text\n1,Go\0al,The striker\0\0scored a goal\n"));
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output);
        Outcome.Ok(r);
        Assert.Equal((1L, 0L), ScoreAssert.Summary(r));
        var row = Assert.Single(Csv.Records(File.ReadAllText(output)));
        Assert.Equal(("Go al", "The striker  scored a goal", "sport"), (row["title"], row["text"], row["label"]));
        Assert.DoesNotContain('\0', File.ReadAllText(output));
    }

    [Fact]
    public async Task InvalidUtf8_Train_TheRowIsSkippedWithAWarning_TheRestTrains()
    {
        var data = _tmp.WriteBytes("bad.csv", Inputs.Concat("text,label\n", TrainingRows("\n"), "broken ", new byte[] { 0xC3, 0x28, 0xFF }, " bytes,sport\n"));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        Outcome.BadRows(r);
        Assert.Equal([$"warning: skipped {data}:20: invalid UTF-8 bytes in column 'text'", "warning: 1 rows skipped in all (1 invalid UTF-8)"], Outcome.Warnings(r));
        var info = (await CliHarness.RunOkAsync("info", "-m", _tmp["m.zip"], "--json")).Json().GetProperty("data");
        Assert.Equal((19, 1), (info.GetProperty("rows").GetInt32(), info.GetProperty("skipped_rows").GetInt32()));
    }

    [Fact]
    public async Task InvalidUtf8_Score_KeptWithTheBytesReplaced_DroppedOrExit2WithStrict_NoOutput()
    {
        var input = _tmp.WriteBytes("bad.csv", Inputs.Concat(
            "id,title,text\n", "1,Goal,The striker scored a goal\n", "2,Rates,The bank ", new byte[] { 0xFF, 0xFE }, " raised rates\n", "3,Clinic,Doctors gave a vaccine\n"));
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output);
        Outcome.BadRows(r);
        Assert.Equal([$"warning: {input}:3: invalid UTF-8 bytes in column 'text' (scored with the bytes replaced)"], Outcome.Warnings(r));
        Assert.Equal((3L, 1L), ScoreAssert.Summary(r));
        var kept = Csv.Records(File.ReadAllText(output));
        Assert.Equal(["1", "2", "3"], kept.Select(x => x["id"]));
        Assert.Equal("The bank \uFFFD\uFFFD raised rates", kept[1]["text"]);
        Assert.All(kept, x => Assert.NotEqual("", x["label"]));
        Assert.All(kept, x => Assert.Equal("", x["error"]));

        var dropped = _tmp["dropped.csv"];
        var d = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", dropped, "--bad-rows", "drop");
        Outcome.BadRows(d);
        Assert.Equal([$"warning: skipped {input}:3: invalid UTF-8 bytes in column 'text'"], Outcome.Warnings(d));
        Assert.Equal((2L, 1L), ScoreAssert.Summary(d));
        Assert.Equal(["1", "3"], Csv.Records(File.ReadAllText(dropped)).Select(x => x["id"]));

        var strictOutput = _tmp["strict.csv"];
        var strict = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", strictOutput, "--strict");
        Assert.Equal($"error: {input}:3: invalid UTF-8 bytes in column 'text'", Outcome.BadInput(strict, input));
        Outcome.NoFile(strictOutput);
    }

    [Fact]
    public async Task Latin1_RowsWithAccentsAreBadRows_UntilConvertedToUtf8()
    {
        const string csv = "id,title,text\n1,Café,The café owner watched the football match\n2,Goal,The striker scored a goal\n3,Santé,Le médecin gave the vaccine at the clinic\n";
        var latin1 = _tmp.WriteBytes("latin1.csv", Encoding.Latin1.GetBytes(csv));
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", latin1, "-o", _tmp["out.csv"], "--bad-rows", "drop");
        Outcome.BadRows(r);
        Assert.Equal(
            [$"warning: skipped {latin1}:2: invalid UTF-8 bytes in column 'title'", $"warning: skipped {latin1}:4: invalid UTF-8 bytes in column 'title'"],
            Outcome.Warnings(r));
        Assert.Equal((1L, 2L), ScoreAssert.Summary(r));

        // What `iconv -f latin1 -t utf-8` does: every row then reads, accents intact.
        var converted = _tmp.WriteBytes("utf8.csv", Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(File.ReadAllBytes(latin1))));
        var output = _tmp["converted.csv"];
        var ok = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", converted, "-o", output);
        Outcome.Ok(ok);
        Assert.Equal((3L, 0L), ScoreAssert.Summary(ok));
        Assert.Equal(["Café", "Goal", "Santé"], Csv.Records(File.ReadAllText(output)).Select(x => x["title"]));
    }
}
