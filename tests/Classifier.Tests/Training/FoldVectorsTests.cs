using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>
/// `tune` keeps each fold's vectors for the next trial that featurizes alike (FoldVectors). A trial prunes its store in
/// place, so what is kept must be a copy, equal entry for entry to a store made afresh, and must not change when the
/// store handed out is pruned.
/// </summary>
public sealed class FoldVectorsTests
{
    private static readonly List<string> Texts = Enumerable.Range(0, 400).Select(i =>
        $"story {i % 37} about {(i % 2 == 0 ? "goals and matches" : "shares and banks")} in town{i % 23} tag{i % 101}").ToList();

    private static readonly List<int> TrainRows = Enumerable.Range(0, Texts.Count).Where(i => i % 3 != 0).ToList();

    private static CountedCorpus Count() => CountingPass.Run(Texts, new FeaturizerOptions(), 2, CancellationToken.None);

    private static void SameStore(SparseMatrix expected, SparseMatrix actual)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Columns, actual.Columns);
        for (int r = 0; r < expected.Rows; r++)
        {
            Assert.Equal(expected.Row(r).Indices, actual.Row(r).Indices);
            Assert.Equal(expected.Row(r).Values, actual.Row(r).Values);
        }
    }

    [Fact]
    public void AStoreCopied_IsTheSameEntryForEntry_AndPruningTheCopyLeavesTheOriginal()
    {
        var corpus = Count();
        var (featurizer, x) = ModelTrainer.Vectorize(corpus, TrainRows, new FeaturizerOptions(), 2, CancellationToken.None);
        var before = Enumerable.Range(0, x.Rows).Select(x.Row).ToList();
        var copy = x.Copy();
        SameStore(x, copy);

        var keep = Enumerable.Range(0, featurizer.Dimension).Where(j => j % 2 == 0).ToArray();
        FeaturePruning.Restrict(copy, featurizer, keep, 2, CancellationToken.None);

        Assert.Equal(keep.Length, copy.Columns);
        Assert.Equal(featurizer.Dimension, x.Columns);
        for (int r = 0; r < x.Rows; r++)
        {
            Assert.Equal(before[r].Indices, x.Row(r).Indices);
            Assert.Equal(before[r].Values, x.Row(r).Values);
        }
    }

    [Fact]
    public void ASecondTrialThatFeaturizesAlike_GetsTheStoreAFreshOneWouldBe_EvenAfterTheFirstPrunedItsOwn()
    {
        var corpus = Count();
        var options = new FeaturizerOptions();
        var cache = new FoldVectors();
        var (f1, x1) = cache.For(0, corpus, TrainRows, options, 2, CancellationToken.None);
        // The first trial prunes what it was given, in place.
        FeaturePruning.Restrict(x1, f1, Enumerable.Range(0, 10).ToArray(), 2, CancellationToken.None);

        var (f2, x2) = cache.For(0, corpus, TrainRows, options, 2, CancellationToken.None);
        var (fresh, y) = ModelTrainer.Vectorize(corpus, TrainRows, options, 2, CancellationToken.None);

        Assert.Equal(1, cache.Hits);
        Assert.Equal(fresh.Hashes(), f2.Hashes());
        SameStore(y, x2);
    }

    [Fact]
    public void OtherSettings_OrAnotherFold_OrNoRoom_AreVectorizedAfresh()
    {
        var corpus = Count();
        var options = new FeaturizerOptions();
        var cache = new FoldVectors();
        cache.For(0, corpus, TrainRows, options, 2, CancellationToken.None);

        // Another fold of the same settings is not the kept one.
        var other = Enumerable.Range(0, Texts.Count).Where(i => i % 3 != 1).ToList();
        cache.For(1, corpus, other, options, 2, CancellationToken.None);
        Assert.Equal(0, cache.Hits);

        // Other settings replace what is kept: the first settings are then made again.
        var (_, x) = cache.For(0, corpus, TrainRows, options with { CharWeight = 0.5 }, 2, CancellationToken.None);
        var (_, y) = ModelTrainer.Vectorize(corpus, TrainRows, options with { CharWeight = 0.5 }, 2, CancellationToken.None);
        SameStore(y, x);
        cache.For(0, corpus, TrainRows, options, 2, CancellationToken.None);
        Assert.Equal(0, cache.Hits);

        // With no room, nothing is kept.
        var none = new FoldVectors(maxBytes: 0);
        none.For(0, corpus, TrainRows, options, 2, CancellationToken.None);
        none.For(0, corpus, TrainRows, options, 2, CancellationToken.None);
        Assert.Equal(0, none.Hits);
    }
}
