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

    /// <summary>As above, from each feature's squared norm over the classes.</summary>
    public static int[] Select(double[] norm, int budget)
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
    /// The <paramref name="k"/>-th largest of <paramref name="values"/>, as <c>sorted[n - k]</c> of an ascending sort gives
    /// it. Doubles map to integers that order as they do (a negative's bits flipped, a positive's sign bit set), so a count
    /// of those keys' top 16 bits finds the range that holds it, and only that range is sorted: two passes over 1.4
    /// million norms instead of a sort of them all (about 0.1 s a fit). A NaN (which a sort puts first, and the keys
    /// would put last) takes the sort of them all.
    /// </summary>
    internal static double KthLargest(double[] values, int k)
    {
        if (k < 1 || k > values.Length) throw new ArgumentOutOfRangeException(nameof(k));
        var counts = new int[1 << 16];
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                var sorted = (double[])values.Clone();
                Array.Sort(sorted);
                return sorted[values.Length - k];
            }
            counts[Range(v)]++;
        }
        int range = counts.Length - 1, larger = 0;
        while (larger + counts[range] < k) larger += counts[range--];
        var within = new double[counts[range]];
        var n = 0;
        foreach (var v in values)
            if (Range(v) == range) within[n++] = v;
        Array.Sort(within);
        return within[within.Length - (k - larger)];
    }

    /// <summary>The top 16 bits of a key that orders as the doubles do (−0 just below +0, which compare equal anyway).</summary>
    private static int Range(double v)
    {
        var bits = BitConverter.DoubleToUInt64Bits(v);
        var key = (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
        return (int)(key >> 48);
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
