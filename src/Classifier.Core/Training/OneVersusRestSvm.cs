using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>
/// The default trainer: one linear SVM per class (<see cref="DualCoordinateSvm"/>), trained in parallel
/// across classes, with a softmax temperature fitted on a held-out fifth of the training data so that
/// scores are probabilities. Each class's solver has its own seeded order, so results do not depend on
/// the number of threads.
/// </summary>
internal static class OneVersusRestSvm
{
    /// <summary>Share of the training data held out to fit the softmax temperature.</summary>
    public const double CalibrationFraction = 0.2;
    public const int DefaultMaxIterations = 100;
    public const double Tolerance = 0.1;
    /// <summary>
    /// The calibration solve only has to place held-out margins well enough to fit one temperature, rank features for
    /// pruning, and give the final solve a warm start, so it stops at a looser tolerance: a few passes instead of ten or more.
    /// </summary>
    public const double LooseTolerance = 1.0;

    /// <summary>What training produced: class-major weights over the kept features, biases, and the kept feature ids (null: all).</summary>
    public sealed record Result(float[][] Weights, float[] Bias, int[]? Keep);

    /// <param name="budget">Features to keep (see <see cref="FeaturePruning"/>); 0 keeps all.</param>
    public static Result Train(IReadOnlyList<SparseVector> x, IReadOnlyList<int> y, int classes, TextFeaturizer featurizer,
        TrainerOptions o, int budget, CancellationToken cancel)
    {
        var dimension = featurizer.Dimension;
        var labels = y.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        List<int> fit, held;
        try
        {
            (fit, held) = Splits.Holdout(labels, CalibrationFraction, o.Seed);
        }
        catch (InputException)
        {
            // A class too small to split: keep raw margins rather than fail the whole run; rank features on all rows.
            (fit, held) = (Enumerable.Range(0, x.Count).ToList(), new List<int>());
        }

        // The loose solve on the fitting part: held-out margins for the temperature, feature ranks, and a warm start.
        var fitAlpha = Enumerable.Range(0, classes).Select(_ => new double[fit.Count]).ToArray();
        var (fitWeights, fitBias) = TrainAll(new SparseMatrix(fit.Select(i => x[i]).ToList(), dimension), fit.Select(i => y[i]).ToList(),
            classes, o, cancel, fitAlpha, LooseTolerance);

        int[]? keep = null;
        if (FeaturePruning.Applies(budget, dimension))
        {
            keep = FeaturePruning.Select(fitWeights, dimension, budget);
            x = FeaturePruning.Restrict(x, featurizer, keep, o.EffectiveThreads, cancel);
            fitWeights = FeaturePruning.Restrict(fitWeights, keep);
            dimension = keep.Length;
        }
        var temperature = held.Count == 0 ? 1.0
            : Calibration.FitTemperature(held.Select(i => Margins(x[i], fitWeights, fitBias)).ToList(), held.Select(i => y[i]).ToList());

        // The fitting part's dual solution, spread over all rows (zero on the held-out ones), is the optimum of a
        // nearby problem: the final solve starts from it.
        var warm = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            warm[c] = new double[x.Count];
            for (int k = 0; k < fit.Count; k++) warm[c][fit[k]] = fitAlpha[c][k];
        }
        var (weights, bias) = TrainAll(new SparseMatrix(x, dimension), y, classes, o, cancel, warm);
        var t = (float)temperature;
        foreach (var w in weights) for (int j = 0; j < w.Length; j++) w[j] *= t;
        for (int c = 0; c < classes; c++) bias[c] *= t;
        return new Result(weights, bias, keep);
    }

    /// <param name="alpha">Per class, the dual variables: a warm start on entry and the solution on return; null starts from zero.</param>
    public static (float[][] Weights, float[] Bias) TrainAll(SparseMatrix x, IReadOnlyList<int> y, int classes, TrainerOptions o,
        CancellationToken cancel, double[][]? alpha = null, double tolerance = Tolerance)
    {
        var weights = new float[classes][];
        var bias = new float[classes];
        var options = new DualCoordinateSvm.Options(o.C, o.Iterations > 0 ? o.Iterations : DefaultMaxIterations, tolerance, o.Seed);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.EffectiveThreads, CancellationToken = cancel };
        Parallel.For(0, classes, parallel, c =>
        {
            var positive = y.Select(v => v == c).ToArray();
            (weights[c], bias[c]) = DualCoordinateSvm.Train(x, positive, options with { Seed = o.Seed * 7919 + c }, alpha: alpha?[c]);
        });
        return (weights, bias);
    }

    public static double[] Margins(SparseVector v, float[][] weights, float[] bias)
    {
        var m = new double[weights.Length];
        for (int c = 0; c < weights.Length; c++)
        {
            double s = bias[c];
            var w = weights[c];
            for (int p = 0; p < v.Count; p++) s += v.Values[p] * w[v.Indices[p]];
            m[c] = s;
        }
        return m;
    }
}
