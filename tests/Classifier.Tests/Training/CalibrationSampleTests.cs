using Classifier.Core;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>Above <see cref="OneVersusRestSvm.MaxCalibrationRows"/> the calibration solve fits a stratified sample; the final solve still fits every row.</summary>
public sealed class CalibrationSampleTests
{
    // Three topics, with words shared across them (item, note, and striker/rates/patients by i % 5) beside their own.
    private static readonly string[] Texts = Enumerable.Range(0, 600)
        .Select(i => $"{(i % 3 == 0 ? "goals matches" : i % 3 == 1 ? "shares banks" : "doctors clinics")} {(i % 5 == 0 ? "striker" : i % 5 == 1 ? "rates" : "patients")} item{i % 37} note{i % 11}")
        .ToArray();

    private static readonly int[] Labels = Enumerable.Range(0, Texts.Length).Select(i => i % 3).ToArray();

    private static (OneVersusRestSvm.Result Result, List<string> Lines) Fit(int maxCalibrationRows, int budget = 0)
    {
        var (featurizer, x, _) = ModelTrainer.FitFeatures(Texts, new FeaturizerOptions(), 1, null, CancellationToken.None);
        var lines = new List<string>();
        var r = OneVersusRestSvm.Train(x, Labels, 3, featurizer, new TrainerOptions(), budget, CancellationToken.None, new Recorder(lines),
            maxCalibrationRows: maxCalibrationRows);
        return (r, lines);
    }

    [Fact]
    public void AtTheCap_NothingIsSampled_AndTheModelIsTheSame()
    {
        // 600 rows, a fifth held out: 480 fitted.
        var (capped, lines) = Fit(480);
        var (free, _) = Fit(OneVersusRestSvm.MaxCalibrationRows);
        Assert.Contains("svm: calibration solve on 480 documents", lines);
        for (int c = 0; c < 3; c++) Assert.Equal(free.Weights[c], capped.Weights[c]);
        Assert.Equal(free.Bias, capped.Bias);
    }

    [Fact]
    public void AboveTheCap_TheCalibrationSolveFitsASample_AndTheFinalSolveReachesTheSameWeights()
    {
        var (sampled, lines) = Fit(60);
        var (free, _) = Fit(OneVersusRestSvm.MaxCalibrationRows);
        Assert.Contains("svm: calibration solve on 60 documents, a stratified sample of the 480 not held out", lines);
        // The final solve fits every row from either start, to the solver's tolerance: the same direction per class.
        // Only the temperature, fitted on the held-out fifth by a model of 60 rows instead of 480, scales them apart.
        for (int c = 0; c < 3; c++)
        {
            double dot = 0, a = 0, b = 0;
            for (int j = 0; j < free.Weights[c].Length; j++)
            {
                dot += (double)free.Weights[c][j] * sampled.Weights[c][j];
                a += (double)free.Weights[c][j] * free.Weights[c][j];
                b += (double)sampled.Weights[c][j] * sampled.Weights[c][j];
            }
            Assert.True(dot / Math.Sqrt(a * b) > 0.99, $"class {c}: cosine {dot / Math.Sqrt(a * b)}");
        }
        Assert.NotEqual(free.Weights[0], sampled.Weights[0]);
    }

    [Fact]
    public void TheSample_IsDrawnFromTheFittingRowsAlone_ClassByClass()
    {
        var labels = Labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var (fit, held) = Splits.Holdout(labels, OneVersusRestSvm.CalibrationFraction, seed: 42);
        var sample = OneVersusRestSvm.CalibrationSample(fit, labels, 60, seed: 42);
        Assert.Equal(60, sample.Count);
        Assert.Equal(sample.Order(), sample);
        Assert.Subset(fit.ToHashSet(), sample.ToHashSet());
        Assert.Empty(sample.Intersect(held));
        // 160 fitting rows a class, 60 of 480: 20 each.
        Assert.All(sample.GroupBy(i => labels[i]), g => Assert.Equal(20, g.Count()));
        // Its own seed: not the rows the holdout dealt first within each class.
        Assert.Equal(sample, OneVersusRestSvm.CalibrationSample(fit, labels, 60, seed: 42));
        Assert.NotEqual(sample, OneVersusRestSvm.CalibrationSample(fit, labels, 60, seed: 43));
        Assert.NotEqual(sample, Splits.Sample(fit.Select(i => labels[i]).ToList(), 60, seed: 42).Select(k => fit[k]).ToList());
    }

    [Fact]
    public void AboveTheCap_TheFeaturesTheBudgetKeeps_AreRankedFromTheSample()
    {
        // With a sample of 3 rows (one a class), the ranking sees only their features: every kept feature is one of theirs.
        var (featurizer, x, _) = ModelTrainer.FitFeatures(Texts, new FeaturizerOptions(), 1, null, CancellationToken.None);
        var labels = Labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var (fit, _) = Splits.Holdout(labels, OneVersusRestSvm.CalibrationFraction, new TrainerOptions().Seed);
        var sample = OneVersusRestSvm.CalibrationSample(fit, labels, 3, new TrainerOptions().Seed);
        // Read before Train, which prunes the store in place.
        var seen = sample.SelectMany(i => x.Indices(i).ToArray()).ToHashSet();
        Assert.True(seen.Count > 20 && seen.Count < x.Columns / 2, $"{seen.Count} of {x.Columns} features in the sample");
        var r = OneVersusRestSvm.Train(x, Labels, 3, featurizer, new TrainerOptions(), budget: 20, CancellationToken.None, maxCalibrationRows: 3);
        Assert.Equal(20, r.Keep!.Length);
        Assert.Subset(seen, r.Keep.ToHashSet());
    }

    private sealed class Recorder(List<string> lines) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            if (!value.Transient) lines.Add(value.Stage);
        }
    }
}
