using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

public sealed class DualCoordinateSvmTests
{
    /// <summary>Random sparse rows whose label is the sign of a hidden linear rule, with a tenth of the labels flipped.</summary>
    private static (SparseMatrix X, bool[] Y) Problem(int rows, int columns, int seed) => RandomRows.BinaryProblem(rows, columns, seed, flipped: 0.1);

    /// <summary>The primal objective LIBLINEAR minimises: ½‖(w, b)‖² + C Σ max(0, 1 − y(w·x + b))².</summary>
    private static double Primal(SparseMatrix x, bool[] y, float[] w, float b, double c)
    {
        double loss = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            var slack = Math.Max(0, 1 - (y[i] ? 1 : -1) * (x.Dot(i, w) + b));
            loss += slack * slack;
        }
        return 0.5 * (w.Sum(v => (double)v * v) + (double)b * b) + c * loss;
    }

    // To the optimum: the stall (a pass that lowers the objective by less than 1e-5 of it) would stop these small
    // problems a few digits short of the weights compared here.
    private static readonly DualCoordinateSvm.Options Tight = new(C: 1, MaxIterations: 1000, Tolerance: 1e-4, Seed: 3, Stall: 0);

    [Fact]
    public void SeparableProblem_IsClassifiedWithoutError()
    {
        var rows = new List<SparseVector>
        {
            new([0], [1f]), new([0], [2f]), new([0, 1], [1f, 0.1f]),
            new([1], [1f]), new([1], [2f]), new([0, 1], [0.1f, 1f]),
        };
        var x = new SparseMatrix(rows, 2);
        var y = new[] { true, true, true, false, false, false };
        var (w, b) = DualCoordinateSvm.Train(x, y, Tight with { C = 10 });
        for (int i = 0; i < y.Length; i++) Assert.Equal(y[i], x.Dot(i, w) + b > 0);
    }

    [Fact]
    public void WarmStartFromASubsetSolution_ReachesTheColdStartOptimum()
    {
        var (x, y) = Problem(rows: 400, columns: 30, seed: 5);
        var cold = DualCoordinateSvm.Train(x, y, Tight);

        // The dual solution of the first 300 rows, padded with zeros, as the calibration solve hands it over.
        var subset = new SparseMatrix(Enumerable.Range(0, 300).Select(i => Row(x, i)).ToList(), x.Columns);
        var subsetAlpha = new double[300];
        DualCoordinateSvm.Train(subset, y.Take(300).ToArray(), Tight with { Tolerance = 1.0 }, alpha: subsetAlpha);
        Assert.Contains(subsetAlpha, a => a > 0);
        var alpha = new double[400];
        subsetAlpha.CopyTo(alpha, 0);
        var warm = DualCoordinateSvm.Train(x, y, Tight, alpha: alpha);

        var pCold = Primal(x, y, cold.Weights, cold.Bias, Tight.C);
        var pWarm = Primal(x, y, warm.Weights, warm.Bias, Tight.C);
        Assert.True(Math.Abs(pWarm - pCold) <= 1e-3 * pCold, $"primal objective: cold {pCold}, warm {pWarm}");
        for (int j = 0; j < x.Columns; j++) Assert.Equal(cold.Weights[j], warm.Weights[j], 0.02);
    }

    [Fact]
    public void WarmStartAtTheOptimum_KeepsIt_AndTheReturnedAlphaRebuildsTheWeights()
    {
        var (x, y) = Problem(rows: 200, columns: 20, seed: 8);
        var alpha = new double[200];
        var first = DualCoordinateSvm.Train(x, y, Tight, alpha: alpha);

        // w = Σ αᵢ yᵢ xᵢ: the dual variables handed back are the ones behind the weights.
        var rebuilt = new float[x.Columns];
        for (int i = 0; i < x.Rows; i++) x.AddTo(i, rebuilt, (float)(alpha[i] * (y[i] ? 1 : -1)));
        for (int j = 0; j < x.Columns; j++) Assert.Equal(first.Weights[j], rebuilt[j], 1e-3);

        var again = DualCoordinateSvm.Train(x, y, Tight, alpha: alpha);
        for (int j = 0; j < x.Columns; j++) Assert.Equal(first.Weights[j], again.Weights[j], 1e-3);
    }

    [Fact]
    public void AlphaOfTheWrongLength_IsRejected() =>
        Assert.Throws<ArgumentException>(() => DualCoordinateSvm.Train(Problem(10, 5, 1).X, Problem(10, 5, 1).Y, Tight, alpha: new double[9]));

    private static SparseVector Row(SparseMatrix x, int i) => x.Row(i);
}
