using Classifier.Cli;
using Classifier.Cli.Output;
using Classifier.Core;

namespace Classifier.Tests.Cli;

/// <summary>Progress lines on stderr: a time budget shows what is left; a count whose stage text changes keeps its pace.</summary>
public sealed class ProgressLineTests
{
    [Fact]
    public void ATimeBudget_ShowsTheTimeSpentAndLeft_NotAnEstimate()
    {
        var stderr = new StringWriter();
        var d = new Diagnostics(new CliContext(new StringWriter(), stderr), quiet: false);
        d.Report(new ProgressUpdate("trial 2: c 1", 31, 300, Seconds: true));
        d.Report(new ProgressUpdate("trial 9: c 3", 301, 300, Seconds: true));
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("trial 2: c 1 (0:31 of 5:00, 4:29 left)", lines[0]);
        Assert.EndsWith("trial 9: c 3 (5:01 of 5:00, 0:00 left)", lines[1]);
        Assert.DoesNotContain("ETA", stderr.ToString());
        // A budget under a second still reads as time.
        d.Report(new ProgressUpdate("trial 1: c 1", 0, 0, Seconds: true));
        Assert.EndsWith("trial 1: c 1 (0:00 of 0:00, 0:00 left)", stderr.ToString().TrimEnd());
    }

    [Fact]
    public void ACountedWork_KeepsItsPaceAcrossStageTexts()
    {
        var stderr = new StringWriter();
        var now = TimeSpan.Zero;
        var d = new Diagnostics(new CliContext(new StringWriter(), stderr), quiet: false, () => now);
        d.Report(new ProgressUpdate("trial 1: a", 0, 4, Work: "trials"));
        now = TimeSpan.FromSeconds(10);
        d.Report(new ProgressUpdate("trial 2: b", 1, 4, Work: "trials"));
        // One trial took 10 s, so three more take 30: an ETA taken from trial 2's own start would be 0:00.
        Assert.Contains("trial 2: b 1/4, ETA 0:30", stderr.ToString());
        // Without the key, each stage text starts its own pace.
        var plain = new StringWriter();
        var e = new Diagnostics(new CliContext(new StringWriter(), plain), quiet: false, () => now);
        e.Report(new ProgressUpdate("trial 1: a", 0, 4));
        now = TimeSpan.FromSeconds(20);
        e.Report(new ProgressUpdate("trial 2: b", 1, 4));
        Assert.Contains("trial 2: b 1/4, ETA 0:00", plain.ToString());
    }
}
