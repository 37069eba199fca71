using System.Text.Json;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Corpora;

/// <summary>
/// Quality regression on real corpora with the default settings and seed (opt-in: see <see cref="SharedCorpora"/>).
/// Thresholds are the targets of the accuracy issue, less a small tolerance for run-to-run noise:
/// 20 Newsgroups 1 point above scikit-learn's 0.8615 (the best peer here), BBC at least 0.980.
/// </summary>
[Trait("Category", "Corpus")]
[Collection(CliCollection.Name)]
public class CorpusQualityTests
{
    private const double Tolerance = 0.003;

    [SkippableFact]
    public async Task TwentyNewsgroups_TrainToTest_BeatsBestPeerByAPoint()
    {
        var train = SharedCorpora.Require("20newsgroups/train.csv");
        var test = SharedCorpora.Require("20newsgroups/test.csv");
        using var tmp = new TempDirectory();
        var r = await CliHarness.RunOkAsync("train", "--data", train, "--test", test, "--model", tmp["20ng.zip"], "--json", "--quiet");
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.True(json.GetProperty("accuracy").GetDouble() >= 0.8715 - Tolerance, r.Stdout);
        Assert.True(json.GetProperty("macro_f1").GetDouble() >= 0.8550 - Tolerance, r.Stdout);
    }

    [SkippableFact]
    public async Task Bbc_FiveFoldCrossValidation_ReachesNinetyEightPercent()
    {
        var data = SharedCorpora.Require("bbc/all.csv");
        var r = await CliHarness.RunOkAsync("cross-validate", "--data", data, "--folds", "5", "--json", "--quiet");
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.True(json.GetProperty("accuracy_mean").GetDouble() >= 0.980 - Tolerance, r.Stdout);
    }
}
