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
    }

    [Fact]
    public void ACountedWork_KeepsItsPaceAcrossStageTexts()
    {
        var stderr = new StringWriter();
        var d = new Diagnostics(new CliContext(new StringWriter(), stderr), quiet: false);
        d.Report(new ProgressUpdate("trial 1: a", 0, 4, Work: "trials"));
        Thread.Sleep(1100);
        d.Report(new ProgressUpdate("trial 2: b", 1, 4, Work: "trials"));
        // One trial took about a second, so three more take about three: an ETA taken from trial 2's own start would be 0:00.
        Assert.Matches(@"trial 2: b 1/4, ETA 0:0[3-9]", stderr.ToString());
    }
}
