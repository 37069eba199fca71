using Classifier.Core.Features;

namespace Classifier.Tests.Training;

/// <summary>Random sparse rows for the solver tests: each column present with probability 0.3, its value uniform in [0, 1).</summary>
internal static class RandomRows
{
    public static SparseVector Draw(Random random, int columns)
    {
        var idx = Enumerable.Range(0, columns).Where(_ => random.NextDouble() < 0.3).ToArray();
        return new SparseVector(idx, idx.Select(_ => (float)random.NextDouble()).ToArray());
    }

    /// <summary>A row's score under a hidden linear rule.</summary>
    public static double Score(SparseVector row, double[] hidden) => row.Indices.Select((j, p) => hidden[j] * row.Values[p]).Sum();
}
