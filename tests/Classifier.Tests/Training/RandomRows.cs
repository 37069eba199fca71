using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>Random sparse rows for the solver tests: each column present with probability 0.3, its value uniform in [0, 1).</summary>
internal static class RandomRows
{
    public static SparseVector Draw(Random random, int columns)
    {
        var idx = Enumerable.Range(0, columns).Where(_ => random.NextDouble() < 0.3).ToArray();
        return new SparseVector(idx, idx.Select(_ => (float)random.NextDouble()).ToArray());
    }

    /// <summary>Random sparse rows whose label is the sign of a hidden linear rule, with a share <paramref name="flipped"/> of the labels flipped.</summary>
    public static (SparseMatrix X, bool[] Y) BinaryProblem(int rows, int columns, int seed, double flipped)
    {
        var random = new Random(seed);
        var hidden = Enumerable.Range(0, columns).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var vectors = new List<SparseVector>();
        var y = new bool[rows];
        for (int i = 0; i < rows; i++)
        {
            var row = Draw(random, columns);
            vectors.Add(row);
            y[i] = (Score(row, hidden) > 0) ^ (random.NextDouble() < flipped);
        }
        return (new SparseMatrix(vectors, columns), y);
    }

    /// <summary>A row's score under a hidden linear rule.</summary>
    public static double Score(SparseVector row, double[] hidden) => row.Indices.Select((j, p) => hidden[j] * row.Values[p]).Sum();
}
