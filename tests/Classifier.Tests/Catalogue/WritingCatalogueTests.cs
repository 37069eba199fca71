using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml;
using Classifier.Cli.Output;
using Classifier.Core;
using Classifier.Core.Evaluation;
using Classifier.Tests.Cli;
using Classifier.Tests.Report;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, writing outputs: where a write lands (symbolic links, FIFOs, devices), ".gz" names, an output that is
/// its own input, --report paths checked before any work, and reports of many classes. The write rules are
/// WriteTarget's and AtomicFile's.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class WritingCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private const string Header = "id,title,text,input_label,label,score,error";
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public WritingCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    private string Input() => _tmp.CopyFixture("tiny-news.csv", "in.csv");

    private Task<CliResult> Score(string input, string output) =>
        CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output, "--quiet");

    /// <summary>Runs a Unix tool (mkfifo, ln), skipping the test where it is missing.</summary>
    private static void Tool(string name, params string[] args)
    {
        Skip.If(OperatingSystem.IsWindows(), $"{name} is a Unix tool");
        Process p;
        try
        {
            p = Process.Start(new ProcessStartInfo(name, args) { UseShellExecute = false })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SkipException($"{name} cannot be run: {e.Message}");
        }
        using (p)
        {
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{name} {string.Join(' ', args)} failed");
        }
    }

    private static void AssertScores(string path) => Assert.StartsWith(Header + "\n", File.ReadAllText(path));

    // ------------------------------------------------------------ 1. symbolic links, FIFOs and devices

    [Fact]
    public async Task Score_OutputIsASymlink_TheFileItPointsToIsWritten_TheLinkStays()
    {
        var input = Input();
        var target = _tmp.Write("target.csv", "old\n");
        var link = _tmp["link.csv"];
        File.CreateSymbolicLink(link, "target.csv");
        Outcome.Ok(await Score(input, link));
        Assert.Equal("target.csv", new FileInfo(link).LinkTarget);
        AssertScores(target);
        Outcome.FolderHolds(_tmp.Path, "in.csv", "link.csv", "target.csv");
    }

    [Fact]
    public async Task Score_OutputIsAChainOfLinksThatDangles_TheFileIsWrittenWhereItEnds()
    {
        var input = Input();
        Directory.CreateDirectory(_tmp["real"]);
        File.CreateSymbolicLink(_tmp["first.csv"], "second.csv");
        File.CreateSymbolicLink(_tmp["second.csv"], Path.Combine("real", "scores.csv"));
        Outcome.Ok(await Score(input, _tmp["first.csv"]));
        Assert.Equal("second.csv", new FileInfo(_tmp["first.csv"]).LinkTarget);
        Assert.Equal(Path.Combine("real", "scores.csv"), new FileInfo(_tmp["second.csv"]).LinkTarget);
        AssertScores(_tmp["real/scores.csv"]);
        Outcome.FolderHolds(_tmp["real"], "scores.csv");
        Outcome.FolderHolds(_tmp.Path, "first.csv", "in.csv", "real", "second.csv");
    }

    [Fact]
    public async Task Train_ModelIsASymlink_TheModelIsWrittenWhereItPoints_InAFolderItCreates()
    {
        var data = _tmp.CopyFixture("tiny-news.csv", "data.csv");
        var link = _tmp["m.zip"];
        File.CreateSymbolicLink(link, Path.Combine("store", "real.zip"));
        await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--model", link, "--quiet");
        Assert.Equal(Path.Combine("store", "real.zip"), new FileInfo(link).LinkTarget);
        Outcome.FolderHolds(_tmp["store"], "real.zip");
        Outcome.FolderHolds(_tmp.Path, "data.csv", "m.zip", "store");
        Outcome.Ok(await CliHarness.RunAsync("score", "-m", link, "-i", data, "-o", _tmp["out.csv"], "--quiet"));
        AssertScores(_tmp["out.csv"]);
    }

    [SkippableFact]
    public async Task Score_OutputIsAFifo_TheReaderGetsTheScores_AndTheFifoStays()
    {
        var input = Input();
        var fifo = _tmp["fifo"];
        Tool("mkfifo", fifo);
        string? received = null;
        // A background thread: should the FIFO be replaced, its open never returns, and the test must still end.
        var reader = new Thread(() =>
        {
            using var s = new FileStream(fifo, FileMode.Open, FileAccess.Read);
            received = new StreamReader(s, Encoding.UTF8).ReadToEnd();
        }) { IsBackground = true };
        reader.Start();
        var r = await Score(input, fifo).WaitAsync(TimeSpan.FromMinutes(2));
        Outcome.Ok(r);
        Assert.True(reader.Join(TimeSpan.FromSeconds(60)), "the FIFO's reader got nothing: the FIFO was not written");
        Assert.StartsWith(Header + "\n", received);
        Assert.Equal(36, Csv.Records(received!).Count);
        Assert.Equal(FileNodeKind.Special, FileNode.Of(fifo).Kind);
        Outcome.FolderHolds(_tmp.Path, "fifo", "in.csv");
    }

    [SkippableFact]
    public async Task Score_OutputIsDevNull_IsWrittenStraightThrough_AndStaysADevice()
    {
        Skip.If(OperatingSystem.IsWindows(), "no /dev/null on Windows");
        // Checked before writing: a rename onto /dev/null replaces the system's own when run as root.
        var target = WriteTarget.Of("/dev/null");
        Assert.Equal(FileNodeKind.Special, target.Kind);
        Assert.False(target.ViaTemporaryFile);
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", Input(), "-o", "/dev/null");
        Outcome.Ok(r);
        Assert.EndsWith("; wrote /dev/null", Outcome.StderrLines(r)[^1]);
        Assert.Equal(FileNodeKind.Special, FileNode.Of("/dev/null").Kind);
        Assert.Equal("", File.ReadAllText("/dev/null"));
    }

    [SkippableFact]
    public void FileNode_TellsFilesFoldersFifosAndDevicesApart_AndHardLinksFromCopies()
    {
        var file = _tmp.Write("a.txt", "a");
        Tool("mkfifo", _tmp["fifo"]);
        Tool("ln", file, _tmp["hard.txt"]);
        File.Copy(file, _tmp["copy.txt"]);
        File.SetLastWriteTimeUtc(_tmp["copy.txt"], File.GetLastWriteTimeUtc(file));
        Assert.Equal(FileNodeKind.Regular, FileNode.Of(file).Kind);
        Assert.Equal(FileNodeKind.Folder, FileNode.Of(_tmp.Path).Kind);
        Assert.Equal(FileNodeKind.Special, FileNode.Of(_tmp["fifo"]).Kind);
        Assert.Equal(FileNodeKind.Special, FileNode.Of("/dev/null").Kind);
        Assert.Equal(FileNodeKind.Missing, FileNode.Of(_tmp["missing"]).Kind);
        Assert.NotNull(FileNode.Of(file).Identity);
        Assert.True(FileNode.Same(file, _tmp["hard.txt"]));
        Assert.False(FileNode.Same(file, _tmp["copy.txt"]));
    }

    [SkippableFact]
    public async Task Score_OutputLinksIntoAReadOnlyFolder_Exit2_BeforeScoring()
    {
        Skip.IfNot(Permissions.AreEnforced, Permissions.SkipReason);
        var input = Input();
        var model = _tmp["model.zip"];
        File.Copy(_model.TrainedModel, model);
        var folder = Directory.CreateDirectory(_tmp["locked"]).FullName;
        var link = _tmp["out.csv"];
        File.CreateSymbolicLink(link, Path.Combine("locked", "scores.csv"));
        CliResult r;
        using (Permissions.Restrict(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute))
            r = await Permissions.RunAsync(_tmp.Path, "score", "-m", model, "-i", input, "-o", link);
        Outcome.BadInput(r, link, "cannot write the output here: ");
        Assert.DoesNotContain("scoring", r.Stderr);
        Outcome.FolderHolds(folder);
    }

    // ------------------------------------------------------------ 2. .gz output

    [Theory]
    [InlineData("out.csv.gz")]
    [InlineData("out.jsonl.gz")]
    [InlineData("OUT.CSV.GZ")]
    public async Task Score_OutputNamedGz_IsGzip_InTheFormatOfTheNameBeforeGz(string name)
    {
        var output = _tmp[name];
        Outcome.Ok(await Score(Input(), output));
        var bytes = File.ReadAllBytes(output);
        Assert.Equal([0x1f, 0x8b], bytes[..2]);
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        var text = new StreamReader(gzip, Encoding.UTF8).ReadToEnd();
        if (name.Contains("csv", StringComparison.OrdinalIgnoreCase))
            Assert.Equal(36, Csv.Records(text).Count);
        else
            Assert.Equal(36, ScoreAssert.JsonLines(text).Count(j => j.GetProperty("label").GetString() is not null));
        Outcome.FolderHolds(_tmp.Path, "in.csv", name);
    }

    [Fact]
    public async Task Train_ModelNamedGz_IsStillAModelThatScores()
    {
        var data = _tmp.CopyFixture("tiny-news.csv", "data.csv");
        var model = _tmp["m.zip.gz"];
        await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--model", model, "--quiet");
        Outcome.Ok(await CliHarness.RunAsync("score", "-m", model, "-i", data, "-o", _tmp["out.csv"], "--quiet"));
        AssertScores(_tmp["out.csv"]);
    }

    // ------------------------------------------------------------ 3. the output is the input

    [SkippableTheory]
    [InlineData("the same path")]
    [InlineData("spelled otherwise")]
    [InlineData("a symbolic link")]
    [InlineData("a hard link")]
    [InlineData("through a linked folder")]
    public async Task Score_OutputIsTheInput_Exit2_BeforeAnyWork_TheInputIsUnchanged(string how)
    {
        var input = Input();
        var before = File.ReadAllBytes(input);
        Directory.CreateDirectory(_tmp["sub"]);
        var output = how switch
        {
            "the same path" => input,
            "spelled otherwise" => Path.Combine(_tmp.Path, "sub", "..", ".", "in.csv"),
            "a symbolic link" => _tmp["sub/link.csv"],
            "a hard link" => _tmp["sub/hard.csv"],
            _ => _tmp["sub/folder/in.csv"],
        };
        if (how == "a symbolic link") File.CreateSymbolicLink(output, Path.Combine("..", "in.csv"));
        if (how == "a hard link") Tool("ln", input, output);
        if (how == "through a linked folder")
        {
            Skip.If(OperatingSystem.IsWindows(), "the folder link is seen by device and inode, on Unix");
            Directory.CreateSymbolicLink(_tmp["sub/folder"], _tmp.Path);
        }
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", output);
        Assert.Equal($"error: {output}: the output is the input file; write the scores elsewhere", Outcome.BadInput(r, output));
        Assert.DoesNotContain("scoring", r.Stderr);
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.Empty(Directory.GetFiles(_tmp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Score_OutputIsACopyOfTheInput_WithTheSameSizeAndTime_IsWritten()
    {
        var input = Input();
        var copy = _tmp["copy.csv"];
        File.Copy(input, copy);
        File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(input));
        Outcome.Ok(await Score(input, copy));
        AssertScores(copy);
    }

    // ------------------------------------------------------------ 4. --report checked before any work

    /// <param name="asUser">Through <see cref="Permissions.RunAsync"/>, for the permission cases.</param>
    private async Task<CliResult> RunWithReport(string verb, string report, bool asUser = false)
    {
        var data = _tmp["data.csv"];
        string[] args = verb switch
        {
            "train" => ["train", "--data", data, "--text", "title,text", "--model", _tmp["m.zip"]],
            "evaluate" => ["evaluate", "-m", _tmp["model.zip"], "--data", data],
            _ => ["cross-validate", "--data", data, "--text", "title,text", "--folds", "2"],
        };
        string[] all = [.. args, "--report", report];
        return asUser ? await Permissions.RunAsync(_tmp.Path, all) : await CliHarness.RunAsync(all);
    }

    private string[] Inputs(string verb)
    {
        _tmp.CopyFixture("tiny-news.csv", "data.csv");
        if (verb != "evaluate") return ["data.csv"];
        File.Copy(_model.TrainedModel, _tmp["model.zip"]);
        return ["data.csv", "model.zip"];
    }

    [Theory]
    [InlineData("train", false)]
    [InlineData("train", true)]
    [InlineData("evaluate", false)]
    [InlineData("cross-validate", true)]
    public async Task Report_AFileStandsWhereTheFolderShouldBe_Exit2_BeforeAnyWork_NothingWritten(string verb, bool nested)
    {
        var inputs = Inputs(verb);
        var blocker = _tmp.Write("rfile", "hi\n");
        var r = await RunWithReport(verb, nested ? Path.Combine(blocker, "sub") : blocker);
        Assert.Equal($"error: {blocker}: a file stands where the report folder should be", Outcome.BadInput(r, blocker));
        Assert.DoesNotContain("reading", r.Stderr);
        Assert.Equal("hi\n", File.ReadAllText(blocker));
        Outcome.FolderHolds(_tmp.Path, [.. inputs, "rfile"]);
    }

    [Fact]
    public async Task Report_AFolderStandsWhereAReportFileGoes_Exit2_BeforeTraining_NoModel()
    {
        var inputs = Inputs("train");
        var folder = Directory.CreateDirectory(_tmp["rep/report.html"]).FullName;
        var r = await RunWithReport("train", _tmp["rep"]);
        Outcome.BadInput(r, folder, "a folder stands where the report file report.html should be");
        Outcome.FolderHolds(_tmp.Path, [.. inputs, "rep"]);
        Outcome.FolderHolds(_tmp["rep"], "report.html");
    }

    [SkippableTheory]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("cross-validate")]
    public async Task Report_FolderReadOnly_Exit2_BeforeAnyWork_NothingWritten(string verb)
    {
        Skip.IfNot(Permissions.AreEnforced, Permissions.SkipReason);
        var inputs = Inputs(verb);
        var parent = Directory.CreateDirectory(_tmp["locked"]).FullName;
        var report = Path.Combine(parent, "rep");
        CliResult r;
        using (Permissions.Restrict(parent, UnixFileMode.UserRead | UnixFileMode.UserExecute))
            r = await RunWithReport(verb, report, asUser: true);
        Outcome.BadInput(r, report, "cannot write the report here: ");
        Assert.DoesNotContain("reading", r.Stderr);
        Outcome.FolderHolds(parent);
        Outcome.FolderHolds(_tmp.Path, [.. inputs, "locked"]);
    }

    // ------------------------------------------------------------ 5. reports of many classes

    /// <summary>
    /// 60 trained classes, evaluated on 1,000 classes of 3 documents: class c reads like trained class c mod 60, two
    /// documents of it like that class and one like the next, so each class beyond the 60th is confused twice with one.
    /// </summary>
    [Fact]
    public async Task Evaluate_Report_WithAThousandClasses_StaysSmall_ListsTopConfusions_NotTheMatrix()
    {
        static string Doc(int c, int d) => $"topic{c} word{c} item{c}x{d} common text";
        var train = new StringBuilder("text,label\n");
        for (int c = 0; c < 60; c++)
            for (int d = 0; d < 3; d++) train.Append($"{Doc(c, d)},class-{c:0000}\n");
        var eval = new StringBuilder("text,label\n");
        for (int c = 0; c < 1000; c++)
            for (int d = 0; d < 3; d++) eval.Append($"{Doc((c + (d == 2 ? 1 : 0)) % 60, d)},class-{c:0000}\n");
        var model = _tmp["m.zip"];
        await CliHarness.RunOkAsync("train", "--data", _tmp.Write("train.csv", train.ToString()), "--model", model,
            "--test-fraction", "0", "--char-ngrams", "0", "--quiet");
        var report = _tmp["report"];
        await CliHarness.RunOkAsync("evaluate", "-m", model, "--data", _tmp.Write("eval.csv", eval.ToString()), "--report", report, "--quiet");

        var html = Path.Combine(report, HtmlReportFile.FileName);
        Assert.True(new FileInfo(html).Length < 5_000_000, $"report.html is {new FileInfo(html).Length:N0} bytes");
        var doc = ReportHtml.Parse(html);
        var ns = ReportHtml.Namespaces(doc);
        Assert.Equal(["summary", "top-confusions", "per-class", "top-terms", "mistakes"], ReportHtml.SectionIds(doc));
        Assert.Equal(0, doc.SelectNodes("//s:rect[@class='cell']", ns)!.Count);
        var rows = doc.SelectNodes("//h:table[contains(@class,'top-confusions')]/h:tbody/h:tr", ns)!.Cast<XmlElement>().ToList();
        Assert.Equal(ManyClasses.Listed, rows.Count);
        Assert.Equal(("class-0060", "class-0000", "2"), (rows[0].GetAttribute("data-true"), rows[0].GetAttribute("data-predicted"), rows[0].GetAttribute("data-count")));
        Assert.All(rows, row => Assert.Equal("2", row.GetAttribute("data-count")));
        Assert.Equal(1000, doc.SelectNodes("//h:table[contains(@class,'per-class')]/h:tbody/h:tr", ns)!.Count);
        Assert.Equal(ManyClasses.Listed, doc.SelectNodes("//h:section[@id='top-terms']//h:div[@class='card']", ns)!.Count);

        var md = File.ReadAllText(Path.Combine(report, ReportWriter.MarkdownName));
        Assert.True(md.Length < 200_000, $"metrics.md is {md.Length:N0} characters");
        Assert.DoesNotContain("## Confusion matrix", md);
        Assert.Contains("## Top confusions", md);
        Assert.Contains("| class-0060 | class-0000 | 2 | 3 |", md);
        // metrics.json keeps the whole matrix.
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(report, ReportWriter.JsonName)));
        Assert.Equal(1000, ReportHtml.Confusion(json.RootElement).Length);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(ManyClasses.MaxMatrixClasses)]
    [InlineData(ManyClasses.MaxMatrixClasses + 1)]
    public void Reports_ShowTheWholeMatrixUpToTheLimit_AndTheLargestConfusionsAboveIt(int k)
    {
        var labels = Enumerable.Range(0, k).Select(i => $"c{i:000}").ToList();
        // Row r sends r mod 7 documents to the next class: the largest confusions are the rows with r mod 7 = 6.
        var confusion = Enumerable.Range(0, k).Select(r => Enumerable.Range(0, k).Select(c => c == r ? 10 : c == (r + 1) % k ? r % 7 : 0).ToArray()).ToArray();
        var m = MulticlassEvaluator.FromConfusion(confusion, labels);
        var html = _tmp.Write("report.html", HtmlReport.Render("report", HtmlReport.Sections(m, [], new HtmlReportInput())));
        var doc = ReportHtml.Parse(html);
        var md = ReportWriter.Markdown(m, []);
        if (k <= ManyClasses.MaxMatrixClasses)
        {
            Assert.Equal(["summary", "confusion", "per-class", "top-terms", "mistakes"], ReportHtml.SectionIds(doc));
            Assert.Equal(confusion, ReportHtml.Confusion(doc));
            Assert.Contains("## Confusion matrix", md);
            Assert.DoesNotContain("Top confusions", md);
            return;
        }
        Assert.Equal(["summary", "top-confusions", "per-class", "top-terms", "mistakes"], ReportHtml.SectionIds(doc));
        Assert.DoesNotContain("## Confusion matrix", md);
        var top = Confusion.Largest(m, ManyClasses.Listed);
        Assert.Equal(("c006", "c007", 6, 16), (top[0].True, top[0].Predicted, top[0].Count, top[0].TrueTotal));
        Assert.Equal(top.Select(t => t.Count).OrderDescending(), top.Select(t => t.Count));
        Assert.Equal(confusion.Select((row, r) => row.Where((_, c) => c != r && row[c] > 0).Count()).Sum(), top.Count); // fewer than 50 cells: all of them
        Assert.Contains($"all {top.Count} confusions", ReportHtml.SectionText(doc, "top-confusions"));
        Assert.Contains("| c006 | c007 | 6 | 16 |", md);
    }

    /// <summary>The text evaluation that train and evaluate print follows the reports: the matrix up to the limit, the largest confusions above it.</summary>
    [Theory]
    [InlineData(ManyClasses.MaxMatrixClasses)]
    [InlineData(1000)]
    public void TextEvaluation_ShowsTheMatrixUpToTheLimit_AndTheLargestConfusionsAboveIt(int k)
    {
        var labels = Enumerable.Range(0, k).Select(i => $"c{i:0000}").ToList();
        // Row r keeps 10 documents and sends r mod 7 to the next class.
        var confusion = labels.Select((_, r) => labels.Select((_, c) => c == r ? 10 : c == (r + 1) % k ? r % 7 : 0).ToArray()).ToArray();
        var text = MetricsText.Render(MulticlassEvaluator.FromConfusion(confusion, labels));
        if (k <= ManyClasses.MaxMatrixClasses)
        {
            Assert.Contains("Confusion matrix (rows: true label", text);
            return;
        }
        Assert.DoesNotContain("Confusion matrix (rows: true label", text);
        Assert.Contains("1,000 classes are too many for the confusion matrix", text);
        Assert.Matches(@"(?m)^c0006 +c0007 +6 +0\.3750$", text); // 6 of the 16 documents of c0006, the largest confusion
        Assert.True(text.Length < 200_000, $"{text.Length:N0} characters");
    }
}
