namespace Classifier.Core.Training;

/// <summary>
/// The dual solutions of the last model trained on one set of rows (a fold of `tune`), to start the next one from.
/// Trials of a search differ a little (C, a weight, the n-grams): the last solution is near the next one's optimum, so
/// the solves converge in fewer passes. Every dual point with α ≥ 0 is feasible for the L2-loss SVM, so a start from
/// other settings is always valid; it changes how fast the solver gets there, and the solution only within its
/// tolerance. Used by `tune` only: `train` and `cross-validate` start from zero, so that the model `tune` prints the
/// command for is the one `train` makes.
/// </summary>
internal sealed class SvmWarmStart
{
    /// <summary>Per class, the calibration solve's α over its fitting rows.</summary>
    public double[][]? Calibration { get; set; }

    /// <summary>Per class, the final solve's α over all the rows.</summary>
    public double[][]? Final { get; set; }

    /// <summary>Copies <paramref name="from"/> into <paramref name="into"/> when their shapes agree; returns whether they did.</summary>
    public static bool Fill(double[][]? from, double[][] into)
    {
        if (from is null || from.Length != into.Length || from.Any(a => a.Length != into[0].Length)) return false;
        for (int c = 0; c < into.Length; c++) from[c].CopyTo(into[c], 0);
        return true;
    }

    public static double[][] Copy(double[][] alpha) => alpha.Select(a => (double[])a.Clone()).ToArray();
}
