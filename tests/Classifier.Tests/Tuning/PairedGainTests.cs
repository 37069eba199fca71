using Classifier.Core.Tuning;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Tuning;

/// <summary>The paired comparison with the defaults and the one-standard-error rule that keeps them, worked by hand.</summary>
public sealed class PairedGainTests
{
    private static TuneTrial Trial(int number, double[] scores, double[] defaults, int folds = 3) =>
        new(number, new TuneSettings(1, 2, 2, 5, 1, true, 0, Core.Training.ClassWeighting.None), scores, 1, TuneTrial.Done)
        {
            Paired = number == 1 ? PairedGain.None : PairedGain.Of(scores, defaults, TuneMetric.Accuracy, folds),
        };

    [Fact]
    public void GainAndStandardError_WorkedByHand()
    {
        // Differences 0.02, 0.00, 0.01: mean 0.01, sample variance ((0.01)² + (0.01)² + 0) / 2 = 0.0001. With 3 folds the
        // corrected variance of the mean is 0.0001 × (1/3 + 1/2) = 0.0000833…, so the standard error is 0.0091287.
        var g = PairedGain.Of([0.92, 0.90, 0.91], [0.90, 0.90, 0.90], TuneMetric.Accuracy, folds: 3);
        Assert.Equal(0.01, g.Gain, 10);
        Assert.Equal(Math.Sqrt(0.0001 * (1.0 / 3 + 0.5)), g.StdErr, 10);
        Assert.Equal(3, g.Pairs);
        // Log-loss: lower is better, so a lower loss is a positive gain.
        Assert.Equal(0.01, PairedGain.Of([0.40, 0.40], [0.41, 0.41], TuneMetric.LogLoss, folds: 2).Gain, 10);
    }

    [Fact]
    public void TheDefaultsStay_UnlessATrialBeatsThemByMoreThanItsStandardError()
    {
        double[] defaults = [0.90, 0.90, 0.90];
        var baseline = Trial(1, defaults, defaults);
        // Higher mean, but noisy: +0.03, -0.01, +0.01 gives mean 0.01 and a standard error of 0.0183: kept out.
        var noisy = Trial(2, [0.93, 0.89, 0.91], defaults);
        Assert.Same(baseline, PairedGain.Select([baseline, noisy]));
        // A steady gain of a little less clears its band: +0.006, +0.005, +0.007 (mean 0.006, se 0.0009).
        var steady = Trial(3, [0.906, 0.905, 0.907], defaults);
        Assert.Same(steady, PairedGain.Select([baseline, noisy, steady]));
        // A trial stopped after its first fold is never kept, however good that fold was.
        var partial = Trial(4, [0.99], defaults) with { Status = TuneTrial.Pruned };
        Assert.Same(steady, PairedGain.Select([baseline, noisy, steady, partial]));
    }
}

/// <summary>tune on a small set: the folds repeated, every trial's gain over the defaults in the table and the JSON.</summary>
[Collection(CliCollection.Name)]
public sealed class TuneRepeatsTests
{
    [Fact]
    public async Task ASmallSet_RepeatsTheFolds_AndReportsEachTrialsPairedGain()
    {
        using var tmp = new TempDirectory();
        var j = (await CliHarness.RunOkAsync("tune", "--trials", "3", "--json", "--quiet", "--model", Path.Combine(tmp.Path, "m.zip"))).Json();
        Assert.Equal(TuneOptions.SmallDataRepeats, j.GetProperty("repeats").GetInt32());
        var trials = j.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(9, trials[0].GetProperty("folds_run").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, trials[0].GetProperty("gain_vs_defaults").ValueKind);
        foreach (var t in trials.Skip(1).Where(t => t.GetProperty("status").GetString() == "done"))
        {
            var gain = t.GetProperty("gain_vs_defaults").GetDouble();
            Assert.Equal(t.GetProperty("cv_score").GetDouble() - trials[0].GetProperty("cv_score").GetDouble(), gain, 5);
            Assert.True(t.GetProperty("gain_se").GetDouble() >= 0);
        }
        // The kept trial is the defaults or one whose gain exceeds its standard error.
        var kept = trials.Single(t => t.GetProperty("kept").GetBoolean());
        Assert.True(kept.GetProperty("trial").GetInt32() == 1 || kept.GetProperty("gain_vs_defaults").GetDouble() > kept.GetProperty("gain_se").GetDouble());
        var text = await CliHarness.RunOkAsync("tune", "--trials", "2", "--quiet", "--model", Path.Combine(tmp.Path, "t.zip"));
        Assert.Contains("3 × 3-fold cross-validation", text.Stdout);
        Assert.Contains("gain vs defaults", text.Stdout);
    }
}

/// <summary>The feature budget is one of the settings tune searches.</summary>
public sealed class TuneFeatureBudgetTests
{
    [Fact]
    public void TheSearch_TriesHalfAndTwiceTheBudget_AndTheSettingsCarryItToTraining()
    {
        var baseline = TuneSettings.From(new Core.Features.FeaturizerOptions(), new Core.Training.TrainerOptions());
        Assert.Equal(200_000, baseline.FeatureBudget);
        var tried = TuneSearch.OneAtATime(baseline);
        Assert.Contains(baseline with { FeatureBudget = 100_000 }, tried);
        Assert.Contains(baseline with { FeatureBudget = 400_000 }, tried);
        var (_, trainer) = (baseline with { FeatureBudget = 100_000 }).Apply(new Core.Features.FeaturizerOptions(), new Core.Training.TrainerOptions());
        Assert.Equal(100_000, trainer.Compact.FeatureBudget);
        var args = (baseline with { FeatureBudget = 100_000 }).TrainArguments().ToList();
        Assert.Equal("100000", args[args.IndexOf("--feature-budget") + 1]);
        // A model that keeps every feature has no budget to vary.
        Assert.DoesNotContain(TuneSearch.OneAtATime(baseline with { FeatureBudget = 0 }), s => s.FeatureBudget != 0);
    }
}

/// <summary>tune --report: the trial table and the chart of gains with their error bars.</summary>
[Collection(CliCollection.Name)]
public sealed class TuneReportTests
{
    [Fact]
    public async Task TheReport_HoldsEveryTrial_AndDrawsEachGainWithItsStandardError()
    {
        using var tmp = new TempDirectory();
        var folder = Path.Combine(tmp.Path, "report");
        var j = (await CliHarness.RunOkAsync("tune", "--trials", "4", "--repeats", "1", "--json", "--quiet", "--report", folder, "--model", Path.Combine(tmp.Path, "m.zip"))).Json();
        Assert.True(File.Exists(Path.Combine(folder, "metrics.json")));
        var markdown = File.ReadAllText(Path.Combine(folder, "metrics.md"));
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        var trials = j.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(trials.Count + 2, markdown.Split('\n').Count(l => l.StartsWith('|')));
        // One point per finished trial after the defaults, carrying its gain and standard error as the JSON has them.
        foreach (var t in trials.Where(t => t.GetProperty("gain_vs_defaults").ValueKind == System.Text.Json.JsonValueKind.Number))
        {
            var n = t.GetProperty("trial").GetInt32();
            Assert.Contains($"data-trial=\"{n}\"", html);
        }
        Assert.Contains("Gain over the defaults", html);
        Assert.Contains(j.GetProperty("best").GetProperty("trial").GetInt32() == 1 ? "Kept the defaults" : "Kept trial", html);
    }
}

/// <summary>Multi-label tune: class weights, C, the threshold policy and the minimum label count, by micro- or macro-F1.</summary>
[Collection(CliCollection.Name)]
public sealed class MultiLabelTuneTests
{
    [Fact]
    public async Task MultiLabelData_IsTunedByMicroF1_AndThePrintedCommandTrainsTheKeptSettings()
    {
        using var tmp = new TempDirectory();
        var data = CliHarness.Fixture("multi-label.csv");
        var j = (await CliHarness.RunOkAsync("tune", "--data", data, "--label", "labels", "--multi-label", "--trials", "8", "--json", "--quiet",
            "--model", Path.Combine(tmp.Path, "m.zip"))).Json();
        Assert.Equal("micro-f1", j.GetProperty("metric").GetString());
        var tried = j.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("settings")).ToList();
        // Balanced class weights come right after the defaults; then the threshold policy and the minimum label count.
        Assert.Equal("balanced", tried[1].GetProperty("class_weight").GetString());
        Assert.Contains(tried, s => s.GetProperty("min_validation_f1").GetDouble() == 0);
        Assert.Contains(tried, s => s.GetProperty("min_label_count").GetInt32() == 1);
        var command = j.GetProperty("train_command").GetString()!;
        Assert.Contains("--multi-label", command);
        Assert.Contains("--min-validation-f1", command);
        var model = Core.Models.ModelFile.Load(Path.Combine(tmp.Path, "m.zip"));
        Assert.True(model.IsMultiLabel);
        var kept = j.GetProperty("best").GetProperty("settings");
        Assert.Equal(kept.GetProperty("min_label_count").GetInt32(), model.Manifest.MultiLabel!.MinLabelCount);
    }

    [Theory]
    [InlineData("log-loss", "--metric log-loss is for single-label data")]
    [InlineData("accuracy", "--metric accuracy is for single-label data")]
    public async Task ASingleLabelMetric_OnMultiLabelData_OneLine_Exit2(string metric, string message)
    {
        using var tmp = new TempDirectory();
        var r = await CliHarness.RunAsync("tune", "--data", CliHarness.Fixture("multi-label.csv"), "--label", "labels", "--multi-label", "--trials", "2",
            "--metric", metric, "--model", Path.Combine(tmp.Path, "m.zip"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }
}
