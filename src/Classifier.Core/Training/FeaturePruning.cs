using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>
/// Keeps the features that matter: those whose weights, taken over all classes, have the largest L2 norm (fastText's
/// -cutoff ranks its rows the same way). The caller then fits the weights again on the kept features alone, so the
/// model stays consistent with vectors normalised over what it keeps.
/// </summary>
internal static class FeaturePruning
{
    /// <summary>True when a budget applies: it is set and the vocabulary is larger.</summary>
    public static bool Applies(int budget, int dimension) => budget > 0 && dimension > budget;

    /// <summary>The ids, increasing, of the <paramref name="budget"/> features with the largest weight norm; ties go to the lower id.</summary>
    public static int[] Select(IReadOnlyList<float[]> weightsByClass, int dimension, int budget)
    {
        var norm = new double[dimension];
        foreach (var w in weightsByClass)
            for (int f = 0; f < dimension; f++) norm[f] += (double)w[f] * w[f];
        var ids = Enumerable.Range(0, dimension).ToArray();
        Array.Sort(ids, (a, b) => norm[a] != norm[b] ? norm[b].CompareTo(norm[a]) : a.CompareTo(b));
        var keep = ids.AsSpan(0, Math.Min(budget, dimension)).ToArray();
        Array.Sort(keep);
        return keep;
    }

    /// <summary>The store restricted in place to the kept features, each row normalised again (see <see cref="TextFeaturizer.Restrict"/>).</summary>
    public static void Restrict(SparseMatrix x, TextFeaturizer full, int[] keep, int threads, CancellationToken cancel) =>
        x.Restrict(NewIds(keep, full.Dimension), full.Blocks.Restricted(keep), keep.Length, threads, cancel);

    /// <summary>The weights of the kept features, class-major.</summary>
    public static float[][] Restrict(IReadOnlyList<float[]> weightsByClass, int[] keep) =>
        weightsByClass.Select(w => keep.Select(f => w[f]).ToArray()).ToArray();

    private static int[] NewIds(int[] keep, int dimension)
    {
        var newId = new int[dimension];
        Array.Fill(newId, -1);
        for (int i = 0; i < keep.Length; i++) newId[keep[i]] = i;
        return newId;
    }
}
