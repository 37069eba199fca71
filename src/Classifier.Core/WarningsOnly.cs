namespace Classifier.Core;

/// <summary>
/// Passes on a progress sink's warnings alone: a fold of cross-validation or tune trains quietly (its stages would bury
/// the folds' own lines), but what the user should know of it, such as a solve the pass cap ended, still reaches them.
/// </summary>
internal sealed class WarningsOnly(IProgress<ProgressUpdate> inner) : IProgress<ProgressUpdate>
{
    public static IProgress<ProgressUpdate>? Of(IProgress<ProgressUpdate>? progress) => progress is null ? null : new WarningsOnly(progress);

    public void Report(ProgressUpdate value)
    {
        if (value.Warning) inner.Report(value);
    }
}
