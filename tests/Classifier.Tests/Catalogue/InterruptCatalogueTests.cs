using System.Diagnostics;
using System.Globalization;
using System.Text;
using Classifier.Cli;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

using static Classifier.Tests.Catalogue.BuiltCli;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, Ctrl-C: the real executable (src/Classifier.Cli/bin/CONFIGURATION/net10.0/classifier.dll, run with
/// `dotnet`) gets SIGINT in the middle of `train` and of `score`. It must exit 130 and leave neither the model or
/// output nor a temporary file. Skipped when the executable is not built or signals cannot be sent. The in-process
/// variants (a cancelled token): ScoreFailureTests.CtrlC_DuringTheRun_Exits130_AndLeavesNoFile and
/// ScoreFailureTests.CtrlC_BeforeTheRun_Exits130_AndLeavesNoFile.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class InterruptCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private static readonly TimeSpan StageLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(30);

    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public InterruptCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    /// <summary>Sends SIGINT once <paramref name="stage"/> shows on stderr, then checks exit 130 and the message.</summary>
    /// <param name="finished">A stage line that would show only once the work is past where the signal should land.</param>
    private static async Task InterruptAt(Child child, string stage, TimeSpan delay, string finished)
    {
        Assert.True(await child.WaitForStderr(stage, StageLimit), $"'{stage}' never showed\n{child}");
        Skip.If(child.IgnoresSigint(), "the process ignores SIGINT (inherited disposition) and `env --default-signal` is not available");
        await Task.Delay(delay);
        child.InterruptWhileRunning(finished);
        var code = await child.ExitCode(ExitLimit);
        Assert.True(code == ExitCodes.Cancelled, $"expected exit {ExitCodes.Cancelled}, got {code}\n{child}");
        Assert.EndsWith("cancelled: nothing was written\n", child.Stderr);
    }

    [SkippableFact]
    public async Task Train_SigintWhileTraining_Exit130_NoModelNoTemp()
    {
        var dll = ExecutableOrSkip();
        // About 10,000 documents on one thread: several seconds of featurizing and training, so that SIGINT lands in the
        // middle even when the test host is slow to see the stage line (with 3,500 documents on two threads, what followed
        // "featurizing" took about a second once counting got faster: too close to the signal's 200 ms and the polling).
        var root = RepositoryRoot()!;
        var sample = File.ReadAllLines(Path.Combine(root, "data", "news-sample.csv"));
        var table = Csv.Parse(string.Join('\n', sample));
        var sb = new StringBuilder(Csv.Line(',', table[0]));
        for (int copy = 0; copy < 24; copy++)
            foreach (var row in table.Skip(1))
                sb.Append(Csv.Line(',', [$"{row[0]}-{copy}", row[1], $"{row[2]} (copy {copy})", .. row[3..]]));
        var data = _tmp.Write("data.csv", sb.ToString());
        var models = Directory.CreateDirectory(_tmp["models"]).FullName;

        using var child = new Child(dll, _tmp.Path, "train", "--data", data, "--label", "topic", "--threads", "1",
            "--model", Path.Combine(models, "m.zip"));
        await InterruptAt(child, "featurizing", TimeSpan.FromMilliseconds(200), finished: "evaluating on");
        Assert.DoesNotContain("saved model", child.Stderr);
        Outcome.FolderHolds(models);
        Outcome.FolderHolds(_tmp.Path, "data.csv", "models");
    }

    [SkippableFact]
    public async Task Score_SigintWhileScoring_Exit130_NoOutputNoTemp()
    {
        var dll = ExecutableOrSkip();
        var sb = new StringBuilder("id,title,text\n");
        var rows = _model.Rows;
        for (int i = 0; i < 150_000; i++)
        {
            var r = rows[i % rows.Count];
            sb.Append(Csv.Line(',', $"d{i}", r.Title, r.Text));
        }
        var input = _tmp.Write("in.csv", sb.ToString());
        var output = _tmp["out.csv"];

        using var child = new Child(dll, _tmp.Path, "score", "-m", _model.TrainedModel, "-i", input, "-o", output, "--threads", "2");
        await InterruptAt(child, "scoring", TimeSpan.FromMilliseconds(300), finished: "documents in ");
        Assert.DoesNotMatch(@"(?m)^scored [\d,]+ documents in", child.Stderr);
        Outcome.NoFile(output);
        Outcome.FolderHolds(_tmp.Path, "in.csv");
    }
}
