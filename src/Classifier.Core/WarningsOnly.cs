namespace Classifier.Core;

/// <summary>
/// Passes on a progress sink's warnings alone, each prefixed with where it came from: a fold of cross-validation or
/// tune trains quietly (its stages would bury the folds' own lines), but what the user should know of it, such as a
/// solve the pass cap ended, still reaches them, told apart from the same warning about the model a command saves.
/// </summary>
internal sealed class WarningsOnly(IProgress<ProgressUpdate> inner, string? context) : IProgress<ProgressUpdate>
{
    /// <param name="context">Where the warnings come from, such as "cross-validation folds"; null: no prefix.</param>
    public static IProgress<ProgressUpdate>? Of(IProgress<ProgressUpdate>? progress, string? context) =>
        progress is null ? null : new WarningsOnly(progress, context);

    public void Report(ProgressUpdate value)
    {
        if (value.Warning) inner.Report(context is null ? value : value with { Stage = $"{context}: {value.Stage}" });
    }
}
