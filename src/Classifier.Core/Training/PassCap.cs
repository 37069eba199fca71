namespace Classifier.Core.Training;

/// <summary>
/// Counts the problems of one solve that its pass cap (<c>--iterations</c>) ended before either stopping test was met,
/// and says so once the solve is over. Their weights are usable but short of the optimum: scikit-learn warns of the
/// same with a ConvergenceWarning when LinearSVC runs out of iterations. The warning names the solve but no count, so
/// that a command that solves many times (cross-validation, tune) says it once (see the CLI's diagnostics).
/// </summary>
internal sealed class PassCap
{
    private int _count;

    /// <summary>How many problems the cap ended so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The solver's settings, telling this counter of each problem the cap ends.</summary>
    public DualCoordinateSvm.Options Counting(DualCoordinateSvm.Options o) => o with { OnCap = _ => Interlocked.Increment(ref _count) };

    /// <summary>The warning for <paramref name="stage"/> (a solve's progress stage, such as "svm: final solve, classes done"), if the cap ended any problem.</summary>
    /// <param name="what">What the problems are to the user: "classes", or a multi-label model's "labels".</param>
    public void Report(IProgress<ProgressUpdate>? progress, string stage, int maxIterations, string what)
    {
        if (Count == 0) return;
        // The stage's name without its count ("svm: final solve"), so that every fold of a cross-validation says the same.
        var comma = stage.IndexOf(',');
        var solve = comma < 0 ? stage : stage[..comma];
        progress?.Report(new ProgressUpdate(
            $"{solve}: some {what} reached the cap of {maxIterations} pass{(maxIterations == 1 ? "" : "es")} before converging; their weights are near the optimum, not at it (--iterations raises the cap)",
            Warning: true));
    }
}
