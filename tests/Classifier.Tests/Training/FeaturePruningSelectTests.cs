using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>The features kept under a budget: the largest weight norms over all classes, ties to the lower id.</summary>
public sealed class FeaturePruningSelectTests
{
    /// <summary>The rule written the slow, obvious way: sort ids by falling norm, then by id, and take the first.</summary>
    private static int[] Reference(float[][] w, int budget)
    {
        var d = w[0].Length;
        var norm = Enumerable.Range(0, d).Select(f => w.Sum(c => (double)c[f] * c[f])).ToArray();
        return Enumerable.Range(0, d).OrderByDescending(f => norm[f]).ThenBy(f => f).Take(budget).Order().ToArray();
    }

    [Fact]
    public void WorkedByHand_TiesGoToTheLowerId()
    {
        // Norms: f0 1, f1 4, f2 1, f3 0, f4 4 (two classes). Budget 3: f1 and f4, then the lower of the tied f0 and f2.
        float[][] w = [[1, 2, 0, 0, 0], [0, 0, 1, 0, 2]];
        Assert.Equal([0, 1, 4], FeaturePruning.Select(w, 5, 3));
        Assert.Equal([1, 4], FeaturePruning.Select(w, 5, 2));
        Assert.Equal([0, 1, 2, 3, 4], FeaturePruning.Select(w, 5, 9));
    }

    [Fact]
    public void KthLargest_IsWhatASortGives_OverWideRangesAndTies()
    {
        // Worked by hand: 0, 0.5, 2, 2, 7; the 1st largest is 7, the 2nd and 3rd 2, the 5th 0.
        double[] v = [2, 0, 7, 0.5, 2];
        Assert.Equal([7.0, 2, 2, 0.5, 0], Enumerable.Range(1, 5).Select(k => FeaturePruning.KthLargest(v, k)));
        var random = new Random(11);
        for (int round = 0; round < 200; round++)
        {
            var n = random.Next(1, 3000);
            // Norms across many octaves (so many ranges of the count), with repeats and zeros.
            var values = Enumerable.Range(0, n).Select(_ => random.Next(5) == 0 ? 0.0 : Math.Round(Math.Pow(10, random.NextDouble() * 12 - 8), random.Next(1, 4) * 3)).ToArray();
            // Now and then the values a sort orders by rule rather than by size: negatives, −0, infinities, NaN.
            if (round % 4 == 0) values[random.Next(n)] = new[] { -0.0, -3.5, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon }[random.Next(6)];
            var k = random.Next(1, n + 1);
            var sorted = values.Order().ToArray();
            Assert.Equal(sorted[n - k], FeaturePruning.KthLargest(values, k));
        }
    }

    [Fact]
    public void Random_WithManyTies_MatchesTheReference()
    {
        var random = new Random(7);
        for (int round = 0; round < 50; round++)
        {
            var d = random.Next(1, 400);
            // Values from a small set, so that equal norms are common, at the cut too.
            float[][] w = [.. Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, d).Select(_ => (float)random.Next(-2, 3)).ToArray())];
            var budget = random.Next(1, d + 1);
            Assert.Equal(Reference(w, budget), FeaturePruning.Select(w, d, budget));
        }
    }

    [Fact]
    public void HalfPrecisionWeights_KeepWhatTheirSingleValuesKeep_AndRestrictBackToSingle()
    {
        // Small integers and halves are exact in half precision, so both ranks must agree, ties and all.
        var random = new Random(11);
        for (int round = 0; round < 30; round++)
        {
            var d = random.Next(1, 300);
            float[][] w = [.. Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, d).Select(_ => random.Next(-4, 5) * 0.5f).ToArray())];
            Half[][] h = [.. w.Select(c => c.Select(v => (Half)v).ToArray())];
            var budget = random.Next(1, d + 1);
            var keep = FeaturePruning.Select(h, d, budget);
            Assert.Equal(FeaturePruning.Select(w, d, budget), keep);
            Assert.Equal(FeaturePruning.Restrict(w, keep), FeaturePruning.Restrict(h, keep));
        }
        // Worked by hand: norms f0 2.25 + 0.0625, f1 4, f2 0.25; budget 2 keeps f0 and f1.
        Half[][] hand = [[(Half)1.5f, (Half)2f, (Half)0.5f], [(Half)0.25f, (Half)0f, (Half)0f]];
        Assert.Equal([0, 1], FeaturePruning.Select(hand, 3, 2));
        Assert.Equal([[1.5f, 2f], [0.25f, 0f]], FeaturePruning.Restrict(hand, [0, 1]));
    }
}
