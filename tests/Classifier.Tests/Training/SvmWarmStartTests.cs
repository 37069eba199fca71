using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>tune starts each fold's solves from the last trial's solution: the model must come out as from zero, within the solver's tolerance.</summary>
public sealed class SvmWarmStartTests
{
    private static readonly string[] Texts = Enumerable.Range(0, 600)
        .Select(i => $"{(i % 3 == 0 ? "goals matches striker" : i % 3 == 1 ? "shares banks rates" : "doctors clinics patients")} item{i % 37} note{i % 11}")
        .ToArray();

    private static readonly int[] Labels = Enumerable.Range(0, Texts.Length).Select(i => i % 3).ToArray();

    private static (float[][] Weights, float[] Bias) Fit(TrainerOptions o, SvmWarmStart? start)
    {
        var (featurizer, x, _) = ModelTrainer.FitFeatures(Texts, new FeaturizerOptions(), 1, null, CancellationToken.None);
        var r = OneVersusRestSvm.Train(x, Labels, 3, featurizer, o, budget: 0, CancellationToken.None, start: start);
        return (r.Weights, r.Bias);
    }

    [Fact]
    public void AWarmStartFromOtherSettings_ReachesTheSameModel_AndKeepsTheNewSolution()
    {
        var start = new SvmWarmStart();
        Fit(new TrainerOptions { C = 0.3 }, start);
        var earlier = start.Final!.Select(a => (double[])a.Clone()).ToArray();

        var cold = Fit(new TrainerOptions { C = 1 }, null);
        var warm = Fit(new TrainerOptions { C = 1 }, start);
        // The solver stops when its projected gradients agree to 0.1: the two solutions are that close, not equal.
        for (int c = 0; c < 3; c++)
        {
            var norm = Math.Sqrt(cold.Weights[c].Sum(v => (double)v * v));
            var diff = Math.Sqrt(cold.Weights[c].Zip(warm.Weights[c], (a, b) => (double)(a - b) * (a - b)).Sum());
            Assert.True(diff < 0.05 * norm, $"class {c}: |w_warm - w_cold| = {diff}, |w_cold| = {norm}");
        }
        Assert.NotEqual(earlier[0], start.Final![0]);
    }
}
