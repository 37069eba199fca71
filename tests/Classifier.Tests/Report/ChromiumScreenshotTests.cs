using System.Buffers.Binary;
using System.Diagnostics;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Report;

/// <summary>
/// Renders report.html in headless Chromium and keeps the screenshot as a test artefact
/// (artifacts/report.png in the test output folder). Skipped only where /usr/bin/chromium is absent; .ci/run installs it.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ChromiumScreenshotTests : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [SkippableFact]
    public async Task Report_RendersInHeadlessChromium()
    {
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is not installed (.ci/run installs it)");
        var report = _tmp["report"];
        await CliHarness.RunOkAsync("train", "--data", _tmp.CopyFixture("tiny-news.csv"), "--text", "title,text", "--model", _tmp["m.zip"], "--report", report, "--quiet");
        var page = Path.Combine(report, "report.html");
        var png = _tmp["report.png"];

        var (code, output) = await Run(Chromium, Timeout,
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-quic", $"--user-data-dir={_tmp["profile"]}", $"--screenshot={png}", "--window-size=1280,2000",
            new Uri(page).AbsoluteUri);

        Assert.True(code == 0 && File.Exists(png), $"chromium exited {code} without a screenshot:\n{output}");
        var bytes = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(1280, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(2000, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        // A blank 1280x2000 page compresses to a few kilobytes; charts, tables and text take far more.
        Assert.True(bytes.Length > 40_000, $"the screenshot is suspiciously small ({bytes.Length} bytes): did the page render?");

        var artefacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artefacts);
        File.Copy(png, Path.Combine(artefacts, "report.png"), overwrite: true);
    }

    [SkippableFact]
    public async Task PerClassTable_SortsByEachColumn_WhenItsHeadingIsClicked()
    {
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is not installed (.ci/run installs it)");
        var labels = new[] { "beta", "alpha", "gamma", "delta" };
        int[][] confusion = [[9, 1, 0, 0], [3, 6, 2, 0], [0, 0, 12, 0], [1, 1, 1, 10]]; // no ties in any column
        var metrics = Classifier.Core.Evaluation.MulticlassEvaluator.FromConfusion(confusion, labels);
        var html = Classifier.Cli.Output.HtmlReport.Render("sort test", Classifier.Cli.Output.HtmlReport.Sections(metrics, [], new()));
        // Clicks each heading in turn and records the row order in the page title, which --dump-dom prints.
        const string probe = """
            <script>//<![CDATA[
            var order = [];
            ['precision', 'recall', 'f1', 'support', 'label'].forEach(function (key) {
              document.querySelector('th[data-key=' + key + '] button').click();
              order.push(key + ':' + Array.prototype.map.call(document.querySelectorAll('table.per-class tbody tr'), function (r) { return r.getAttribute('data-label'); }).join(','));
            });
            document.title = 'ORDER ' + order.join(' ');
            //]]></script>
            """;
        var page = _tmp.Write("sort.html", html.Replace("</body>", probe + "</body>"));

        var (code, output) = await Run(Chromium, Timeout,
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-quic", $"--user-data-dir={_tmp["profile"]}", "--dump-dom", new Uri(page).AbsoluteUri);
        var title = System.Text.RegularExpressions.Regex.Match(output, "<title>ORDER ([^<]*)</title>");
        Assert.True(code == 0 && title.Success, $"chromium exited {code}:\n{output[..Math.Min(output.Length, 2000)]}");

        string Expected(Func<Classifier.Core.Evaluation.ClassMetrics, double> key) =>
            string.Join(",", metrics.PerClass.OrderByDescending(key).ThenBy(c => Array.IndexOf(labels, c.Label)).Select(c => c.Label));
        Assert.Equal(string.Join(" ",
            "precision:" + Expected(c => c.Precision), "recall:" + Expected(c => c.Recall), "f1:" + Expected(c => c.F1),
            "support:" + Expected(c => c.Support), "label:alpha,beta,delta,gamma"), title.Groups[1].Value);
    }

    /// <summary>Runs a program with a deadline, killing it (and its helpers) if it hangs.</summary>
    private static async Task<(int Code, string Output)> Run(string program, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{program} did not finish within {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
