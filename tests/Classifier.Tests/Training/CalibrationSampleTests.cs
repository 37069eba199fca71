using Classifier.Core;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>Above <see cref="OneVersusRestSvm.CalibrationRows"/> the calibration solve fits a stratified sample; the final solve still fits every row.</summary>
public sealed class CalibrationSampleTests
{
    // Three topics with shared noise words, so that no single word separates them and the solves take a few passes.
    private static readonly string[] Texts = Enumerable.Range(0, 600)
        .Select(i => $"{(i % 3 == 0 ? "goals matches" : i % 3 == 1 ? "shares banks" : "doctors clinics")} {(i % 5 == 0 ? "striker" : i % 5 == 1 ? "rates" : "patients")} item{i % 37} note{i % 11}")
        .ToArray();

    private static readonly int[] Labels = Enumerable.Range(0, Texts.Length).Select(i => i % 3).ToArray();

    private static (OneVersusRestSvm.Result Result, List<string> Lines) Fit(int calibrationRows, int budget = 0)
    {
        var (featurizer, x, _) = ModelTrainer.FitFeatures(Texts, new FeaturizerOptions(), 1, null, CancellationToken.None);
        var lines = new List<string>();
        var r = OneVersusRestSvm.Train(x, Labels, 3, featurizer, new TrainerOptions(), budget, CancellationToken.None, new Recorder(lines),
            calibrationRows: calibrationRows);
        return (r, lines);
    }

    [Fact]
    public void AtTheCap_NothingIsSampled_AndTheModelIsTheSame()
    {
        // 600 rows, a fifth held out: 480 fitted.
        var (capped, lines) = Fit(480);
        var (free, _) = Fit(OneVersusRestSvm.CalibrationRows);
        Assert.Contains("svm: calibration solve on 480 documents", lines);
        for (int c = 0; c < 3; c++) Assert.Equal(free.Weights[c], capped.Weights[c]);
        Assert.Equal(free.Bias, capped.Bias);
    }

    [Fact]
    public void AboveTheCap_TheCalibrationSolveFitsASample_AndTheFinalSolveReachesTheSameWeights()
    {
        var (sampled, lines) = Fit(60);
        var (free, _) = Fit(OneVersusRestSvm.CalibrationRows);
        Assert.Contains("svm: calibration solve on 60 documents, a sample of the 480 not held out", lines);
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
    public void AboveTheCap_TheSampleRanksTheFeaturesTheBudgetKeeps()
    {
        var (sampled, _) = Fit(60, budget: 20);
        Assert.Equal(20, sampled.Keep!.Length);
        Assert.All(sampled.Weights, w => Assert.Equal(20, w.Length));
    }

    private sealed class Recorder(List<string> lines) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            if (!value.Transient) lines.Add(value.Stage);
        }
    }
}
