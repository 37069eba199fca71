namespace Classifier.Core.Training;

/// <summary>How much a margin violation costs per class, for the svm trainer.</summary>
public enum ClassWeighting
{
    /// <summary>Every document costs the same.</summary>
    None,
    /// <summary>
    /// A document of class k costs n / (K · n_k), scikit-learn's "balanced": each class weighs as much in total, so a
    /// class with few documents is not given up to win the many.
    /// </summary>
    Balanced,
}

public static class ClassWeightings
{
    public static string Name(this ClassWeighting w) => w switch { ClassWeighting.Balanced => "balanced", _ => "none" };

    public static ClassWeighting Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "none" => ClassWeighting.None,
        "balanced" => ClassWeighting.Balanced,
        _ => throw new InputException($"--class-weight takes none or balanced, not '{value}'"),
    };

    /// <summary>The cost multiplier of each class for labels <paramref name="y"/>: all 1 for none; n / (K · n_k) for balanced, over the classes present.</summary>
    public static double[] Of(this ClassWeighting w, IReadOnlyList<int> y, int classes)
    {
        var weights = new double[classes];
        Array.Fill(weights, 1.0);
        if (w == ClassWeighting.None || y.Count == 0) return weights;
        var counts = new int[classes];
        foreach (var label in y) counts[label]++;
        var present = counts.Count(c => c > 0);
        for (int k = 0; k < classes; k++)
            if (counts[k] > 0) weights[k] = (double)y.Count / (present * counts[k]);
        return weights;
    }
}
