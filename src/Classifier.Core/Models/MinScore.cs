namespace Classifier.Core.Models;

/// <summary>
/// `--min-score P` on predict and score: a document whose most probable label has a probability below P is labelled
/// <see cref="Unknown"/> instead, for topics and regions alike (for a multi-label model, its label set is). The
/// probabilities themselves are reported unchanged, so a pipeline can still see how close the call was.
/// </summary>
public static class MinScore
{
    public const string Unknown = "unknown";

    /// <summary>Checks a --min-score value: a probability, or null for none.</summary>
    public static void Validate(double? min)
    {
        if (min is { } m && !(m is >= 0 and <= 1)) throw new InputException($"--min-score must be a probability between 0 and 1, not {m.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    /// <summary>Whether the top probability of <paramref name="probabilities"/> falls below <paramref name="min"/> (never, for null).</summary>
    public static bool IsBelow(ReadOnlySpan<float> probabilities, double? min)
    {
        if (min is not { } m) return false;
        float top = float.NegativeInfinity;
        foreach (var p in probabilities) top = Math.Max(top, p);
        return top < m;
    }

    /// <summary>A warning when a model has a label spelled like the unknown label, so that the two would read alike; else null.</summary>
    public static string? Clash(IReadOnlyList<string> labels, double? min) =>
        min is not null && labels.Contains(Unknown, StringComparer.Ordinal)
            ? $"the model has a label '{Unknown}' of its own: with --min-score it is not told apart from a score below the minimum"
            : null;
}
