using Classifier.Core;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

public sealed class SplitsTests
{
    /// <summary>50 a, 30 b, 20 c, 3 d, interleaved so that classes are not in blocks.</summary>
    private static List<string> Labels()
    {
        var counts = new Dictionary<string, int> { ["a"] = 50, ["b"] = 30, ["c"] = 20, ["d"] = 3 };
        var labels = new List<string>();
        while (counts.Values.Any(v => v > 0))
            foreach (var key in counts.Keys.ToList())
                if (counts[key] > 0) { labels.Add(key); counts[key]--; }
        return labels;
    }

    private static Dictionary<string, int> CountBy(IEnumerable<int> rows, IReadOnlyList<string> labels) =>
        rows.GroupBy(r => labels[r]).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void Holdout_IsStratified_EachClassKeepsItsShare()
    {
        var labels = Labels();
        var (train, test) = Splits.Holdout(labels, 0.2, seed: 1);
        var testCounts = CountBy(test, labels);
        var trainCounts = CountBy(train, labels);
        // round(n * 0.2): 50 -> 10, 30 -> 6, 20 -> 4, 3 -> round(0.6) = 1
        Assert.Equal(10, testCounts["a"]);
        Assert.Equal(6, testCounts["b"]);
        Assert.Equal(4, testCounts["c"]);
        Assert.Equal(1, testCounts["d"]);
        Assert.Equal(40, trainCounts["a"]);
        Assert.Equal(24, trainCounts["b"]);
        Assert.Equal(16, trainCounts["c"]);
        Assert.Equal(2, trainCounts["d"]);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.99)]
    public void Holdout_AlwaysLeavesAtLeastOneOfEachClassInEachPart(double fraction)
    {
        var labels = Labels();
        var (train, test) = Splits.Holdout(labels, fraction, seed: 3);
        var testCounts = CountBy(test, labels);
        var trainCounts = CountBy(train, labels);
        foreach (var label in new[] { "a", "b", "c", "d" })
        {
            Assert.True(testCounts.GetValueOrDefault(label) >= 1, $"no '{label}' in the test part");
            Assert.True(trainCounts.GetValueOrDefault(label) >= 1, $"no '{label}' in the training part");
        }
        // A class of 2 splits one and one whatever the fraction.
        var (train2, test2) = Splits.Holdout(["x", "x", "y", "y", "y"], fraction, seed: 3);
        Assert.Single(test2, r => r < 2);
        Assert.Single(train2, r => r < 2);
    }

    [Fact]
    public void Holdout_IsDisjointAndCoversEveryRow_InSortedOrder()
    {
        var labels = Labels();
        var (train, test) = Splits.Holdout(labels, 0.25, seed: 7);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(Enumerable.Range(0, labels.Count), train.Concat(test).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal(test.Order(), test);
    }

    [Fact]
    public void Holdout_IsDeterministicForASeed_AndDiffersAcrossSeeds()
    {
        var labels = Labels();
        var first = Splits.Holdout(labels, 0.2, seed: 42);
        var again = Splits.Holdout(labels, 0.2, seed: 42);
        Assert.Equal(first.Test, again.Test);
        Assert.Equal(first.Train, again.Train);

        var other = Splits.Holdout(labels, 0.2, seed: 43);
        Assert.NotEqual(first.Test, other.Test);
        // Still the same per-class shares.
        Assert.Equal(CountBy(first.Test, labels).OrderBy(p => p.Key), CountBy(other.Test, labels).OrderBy(p => p.Key));
    }

    [Fact]
    public void Holdout_ClassWithOneExample_ThrowsInputExceptionNamingIt()
    {
        var labels = new List<string> { "a", "a", "a", "b", "b", "lonely" };
        var e = Assert.Throws<InputException>(() => Splits.Holdout(labels, 0.2, seed: 1));
        Assert.Contains("'lonely'", e.Message);
        Assert.Contains("only 1 example", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Holdout_FractionOutsideOpenUnitInterval_Throws(double fraction) =>
        Assert.Throws<InputException>(() => Splits.Holdout(Labels(), fraction, seed: 1));

    [Fact]
    public void Folds_EveryRowInExactlyOneFold_InRange()
    {
        var labels = Labels();
        var folds = Splits.Folds(labels, 5, seed: 1);
        Assert.Equal(labels.Count, folds.Length);
        Assert.All(folds, f => Assert.InRange(f, 0, 4));
        // Fold sizes: 103 rows over 5 folds -> 21, 21, 21, 20, 20 (any order).
        var sizes = folds.GroupBy(f => f).Select(g => g.Count()).Order().ToArray();
        Assert.Equal([20, 20, 21, 21, 21], sizes);
    }

    [Fact]
    public void Folds_SpreadEachClassEvenlyAcrossFolds()
    {
        var labels = Labels();
        var folds = Splits.Folds(labels, 5, seed: 1);
        foreach (var (label, total) in new[] { ("a", 50), ("b", 30), ("c", 20), ("d", 3) })
        {
            var perFold = Enumerable.Range(0, 5).Select(f => Enumerable.Range(0, labels.Count).Count(i => labels[i] == label && folds[i] == f)).ToArray();
            Assert.Equal(total, perFold.Sum());
            // Round-robin dealing: counts differ by at most one between folds.
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"{label}: {string.Join(",", perFold)}");
        }
        // a (50) and b (30) divide evenly: exactly 10 and 6 per fold.
        Assert.All(Enumerable.Range(0, 5), f => Assert.Equal(10, Enumerable.Range(0, labels.Count).Count(i => labels[i] == "a" && folds[i] == f)));
        Assert.All(Enumerable.Range(0, 5), f => Assert.Equal(6, Enumerable.Range(0, labels.Count).Count(i => labels[i] == "b" && folds[i] == f)));
    }

    [Fact]
    public void Folds_AreDeterministicForASeed_AndDifferAcrossSeeds()
    {
        var labels = Labels();
        Assert.Equal(Splits.Folds(labels, 4, seed: 9), Splits.Folds(labels, 4, seed: 9));
        Assert.NotEqual(Splits.Folds(labels, 4, seed: 9), Splits.Folds(labels, 4, seed: 10));
    }

    [Fact]
    public void Folds_ClassWithOneExample_Throws()
    {
        var e = Assert.Throws<InputException>(() => Splits.Folds(["a", "a", "b", "b", "c"], 2, seed: 1));
        Assert.Contains("'c'", e.Message);
    }

    [Fact]
    public void Folds_FewerThanTwo_Throws() =>
        Assert.Throws<InputException>(() => Splits.Folds(Labels(), 1, seed: 1));

    [Fact]
    public void Sample_IsStratified_SortedDistinct_AndKeepsARowOfEveryClass()
    {
        var labels = Labels();
        var sample = Splits.Sample(labels, 20, seed: 1);
        // share 20/103: a 9.71, b 5.83, c 3.88, d 0.58; rounded down (d up to its one row): 9, 5, 3, 1 = 18; the two
        // rows left go to the largest remainders, c (0.88) and b (0.83).
        Assert.Equal(new Dictionary<string, int> { ["a"] = 9, ["b"] = 6, ["c"] = 4, ["d"] = 1 }, CountBy(sample, labels));
        Assert.Equal(sample.Order(), sample);
        Assert.Equal(sample.Count, sample.Distinct().Count());
        // A class whose share rounds to nothing still keeps one row.
        // size 5: a 2.43, b 1.46, c 0.97, d 0.15: 2, 1, 1, 1 = 5 already.
        var rare = Splits.Sample(labels, 5, seed: 1);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 1, ["c"] = 1, ["d"] = 1 }, CountBy(rare, labels));
        // size 30: a 14.56, b 8.74, c 5.83, d 0.87: 14, 8, 5, 1 = 28; the two rows left go to c (0.83) and b (0.74),
        // not to d, whose one row is past its share already though its 0.87 is the largest remainder.
        Assert.Equal(new Dictionary<string, int> { ["a"] = 14, ["b"] = 9, ["c"] = 6, ["d"] = 1 }, CountBy(Splits.Sample(labels, 30, seed: 1), labels));
        // size 3: every class keeps one row, so the four classes take four.
        Assert.Equal(4, Splits.Sample(labels, 3, seed: 1).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.Sample(labels, 0, seed: 1));
        Assert.Equal(Splits.Sample(labels, 20, seed: 1), sample);
        Assert.NotEqual(Splits.Sample(labels, 20, seed: 2), sample);
    }

    [Fact]
    public void Sample_OfNoMoreRowsThanAsked_IsEveryRow()
    {
        var labels = Labels();
        Assert.Equal(Enumerable.Range(0, labels.Count), Splits.Sample(labels, labels.Count, seed: 1));
        Assert.Equal(Enumerable.Range(0, labels.Count), Splits.Sample(labels, 1_000, seed: 1));
    }
}
