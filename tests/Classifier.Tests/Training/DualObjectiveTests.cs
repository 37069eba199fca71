using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>The dual objective the class-at-a-time solver tracks, and the stopping rule on it (<see cref="DualObjective"/>).</summary>
public sealed class DualObjectiveTests
{
    // One row x = (1) with the bias: Q̄ = ‖x‖² + 1 + D = 1 + 1 + 0.5 = 2.5 at C = 1 (D = 0.5 / C), so f(α) = 1.25 α² − α.
    [Theory]
    [InlineData(0.0, 0.4, -0.2)]   // the optimal step from 0: −g / Q̄ = 1 / 2.5; f(0.4) = 1.25 × 0.16 − 0.4
    [InlineData(0.0, 0.2, -0.15)]  // f(0.2) = 1.25 × 0.04 − 0.2
    [InlineData(0.4, -0.4, 0.2)]   // back from the optimum to 0
    [InlineData(0.4, 0.0, 0.0)]
    public void Change_IsTheQuadraticsOwnDifference_WorkedByHand(double from, double step, double expected)
    {
        var gradient = 2.5 * from - 1; // f'(α) = 2.5 α − 1
        Assert.Equal(expected, DualObjective.Change(gradient, step, qd: 2.5), 12);
        // The same from the parts: the weights' ½(w² + b²) with w = b = α (y = 1), and the row's ½ D α² − α.
        double F(double a) => DualObjective.OfWeights([(float)a], a) + DualObjective.OfRow(a, diag: 0.5);
        Assert.Equal(F(from + step) - F(from), DualObjective.Change(gradient, step, qd: 2.5), 6);
    }

    [Fact]
    public void Parts_WorkedByHand()
    {
        Assert.Equal(12.5, DualObjective.OfWeights([3f, 4f], 0), 12);             // ½ (9 + 16)
        Assert.Equal(1.5, DualObjective.OfWeights([1f, 1f], 1), 12);              // ½ (1 + 1 + b² = 1)
        Assert.Equal(-0.36, DualObjective.OfRow(0.4, 0.5), 12);                   // 0.4 × (0.25 × 0.4 − 1)
        Assert.Equal(0.0, DualObjective.OfRow(0, 0.5));
    }

    [Theory]
    [InlineData(-0.9e-5, -1.0, 1e-5, true)]
    [InlineData(-1.1e-5, -1.0, 1e-5, false)]
    [InlineData(-0.9e-3, -100.0, 1e-5, true)]
    [InlineData(0.0, -1.0, 0.0, false)]      // a fraction of 0 turns the rule off
    [InlineData(-1e-9, 0.0, 1e-5, false)]    // no size yet to compare with
    public void Stalled_ComparesThePassesDropWithAFractionOfTheObjective(double change, double objective, double fraction, bool stalled) =>
        Assert.Equal(stalled, DualObjective.Stalled(change, objective, fraction));

    /// <summary>Random sparse rows whose label is the sign of a hidden linear rule, with a fifth of the labels flipped.</summary>
    private static (SparseMatrix X, bool[] Y) Problem(int rows, int columns, int seed) => RandomRows.BinaryProblem(rows, columns, seed, flipped: 0.2);

    /// <summary>f(α) from the dual variables alone, in double: ½‖Σ αᵢ yᵢ (xᵢ, 1)‖² + Σ (½ Dᵢᵢ αᵢ² − αᵢ).</summary>
    private static double Dual(SparseMatrix x, bool[] y, double[] alpha, double c) =>
        Dual(x, null, y, alpha, _ => 0.5 / c);

    /// <summary>As above, over rows <paramref name="rows"/> of <paramref name="x"/> (null: all), row k's Dₖₖ from <paramref name="diag"/>.</summary>
    private static double Dual(SparseMatrix x, int[]? rows, bool[] y, double[] alpha, Func<int, double> diag)
    {
        var w = new double[x.Columns];
        double b = 0, own = 0;
        for (int k = 0; k < alpha.Length; k++)
        {
            var ay = alpha[k] * (y[k] ? 1 : -1);
            var row = x.Row(rows?[k] ?? k);
            for (int p = 0; p < row.Indices.Length; p++) w[row.Indices[p]] += ay * row.Values[p];
            b += ay;
            own += 0.5 * diag(k) * alpha[k] * alpha[k] - alpha[k];
        }
        return 0.5 * (w.Sum(v => v * v) + b * b) + own;
    }

    /// <summary>Dₖₖ = ½ / (C × the class weight of a positive row × the row's own cost).</summary>
    private static Func<int, double> Diag(bool[] y, double c, double weightPositive, double[] rowCost) =>
        k => 0.5 / (c * (y[k] ? weightPositive : 1) * rowCost[k]);

    [Fact]
    public void TheTrackedObjective_IsTheDualVariablesOwn_AfterEveryPass_FromAWarmStart_OnRowsWithCostsAndAClassWeight()
    {
        var (x, y) = Problem(rows: 300, columns: 40, seed: 8);
        var rows = Enumerable.Range(0, 300).Where(i => i % 4 != 0).ToArray();
        var member = rows.Select(i => y[i]).ToArray();
        var rowCost = rows.Select(i => 0.5 + i % 3 * 0.5).ToArray();
        var alpha = new double[rows.Length];
        // Three passes make the warm start; then every pass's objective against the one recomputed from α.
        DualCoordinateSvm.Train(x, member, NeverBySpread with { MaxIterations = 3 }, weightPositive: 2, alpha: alpha, rows: rows, rowCost: rowCost);
        var seen = new List<(double Tracked, double Direct)>();
        var diag = Diag(member, 1, 2, rowCost);
        DualCoordinateSvm.Train(x, member, NeverBySpread with { MaxIterations = 12, OnPass = (_, f) => seen.Add((f, Dual(x, rows, member, alpha, diag))) },
            weightPositive: 2, alpha: alpha, rows: rows, rowCost: rowCost);
        Assert.Equal(12, seen.Count);
        Assert.All(seen, s => Assert.True(Math.Abs(s.Tracked - s.Direct) <= 1e-6 * Math.Abs(s.Direct), $"tracked {s.Tracked}, from α {s.Direct}"));
        Assert.True(seen[^1].Direct < seen[0].Direct);
    }

    // A spread of 0 is never reached, so only the stall (or the cap) can end these solves.
    private static readonly DualCoordinateSvm.Options NeverBySpread = new(C: 1, MaxIterations: 1000, Tolerance: 0, Seed: 3);

    [Fact]
    public void AClassAtATimeSolve_StopsOnAFullPassThatLowersTheObjectiveByLessThanTheFraction_NearTheOptimum()
    {
        var (x, y) = Problem(rows: 300, columns: 40, seed: 4);
        double[] Solve(DualCoordinateSvm.Options o)
        {
            var alpha = new double[x.Rows];
            DualCoordinateSvm.Train(x, y, o, alpha: alpha);
            return alpha;
        }
        var stopped = Solve(NeverBySpread);
        // The pass it stopped after: the first cap that gives the same dual variables (the steps up to a cap are the same).
        var passes = Enumerable.Range(1, 999).First(p => Solve(NeverBySpread with { MaxIterations = p }).SequenceEqual(stopped));
        Assert.InRange(passes, 3, 998);
        var (before, after) = (Dual(x, y, Solve(NeverBySpread with { MaxIterations = passes - 1 }), 1), Dual(x, y, stopped, 1));
        Assert.True(before - after < DualObjective.StallFraction * Math.Abs(after) * 1.01, $"last pass lowered f from {before} to {after}");

        var optimum = Dual(x, y, Solve(NeverBySpread with { Stall = 0, MaxIterations = 3000 }), 1);
        Assert.True(after - optimum <= 1e-3 * Math.Abs(optimum), $"stopped at {after}, optimum {optimum}");
        Assert.True(after - optimum >= 0, "the dual objective cannot go below its minimum");
    }

    [Fact]
    public void WhereTheSpreadTestComesFirst_TheStallChangesNoBit()
    {
        var (x, y) = Problem(rows: 300, columns: 40, seed: 6);
        var o = new DualCoordinateSvm.Options(C: 1, MaxIterations: 100, Tolerance: 0.1, Seed: 2);
        var (w, b) = DualCoordinateSvm.Train(x, y, o);
        var (w0, b0) = DualCoordinateSvm.Train(x, y, o with { Stall = 0 });
        Assert.Equal(w0, w);
        Assert.Equal(b0, b);
    }

    [Fact]
    public void TheSideBySideSolver_KeepsLibLinearsTestAlone()
    {
        // Its loop does not track the objective (see LockstepSvm): with a spread never reached it runs to the cap,
        // whatever the stall fraction says.
        var (x, y) = Problem(rows: 120, columns: 20, seed: 7);
        IReadOnlyList<IReadOnlyList<bool>> positive = [y, y.Select(v => !v).ToArray()];
        var (w, b) = LockstepSvm.Train(x, positive, NeverBySpread, [1.0, 1.0], new double[]?[2]);
        var (w0, b0) = LockstepSvm.Train(x, positive, NeverBySpread with { Stall = 0 }, [1.0, 1.0], new double[]?[2]);
        Assert.Equal(w0, w);
        Assert.Equal(b0, b);
        // On this problem the stall does end the class-at-a-time solve before the cap, so the equality above says something.
        Assert.NotEqual(DualCoordinateSvm.Train(x, y, NeverBySpread with { Stall = 0 }).Weights, DualCoordinateSvm.Train(x, y, NeverBySpread).Weights);
    }
}
