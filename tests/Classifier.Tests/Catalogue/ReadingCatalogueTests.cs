using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Reading inputs (docs/catalogue.md, "Reading inputs"): a cut .gz, fastText in `score`, JSON Lines keys from every
/// object, an input column named id, folder files named in warnings, NUL in names, U+FFFD as text in every reader.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ReadingCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private const string Sport = "The striker scored a goal and the team won the football match at the stadium";
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public ReadingCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    private static byte[] Gzip(string text)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(text));
        return ms.ToArray();
    }

    private static string ManyLines(int n, bool csv = false) =>
        (csv ? "id,text\n" : "") + string.Concat(Enumerable.Range(1, n).Select(i => $"{(csv ? $"{i}," : "")}{Sport} number {i} of the season with {i * 7919 % 1000} fans\n"));

    [Theory]
    [InlineData("cut.txt.gz", 2)]      // cut in the middle of the data
    [InlineData("cut.csv.gz", 2)]
    [InlineData("trailer.txt.gz", 5)]  // only the trailer's last bytes are missing
    public async Task TruncatedGz_Exit2_NamesTheFile_NoOutput(string name, int cut)
    {
        var full = Gzip(ManyLines(3000, csv: name.Contains(".csv")));
        var length = name.StartsWith("trailer") ? full.Length - cut : full.Length / cut;
        var input = _tmp.WriteBytes(name, full[..length]);
        var output = _tmp["out.jsonl"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", output);
        Outcome.BadInput(r, input, "truncated or damaged");
        Outcome.NoFile(output);

        // The whole file reads.
        var whole = _tmp.WriteBytes("whole-" + name, full);
        Outcome.Ok(await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", whole, "--text", "text", "-o", _tmp["whole.jsonl"]));
    }

    [Fact]
    public async Task TruncatedGz_Training_Exit2_NoModel()
    {
        var rows = string.Concat(Inputs.Rows().Select(r => $"{r.Text},{r.Label}\n"));
        var full = Gzip("text,label\n" + string.Concat(Enumerable.Repeat(rows, 50)));
        var input = _tmp.WriteBytes("train.csv.gz", full[..(full.Length - 3)]);
        var r = await CliHarness.RunAsync("train", "--data", input, "--model", _tmp["m.zip"]);
        Outcome.BadInput(r, input, "truncated or damaged");
        Assert.False(File.Exists(_tmp["m.zip"]));
    }

    [Fact]
    public async Task FastText_Score_LabelsAreNotText_AndCanBeKept()
    {
        var input = _tmp.Write("in.ft",
            $"__label__sport {Sport}\n__label__health {Sport}\n__label__business __label__x {Sport}\nno label at all, {Sport}\n");
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", "-", "--keep", "label");
        Outcome.Ok(r);
        var rows = ScoreAssert.JsonLines(r.Stdout);
        Assert.Equal(["1", "2", "3", "4"], rows.Select(x => x.GetProperty("id").GetString()));
        // The same text under three labels gets the same prediction: the labels do not leak into it.
        Assert.Single(rows.Take(3).Select(x => (x.GetProperty("label").GetString(), x.GetProperty("score").GetDouble())).Distinct());
        Assert.Equal(["sport", "health", "business;x", ""], rows.Select(x => x.GetProperty("input_label").GetString()));
    }

    [Fact]
    public async Task Jsonl_ColumnsAreTheUnionOfEveryObjectsKeys_IdFromAnyRow()
    {
        var input = _tmp.Write("in.jsonl",
            $"{{\"text\":\"{Sport}\"}}\n" +
            $"{{\"id\":\"x2\",\"title\":\"Cup\",\"text\":\"{Sport}\"}}\n" +
            $"{{\"id\":\"x3\",\"text\":\"{Sport}\",\"late\":\"only here\"}}\n");
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", "-");
        Outcome.Ok(r);
        var rows = ScoreAssert.JsonLines(r.Stdout);
        Assert.Equal(["1", "x2", "x3"], rows.Select(x => x.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("title").ValueKind);
        Assert.Equal("Cup", rows[1].GetProperty("title").GetString());
        Assert.Equal("only here", rows[2].GetProperty("late").GetString());

        var csv = Csv.Records((await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", "-", "--output-format", "csv")).Stdout);
        Assert.Equal(["text", "id", "title", "late", "label", "score", "error"], csv[0].Keys);
    }

    [Fact]
    public async Task Jsonl_FromStdin_KeysOfTheFirstLinesAreTheColumns()
    {
        var stdin = $"{{\"text\":\"{Sport}\"}}\n{{\"id\":\"b\",\"title\":\"Cup\",\"text\":\"{Sport}\"}}\n";
        var r = await CliHarness.RunAsync(["score", "-m", _model.TrainedModel, "-i", "-", "--format", "jsonl", "-o", "-"], stdin);
        Outcome.Ok(r);
        Assert.Equal(["1", "b"], ScoreAssert.JsonLines(r.Stdout).Select(x => x.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task IdOption_AndAnInputColumnNamedId_BothKept_TheInputOneAsInputId()
    {
        var input = _tmp.Write("in.csv", $"id,doc,title,text\nold1,d1,Cup,{Sport}\nold2,d2,Cup,{Sport}\n");
        var csv = Csv.Records((await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--id", "doc", "-o", "-")).Stdout);
        Assert.Equal(["d1", "d2"], csv.Select(x => x["id"]));
        Assert.Equal(["old1", "old2"], csv.Select(x => x["input_id"]));
        Assert.Equal(["d1", "d2"], csv.Select(x => x["doc"]));

        var jsonl = ScoreAssert.JsonLines((await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--id", "doc", "-o", "-", "--output-format", "jsonl")).Stdout);
        Assert.Equal(["d1", "d2"], jsonl.Select(x => x.GetProperty("id").GetString()));
        Assert.Equal(["old1", "old2"], jsonl.Select(x => x.GetProperty("input_id").GetString()));
    }

    [Fact]
    public async Task Folder_EmptyFile_IsNamedInTheWarning()
    {
        _tmp.Write("d/a.txt", Sport);
        _tmp.Write("d/empty.txt", "");
        var folder = _tmp["d"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", folder, "-o", "-", "--bad-rows", "drop");
        Outcome.BadRows(r);
        Assert.Equal([$"warning: skipped {Path.Combine(folder, "empty.txt")}: empty text"], Outcome.Warnings(r));
    }

    [Fact]
    public async Task Nul_InACsvHeaderOrAJsonlKey_DoesNotReachTheOutput()
    {
        var csv = _tmp.Write("nul.csv", $"i\0d,text\n1,{Sport}\n");
        var a = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", csv, "--text", "text", "-o", "-");
        Outcome.Ok(a);
        Assert.DoesNotContain('\0', a.Stdout);
        Assert.StartsWith("i d,text,id,", a.Stdout);

        var jsonl = _tmp.Write("nul.jsonl", $"{{\"i\\u0000d\":\"7\",\"text\":\"{Sport}\"}}\n");
        var b = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", jsonl, "--text", "text", "-o", "-");
        Outcome.Ok(b);
        Assert.DoesNotContain("\\u0000", b.Stdout);
        Assert.Equal("7", ScoreAssert.JsonLines(b.Stdout)[0].GetProperty("i d").GetString());
    }

    [Fact]
    public async Task Predict_EmptyBlankAndInvalidBytes_AreScored_Warned_Exit3_AsScoreDoes()
    {
        var r = await CliHarness.RunAsync("predict", "-m", _model.TrainedModel, "", "   ", Sport);
        Outcome.BadRows(r);
        Assert.Equal(
            ["warning: TEXT argument 1: empty text (scored from the model's biases alone)", "warning: TEXT argument 2: empty text (scored from the model's biases alone)"],
            Outcome.Warnings(r));
        Assert.Equal(3, r.Stdout.Split('\n').Count(l => l.Length > 0 && !l.StartsWith("  ", StringComparison.Ordinal)));

        var bytes = _tmp.WriteBytes("bad.txt", [.. Encoding.UTF8.GetBytes(Sport), 0xFF]);
        var f = await CliHarness.RunAsync("predict", "-m", _model.TrainedModel, "--file", bytes);
        Outcome.BadRows(f);
        Assert.Equal([$"warning: {bytes}: invalid UTF-8 bytes (scored with the bytes replaced)"], Outcome.Warnings(f));

        Outcome.Ok(await CliHarness.RunAsync("predict", "-m", _model.TrainedModel, Sport + " \uFFFD"));
    }

    /// <summary>A literal U+FFFD is valid UTF-8: text in every reader, trained on and scored like any other.</summary>
    [Theory]
    [InlineData("in.csv")]
    [InlineData("in.tsv")]
    [InlineData("in.jsonl")]
    [InlineData("in.txt")]
    [InlineData("in.ft")]
    [InlineData("dir")]
    public async Task ReplacementCharacter_IsText_InEveryReader(string name)
    {
        var text = $"{Sport} \uFFFD\uFFFD\uFFFD quoted from a failed test";
        string input;
        if (name == "dir") input = Path.GetDirectoryName(_tmp.Write("dir/a.txt", text))!;
        else input = _tmp.Write(name, Path.GetExtension(name) switch
        {
            ".csv" => $"id,text\n1,{text}\n",
            ".tsv" => $"id\ttext\n1\t{text}\n",
            ".jsonl" => $"{{\"id\":\"1\",\"text\":\"{text}\"}}\n",
            ".ft" => $"__label__sport {text}\n",
            _ => text + "\n",
        });
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", "-", "--output-format", "jsonl", "--bad-rows", "fail");
        Outcome.Ok(r);
        Assert.Equal("sport", Assert.Single(ScoreAssert.JsonLines(r.Stdout)).GetProperty("label").GetString());
    }

    [Fact]
    public async Task ReplacementCharacter_TrainsLikeAnyOtherRow()
    {
        var rows = string.Concat(Inputs.Rows().Select(r => $"{r.Text} \uFFFD,{r.Label}\n"));
        var data = _tmp.Write("train.csv", "text,label\n" + rows);
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"], "--quiet", "--json");
        Outcome.Ok(r);
        Assert.Equal(0, r.Json().GetProperty("skipped_rows").GetInt32());
    }

    [Fact]
    public async Task LoneFFByte_IsScoredUnderKeep_WithTheBytesReplaced()
    {
        var input = _tmp.WriteBytes("ff.csv", [.. Encoding.UTF8.GetBytes($"id,text\n1,{Sport} "), 0xFF, (byte)'\n']);
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", "-");
        Outcome.BadRows(r);
        var row = Assert.Single(Csv.Records(r.Stdout));
        Assert.Equal(("sport", ""), (row["label"], row["error"]));
        Assert.EndsWith("\uFFFD", row["text"]);
    }

    [Fact]
    public async Task Jsonl_AKeyWithAnEscapeAndInvalidBytes_IsStillAColumn()
    {
        var input = _tmp.WriteBytes("k.jsonl", [.. Encoding.UTF8.GetBytes($"{{\"text\":\"{Sport}\",\"\\u00e9\":\"1\",\"b"), 0xFF, .. Encoding.UTF8.GetBytes("\":\"2\"}\n")]);
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", "-");
        Outcome.BadRows(r); // the invalid byte makes the row a bad row that is still scored
        var row = Assert.Single(ScoreAssert.JsonLines(r.Stdout));
        Assert.Equal(("1", "2"), (row.GetProperty("\u00e9").GetString(), row.GetProperty("b\uFFFD").GetString()));
    }

    [SkippableFact]
    public async Task Jsonl_FromAFifo_IsReadOnce_WithTheKeysOfItsFirstLines()
    {
        Skip.If(OperatingSystem.IsWindows(), "FIFOs are a Unix thing");
        var fifo = _tmp["in.jsonl"];
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) mk.WaitForExit();
        var writer = Task.Run(() => File.WriteAllText(fifo, $"{{\"text\":\"{Sport}\"}}\n{{\"id\":\"b\",\"text\":\"{Sport}\"}}\n"));
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", fifo, "--text", "text", "-o", "-");
        await writer;
        Outcome.Ok(r);
        Assert.Equal(["1", "b"], ScoreAssert.JsonLines(r.Stdout).Select(x => x.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Predict_AUtf16File_IsDecodedByItsBom()
    {
        var path = _tmp.WriteBytes("u16.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Sport)]);
        var r = await CliHarness.RunAsync("predict", "-m", _model.TrainedModel, "--file", path);
        Outcome.Ok(r);
        Assert.StartsWith("sport\t", r.Stdout);
    }

    [Fact]
    public async Task Folder_OutputInsideItAsTxt_Exit2_ButJsonlThereIsFine()
    {
        _tmp.Write("d/a.txt", Sport);
        var folder = _tmp["d"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", folder, "-o", Path.Combine(folder, "out.txt"));
        Outcome.BadInput(r, Path.Combine(folder, "out.txt"), "would be read as a document");
        Assert.False(File.Exists(Path.Combine(folder, "out.txt")));
        Outcome.Ok(await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", folder, "-o", Path.Combine(folder, "out.jsonl")));
    }
}
