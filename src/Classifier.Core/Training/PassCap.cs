namespace Classifier.Core.Training;

/// <summary>
/// Counts the problems of one solve that its pass cap (<c>--iterations</c>) ended before either stopping test was met,
/// and says so once the solve is over. Their weights may be short of the optimum: scikit-learn warns of the same with a
/// ConvergenceWarning when LinearSVC runs out of iterations. The warning names the solve but no count, so that a command
/// that solves many times (cross-validation, tune) says it once a solve (see the CLI's diagnostics).
/// </summary>
internal sealed class PassCap
{
    private int _count;

    /// <summary>How many problems the cap ended so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The solver's settings, telling this counter of each problem the cap ends.</summary>
    public DualCoordinateSvm.Options Counting(DualCoordinateSvm.Options o) => o with { OnCap = _ => Interlocked.Increment(ref _count) };

    /// <summary>A solve's name from its progress stage: the stage without what it counts ("svm: final solve, classes done" → "svm: final solve").</summary>
    public static string SolveOf(string stage)
    {
        var comma = stage.IndexOf(',');
        return comma < 0 ? stage : stage[..comma];
    }

    /// <summary>The warning for <paramref name="solve"/> (see <see cref="SolveOf"/>), if the cap ended any problem.</summary>
    /// <param name="solve">The solve's name, the same in every fold of a command, so that the CLI says it once.</param>
    /// <param name="what">What the problems are to the user: "classes", or a multi-label model's "labels".</param>
    public void Report(IProgress<ProgressUpdate>? progress, string solve, int maxIterations, string what)
    {
        if (Count == 0) return;
        progress?.Report(new ProgressUpdate(
            $"{solve}: one or more {what} reached the cap of {maxIterations} pass{(maxIterations == 1 ? "" : "es")} before converging; their weights may be short of the optimum (--iterations raises the cap)",
            Warning: true));
    }
}
