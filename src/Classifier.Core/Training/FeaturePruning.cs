using System.Numerics;
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

    /// <summary>
    /// The ids, increasing, of the <paramref name="budget"/> features with the largest weight norm; ties go to the lower id.
    /// The weights are single precision, or half (a packed store's calibration solve).
    /// </summary>
    public static int[] Select<T>(IReadOnlyList<T[]> weightsByClass, int dimension, int budget) where T : struct, INumberBase<T>
    {
        var norm = new double[dimension];
        foreach (var w in weightsByClass)
            for (int f = 0; f < dimension; f++)
            {
                var v = double.CreateTruncating(w[f]);
                norm[f] += v * v;
            }
        return Select(norm, budget);
    }

    private static int[] Select(double[] norm, int budget)
    {
        var dimension = norm.Length;
        if (budget >= dimension) return Enumerable.Range(0, dimension).ToArray();
        // The budget-th largest norm; then every feature above it, and the lowest ids of those equal to it.
        var threshold = KthLargest(norm, budget);
        var above = 0;
        foreach (var v in norm) if (v > threshold) above++;
        var ties = budget - above;
        var keep = new int[budget];
        var k = 0;
        for (int f = 0; f < dimension; f++)
        {
            if (norm[f] > threshold) keep[k++] = f;
            else if (norm[f] == threshold && ties > 0)
            {
                keep[k++] = f;
                ties--;
            }
        }
        return keep;
    }

    /// <summary>
    /// The <paramref name="k"/>-th largest of <paramref name="values"/> (none negative or NaN), as a sort would give it.
    /// Non-negative doubles order as their bits do, so a count of the top 16 bits finds the range that holds it, and only
    /// that range is sorted: two passes over 1.4 million norms instead of a sort of them all (about 0.1 s, once per fit).
    /// </summary>
    internal static double KthLargest(double[] values, int k)
    {
        if (k < 1 || k > values.Length) throw new ArgumentOutOfRangeException(nameof(k));
        var counts = new int[1 << 16];
        foreach (var v in values) counts[(int)(BitConverter.DoubleToUInt64Bits(v) >> 48)]++;
        int bucket = counts.Length - 1, larger = 0;
        while (larger + counts[bucket] < k) larger += counts[bucket--];
        var range = new double[counts[bucket]];
        var n = 0;
        foreach (var v in values)
            if ((int)(BitConverter.DoubleToUInt64Bits(v) >> 48) == bucket) range[n++] = v;
        Array.Sort(range);
        return range[range.Length - (k - larger)];
    }

    /// <summary>The store restricted in place to the kept features, each row normalised again (see <see cref="TextFeaturizer.Restrict"/>).</summary>
    public static void Restrict(SparseMatrix x, TextFeaturizer full, int[] keep, int threads, CancellationToken cancel) =>
        x.Restrict(NewIds(keep, full.Dimension), full.Blocks.Restricted(keep), keep.Length, threads, cancel);

    /// <summary>The weights of the kept features, class-major, in single precision.</summary>
    public static float[][] Restrict<T>(IReadOnlyList<T[]> weightsByClass, int[] keep) where T : struct, INumberBase<T> =>
        weightsByClass.Select(w => keep.Select(f => float.CreateTruncating(w[f])).ToArray()).ToArray();

    private static int[] NewIds(int[] keep, int dimension)
    {
        var newId = new int[dimension];
        Array.Fill(newId, -1);
        for (int i = 0; i < keep.Length; i++) newId[keep[i]] = i;
        return newId;
    }
}
