namespace Classifier.Core.Models;

/// <summary>
/// Labels by falling score, ties in model order. Written out rather than with LINQ's OrderByDescending: over value
/// tuples that needed about 10 ms of compiling in each new process, a twentieth of a whole `predict`.
/// </summary>
public static class Ranking
{
    /// <summary>The label indices, most probable first; NaN ranks last, as <see cref="float.CompareTo(float)"/> puts it.</summary>
    public static int[] ByFallingScore(ReadOnlySpan<float> scores)
    {
        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (order.Length <= 64)
        {
            // Insertion sort, stable: a few labels, and no comparer to compile.
            for (int i = 1; i < order.Length; i++)
            {
                var x = order[i];
                var s = scores[x];
                var j = i - 1;
                for (; j >= 0 && scores[order[j]].CompareTo(s) < 0; j--) order[j + 1] = order[j];
                order[j + 1] = x;
            }
            return order;
        }
        var copy = scores.ToArray();
        Array.Sort(order, (a, b) => copy[b].CompareTo(copy[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order;
    }
}
