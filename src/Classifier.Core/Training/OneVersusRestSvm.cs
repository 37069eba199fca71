using Classifier.Core.Features;
using Microsoft.ML;

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
    private const double Tolerance = 0.1;
    /// <summary>
    /// The calibration solve only has to place held-out margins well enough to fit one temperature, and to give the
    /// final solve a warm start, so it stops at a looser tolerance: a few passes instead of ten or more.
    /// </summary>
    private const double CalibrationTolerance = 1.0;

    public static ITransformer Train(MLContext ml, IReadOnlyList<SparseVector> x, IReadOnlyList<int> y, int classes, int dimension,
        TrainerOptions o, CancellationToken cancel)
    {
        var (temperature, warmStart) = FitTemperature(x, y, classes, dimension, o, cancel);
        var (weights, bias) = TrainAll(new SparseMatrix(x, dimension), y, classes, o, cancel, warmStart);
        var t = (float)temperature;
        foreach (var w in weights) for (int j = 0; j < w.Length; j++) w[j] *= t;
        for (int c = 0; c < classes; c++) bias[c] *= t;
        return LinearModelBuilder.Create(ml, weights, bias, dimension);
    }

    /// <summary>
    /// Fits the temperature on a held-out fifth, and returns the dual solution of that fit, spread over all rows
    /// (zero on the held-out ones), as the warm start of the final solve: it is the optimum of a nearby problem.
    /// </summary>
    private static (double Temperature, double[][]? WarmStart) FitTemperature(IReadOnlyList<SparseVector> x, IReadOnlyList<int> y,
        int classes, int dimension, TrainerOptions o, CancellationToken cancel)
    {
        var labels = y.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        List<int> fit, held;
        try
        {
            (fit, held) = Splits.Holdout(labels, CalibrationFraction, o.Seed);
        }
        catch (InputException)
        {
            return (1, null); // a class too small to split: keep raw margins rather than fail the whole run
        }
        var matrix = new SparseMatrix(fit.Select(i => x[i]).ToList(), dimension);
        var fitAlpha = Enumerable.Range(0, classes).Select(_ => new double[fit.Count]).ToArray();
        var (weights, bias) = TrainAll(matrix, fit.Select(i => y[i]).ToList(), classes, o, cancel, fitAlpha, CalibrationTolerance);
        var margins = held.Select(i => Margins(x[i], weights, bias)).ToList();
        var warm = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            warm[c] = new double[x.Count];
            for (int k = 0; k < fit.Count; k++) warm[c][fit[k]] = fitAlpha[c][k];
        }
        return (Calibration.FitTemperature(margins, held.Select(i => y[i]).ToList()), warm);
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
