namespace Classifier.Core.Training;

/// <summary>
/// The final solve's dual solution of the last model trained on one set of rows (a fold of `tune`), to start the next
/// one's final solve from. Trials of a search differ a little (C, a weight, the n-grams): the last solution is near the
/// next one's optimum, so the solve converges in fewer passes. Every dual point with α ≥ 0 is feasible for the L2-loss
/// SVM, so a start from other settings is always valid; it changes how fast the solver gets there, and the solution
/// only within the solver's tolerance. The calibration solve is not warm-started: it stops at a loose tolerance and
/// picks the features the model keeps, so a start from elsewhere would change which it keeps, and a trial's score would
/// depend on the trials before it (seen: up to 0.0009 of accuracy on 20 Newsgroups). Used by `tune` only: `train` and
/// `cross-validate` start from zero.
/// </summary>
internal sealed class SvmWarmStart
{
    /// <summary>Per class, the final solve's α over all the rows.</summary>
    public double[][]? Final { get; set; }

    /// <summary>Copies <paramref name="from"/> into <paramref name="into"/> when their shapes agree; returns whether they did.</summary>
    public static bool Fill(double[][]? from, double[][] into)
    {
        if (from is null || from.Length != into.Length || from.Any(a => a.Length != into[0].Length)) return false;
        for (int c = 0; c < into.Length; c++) from[c].CopyTo(into[c], 0);
        return true;
    }
}
