namespace Classifier.Core.Training;

/// <summary>
/// The dual objective that coordinate descent lowers, f(α) = ½‖(w, b)‖² + Σᵢ (½ Dᵢᵢ αᵢ² − αᵢ) with (w, b) = Σᵢ αᵢ yᵢ (xᵢ, 1),
/// and the second stopping rule that the class-at-a-time solver (<see cref="DualCoordinateSvm"/>: packed and spilled
/// stores, so large corpora, and any problem <see cref="LockstepSvm.Applies"/> refuses, such as a single label) adds to
/// LIBLINEAR's (the projected gradient's spread within the tolerance): a pass that lowers f by less than
/// <see cref="StallFraction"/> of its size has stalled.
/// </summary>
/// <remarks>
/// Why a second rule: LIBLINEAR's test asks every row's projected gradient to lie within a fixed spread (0.1), and the
/// more rows there are, the more likely a few of them stay just outside it. On 849,055 documents (1 GB of synthetic
/// news) the final solve's spread stopped falling, at 0.10 to 0.15, from about pass 13 in half of the 20 classes, which
/// then ran to the cap of 100 passes, each pass lowering f by a steady 3 millionths of its size: the last 83 passes took
/// f 0.025 % lower, and the final solve 22 times the row visits of 100 MB's for 10 times the rows. At 100 MB the spread
/// test comes first (every pass before it lowers f by 5 × 10⁻⁵ of its size or more), so its model is the same bits with
/// the rule as without it (see docs/benchmarks.md). The fraction is glmnet's for the same question (its fdev, 1e-5: the
/// smallest fractional change in deviance worth another step).
/// </remarks>
internal static class DualObjective
{
    /// <summary>A pass that lowers the dual objective by less than this fraction of its size has stalled.</summary>
    public const double StallFraction = 1e-5;

    /// <summary>
    /// How much a step of <paramref name="step"/> on one dual variable changes f, exactly but for the rounding of the
    /// single-precision weights the gradient is read from (f is quadratic): the gradient
    /// <paramref name="gradient"/> at the old value times the step, plus half its Q̄ᵢᵢ <paramref name="qd"/> times the step squared.
    /// </summary>
    public static double Change(double gradient, double step, double qd) => step * (gradient + 0.5 * qd * step);

    /// <summary>Whether a pass that changed f by <paramref name="passChange"/> (≤ 0), leaving it at <paramref name="objective"/>, has stalled.</summary>
    public static bool Stalled(double passChange, double objective, double fraction) =>
        fraction > 0 && -passChange < fraction * Math.Abs(objective);

    /// <summary>½(‖w‖² + b²): the weights' part of f.</summary>
    public static double OfWeights(ReadOnlySpan<float> w, double b)
    {
        double sum = b * b;
        foreach (var v in w) sum += (double)v * v;
        return 0.5 * sum;
    }

    /// <summary>A row's own part of f, from its dual variable and diagonal term: ½ Dᵢᵢ αᵢ² − αᵢ.</summary>
    public static double OfRow(double alpha, double diag) => alpha == 0 ? 0 : alpha * (0.5 * diag * alpha - 1);
}
