using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>The solvers' dot product: eight weights fetched at once by their ids, against the one-at-a-time loop.</summary>
public sealed class GatherDotTests
{
    [Fact]
    public void BothWays_GiveTheSumWorkedByHand_WithAndWithoutATail()
    {
        // 19 entries: one step of sixteen, then three one by one. Entry p has id 3p (so ids skip weights) and value p + 1;
        // weight 3p is p % 4 - 1 (-1, 0, 1, 2 in turn). Σ (p + 1)(p % 4 - 1) over p = 0..18:
        // p % 4 = 0: -(1 + 5 + 9 + 13 + 17) = -45; p % 4 = 1: 0; p % 4 = 2: 3 + 7 + 11 + 15 + 19 = 55; p % 4 = 3: 2(4 + 8 + 12 + 16) = 80.
        var ids = Enumerable.Range(0, 19).Select(p => 3 * p).ToArray();
        var values = Enumerable.Range(0, 19).Select(p => (ushort)(p + 1)).ToArray();
        var w = new float[60];
        for (int p = 0; p < 19; p++) w[3 * p] = p % 4 - 1;
        Assert.Equal(90.0, GatherDot.Scalar(ids, values, w));
        if (GatherDot.Gathers) Assert.Equal(90.0, GatherDot.Gathered(ids, values, w));
        Assert.Equal(90.0, GatherDot.Dot(ids, values, w));
        // Shorter than one step: only the tail.
        Assert.Equal(-1.0 + 0 + 3, GatherDot.Dot(ids.AsSpan(0, 3), values.AsSpan(0, 3), w));
        Assert.Equal(0.0, GatherDot.Dot([], [], w));
    }

    [Fact]
    public void Gathered_AgreesWithTheScalarLoop_OnRowsOfThousandsOfEntries()
    {
        if (!GatherDot.Gathers) return; // nothing to compare on a machine without AVX2
        var random = new Random(7);
        var w = Enumerable.Range(0, 200_000).Select(_ => (float)(random.NextDouble() * 2 - 1) * 1e-3f).ToArray();
        foreach (var n in new[] { 1, 15, 16, 17, 31, 33, 2000, 4099 })
        {
            var ids = Enumerable.Range(0, n).Select(_ => random.Next(w.Length)).Order().ToArray();
            var values = Enumerable.Range(0, n).Select(_ => (ushort)random.Next(ushort.MaxValue + 1)).ToArray();
            var scalar = GatherDot.Scalar(ids, values, w);
            var gathered = GatherDot.Gathered(ids, values, w);
            // Single precision over thousands of terms: within a relative 1e-5 of the sum of magnitudes.
            var magnitude = ids.Select((id, p) => Math.Abs(values[p] * (double)w[id])).Sum();
            Assert.True(Math.Abs(scalar - gathered) <= 1e-5 * magnitude, $"{n} entries: {scalar} against {gathered}");
        }
    }

    [Fact]
    public void Gathered_RejectsValuesThatDoNotMatchTheIds()
    {
        if (!GatherDot.Gathers) return;
        Assert.Throws<ArgumentException>(() => GatherDot.Gathered([1, 2], [1], new float[4]));
    }
}
