using System.Globalization;
using Classifier.Core.Evaluation;

namespace Classifier.Cli.Output;

/// <summary>
/// What metrics.md and report.html show above <see cref="MaxMatrixClasses"/> classes. The confusion matrix grows with
/// the square of the classes (at 1,000 classes it made report.html 220 MB and metrics.md 4 MB, and nobody reads a
/// million cells), and the top-terms cards by about 6 KB a class; so the reports list the largest confusions instead
/// of the matrix, and top terms for the weakest classes only. The per-class table keeps every class (it sorts), and
/// metrics.json keeps the whole matrix.
/// </summary>
public static class ManyClasses
{
    /// <summary>Up to this many classes the reports show the whole matrix (50 still fits the heat map on a wide screen).</summary>
    public const int MaxMatrixClasses = 50;

    /// <summary>Above <see cref="MaxMatrixClasses"/>: how many confusions, and how many classes' top terms, the reports list.</summary>
    public const int Listed = 50;

    public static bool Apply(MulticlassMetrics m) => m.Labels.Count > MaxMatrixClasses;

    public static IReadOnlyList<Confusion> TopConfusions(MulticlassMetrics m) => Confusion.Largest(m, Listed);

    /// <summary>The line above the confusions.</summary>
    public static string ConfusionsNote(MulticlassMetrics m, int listed) =>
        $"{Count(m)} classes are too many for the confusion matrix (shown up to {MaxMatrixClasses} classes): " +
        (listed == 0
            ? "no document got a wrong label."
            : $"{(listed < Listed ? $"all {listed}" : $"the {listed} largest")} confusions, most documents first. The whole matrix is in metrics.json.");

    /// <summary>
    /// The order in which classes get top terms, the first <see cref="Listed"/> the model has weights for: lowest F1
    /// first, then the larger class, then by label.
    /// </summary>
    public static IReadOnlyList<string> ByWeakness(MulticlassMetrics m) =>
        m.PerClass.OrderBy(c => c.F1).ThenByDescending(c => c.Support).ThenBy(c => c.Label, StringComparer.Ordinal).Select(c => c.Label).ToList();

    public static string TopTermsNote(MulticlassMetrics m) =>
        $"With {Count(m)} classes, only the {Listed} with the lowest F1 (the larger class first on a tie); 'classifier explain --classes' lists them all.";

    private static string Count(MulticlassMetrics m) => m.Labels.Count.ToString("N0", CultureInfo.InvariantCulture);
}
