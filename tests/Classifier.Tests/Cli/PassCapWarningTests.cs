namespace Classifier.Tests.Cli;

/// <summary>What the CLI says when the svm's pass cap (--iterations) ends a solve before it converged.</summary>
public sealed class PassCapWarningTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string[] Warnings(CliResult r) => r.Stderr.Split('\n').Where(l => l.StartsWith("warning: ")).ToArray();

    [Fact]
    public async Task Train_OnePass_WarnsOfTheCappedSolves_TheDefaultDoesNot()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var capped = await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--test-fraction", "0", "--iterations", "1",
            "--model", _tmp["one.zip"]);
        var warning = Assert.Single(Warnings(capped), w => w.Contains("final solve"));
        Assert.Equal("warning: svm: final solve: one or more classes reached the cap of 1 pass before converging; their weights may be short of the optimum (--iterations raises the cap)",
            warning);
        Assert.True(File.Exists(_tmp["one.zip"]));

        var plain = await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--test-fraction", "0", "--model", _tmp["default.zip"]);
        Assert.DoesNotContain(Warnings(plain), w => w.Contains("before converging"));
    }

    [Fact]
    public async Task CrossValidate_OnePass_SaysEachWarningOnce()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var r = await CliHarness.RunOkAsync("cross-validate", "--data", data, "--text", "title,text", "--folds", "2", "--iterations", "1");
        // Both folds' solves reach the cap: each solve is said once, as the folds' (the command saves no model).
        Assert.Equal(["warning: cross-validation folds: svm: calibration solve", "warning: cross-validation folds: svm: final solve"],
            Warnings(r).Where(w => w.Contains("before converging")).Select(w => w[..w.IndexOf(": one or more")]));
    }

    [Fact]
    public async Task Tune_SaysTheTrialsWarningApartFromTheSavedModels()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var r = await CliHarness.RunOkAsync("tune", "--data", data, "--text", "title,text", "--trials", "2", "--iterations", "1", "--model", _tmp["t.zip"]);
        var warnings = Warnings(r).Where(w => w.Contains("before converging")).ToArray();
        Assert.Single(warnings, w => w.StartsWith("warning: tune trials: svm: final solve: "));
        // The model tune saves is fitted at one pass too: its own warning is not swallowed by the trials' same one.
        Assert.Single(warnings, w => w.StartsWith("warning: svm: final solve: "));
    }

    [Fact]
    public async Task MultiLabel_OnePass_WarnsOfTheLabels_TheValidationFoldsAsOneSolve()
    {
        var data = _tmp.CopyFixture("multi-label.csv");
        var r = await CliHarness.RunOkAsync("train", "--data", data, "--label", "labels", "--multi-label", "--test-fraction", "0", "--iterations", "1",
            "--model", _tmp["ml.zip"]);
        Assert.Contains(Warnings(r), w => w.StartsWith("warning: svm: final solve: one or more labels reached the cap of 1 pass before converging"));
        var solves = Warnings(r).Where(w => w.Contains("before converging")).Select(w => w[..w.IndexOf(": one or more")]).ToArray();
        Assert.Contains("warning: svm: validation folds", solves);
        Assert.DoesNotContain(solves, s => s.Contains("fold 1/3"));
    }

    [Fact]
    public async Task Quiet_SilencesIt()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var r = await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--test-fraction", "0", "--iterations", "1",
            "--model", _tmp["q.zip"], "--quiet");
        Assert.Empty(Warnings(r));
    }
}
