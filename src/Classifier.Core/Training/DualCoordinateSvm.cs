namespace Classifier.Core.Training;

/// <summary>
/// Binary L2-regularised, L2-loss (squared hinge) linear SVM solved in the dual by coordinate descent with
/// shrinking: the algorithm of LIBLINEAR (Hsieh et al., ICML 2008), which scikit-learn's LinearSVC wraps.
/// It converges in a few passes on sparse text, far faster than SGD-style solvers, and is deterministic for
/// a given seed. The bias is learned as the weight of a constant feature of value 1, as LIBLINEAR does.
/// </summary>
internal static class DualCoordinateSvm
{
    public sealed record Options(double C, int MaxIterations, double Tolerance, int Seed);

    /// <param name="positive">Per row, whether it belongs to the positive class.</param>
    /// <param name="weightPositive">Cost multiplier for positive rows (class weighting); 1 = none.</param>
    /// <param name="alpha">
    /// The dual variables, one per row: a warm start on entry (a solution of a nearby problem, such as the same
    /// rows minus a held-out part, converges in a fraction of the passes) and the solution on return. Null starts from zero.
    /// </param>
    /// <param name="rows">The rows of <paramref name="x"/> to train on, in this order (null: all); <paramref name="positive"/>, <paramref name="alpha"/> and <paramref name="rowCost"/> follow it.</param>
    /// <param name="rowCost">Per row, a multiplier of C (class weighting); null = 1 for every row.</param>
    /// <param name="into">Zeroes of <see cref="SparseMatrix.Columns"/> floats to solve into and return (null: a new array).</param>
    public static (float[] Weights, float Bias) Train(SparseMatrix x, IReadOnlyList<bool> positive, Options o, double weightPositive = 1,
        double[]? alpha = null, int[]? rows = null, IReadOnlyList<double>? rowCost = null, float[]? into = null)
    {
        int n = rows?.Length ?? x.Rows;
        if (into is not null && into.Length != x.Columns) throw new ArgumentException("one weight per column", nameof(into));
        var w = into ?? new float[x.Columns];
        double b = 0;
        if (alpha is null) alpha = new double[n];
        else if (alpha.Length != n) throw new ArgumentException("one dual variable per row", nameof(alpha));
        var diag = new double[n];
        var qd = new double[n];
        var y = new sbyte[n];
        var norms = x.SquaredNorms();
        for (int i = 0; i < n; i++)
        {
            y[i] = positive[i] ? (sbyte)1 : (sbyte)-1;
            var c = (positive[i] ? o.C * weightPositive : o.C) * (rowCost?[i] ?? 1.0);
            diag[i] = 0.5 / c;
            qd[i] = diag[i] + norms[Row(i)] + 1.0;
            if (alpha[i] != 0)
            {
                x.AddTo(Row(i), w, (float)(alpha[i] * y[i]));
                b += alpha[i] * y[i];
            }
        }
        int Row(int i) => rows is null ? i : rows[i];
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(o.Seed);
        int active = n;
        double pgMaxOld = double.PositiveInfinity, pgMinOld = double.NegativeInfinity;
        for (int iter = 0; iter < o.MaxIterations; iter++)
        {
            double pgMax = double.NegativeInfinity, pgMin = double.PositiveInfinity;
            for (int s = 0; s < active; s++)
            {
                int j = s + random.Next(active - s);
                (order[s], order[j]) = (order[j], order[s]);
            }
            for (int s = 0; s < active; s++)
            {
                int i = order[s];
                if (s + 1 < active) x.Prefetch(Row(order[s + 1]));
                double g = y[i] * (x.Dot(Row(i), w) + b) - 1 + alpha[i] * diag[i];
                double pg = 0;
                if (alpha[i] == 0)
                {
                    if (g > pgMaxOld)
                    {
                        // Shrinking: this row sits at its bound and is likely to stay there; drop it for now.
                        active--;
                        (order[s], order[active]) = (order[active], order[s]);
                        s--;
                        continue;
                    }
                    if (g < 0) pg = g;
                }
                else pg = g;
                pgMax = Math.Max(pgMax, pg);
                pgMin = Math.Min(pgMin, pg);
                if (Math.Abs(pg) > 1e-12)
                {
                    var old = alpha[i];
                    alpha[i] = Math.Max(old - g / qd[i], 0);
                    var d = (alpha[i] - old) * y[i];
                    x.AddTo(Row(i), w, (float)d);
                    b += d;
                }
            }
            if (pgMax - pgMin <= o.Tolerance)
            {
                if (active == n) break;
                // Converged on the shrunk set: check every row once more before stopping.
                active = n;
                pgMaxOld = double.PositiveInfinity;
                pgMinOld = double.NegativeInfinity;
                continue;
            }
            pgMaxOld = pgMax <= 0 ? double.PositiveInfinity : pgMax;
            pgMinOld = pgMin >= 0 ? double.NegativeInfinity : pgMin;
        }
        return (w, (float)b);
    }
}
