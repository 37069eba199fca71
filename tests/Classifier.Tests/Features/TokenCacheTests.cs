using Classifier.Core.Models;
using Classifier.Core.Features;
using Classifier.Core.Training;
using Classifier.Tests.Explain;

namespace Classifier.Tests.Features;

public class TokenCacheTests
{
    [Fact]
    public void StartsAgain_WhenItsIdsWouldPassItsCapacity()
    {
        var cache = new TokenCache(maxIds: 10);
        Assert.Equal(0, cache.Add(1, 7, [1, 2, 3, 4, 5, 6]));
        Assert.True(cache.TryGet(1, out var unigram, out var start, out var length));
        Assert.Equal((7, 0, 6), (unigram, start, length));

        // 6 + 6 ids pass 10: the table starts again, so the second token's ids start at 0 and the first is gone.
        Assert.Equal(0, cache.Add(2, 8, [9, 9, 9, 9, 9, 9]));
        Assert.False(cache.TryGet(1, out _, out _, out _));
        Assert.Equal(1, cache.Count);

        // 6 + 4 fit exactly.
        Assert.Equal(6, cache.Add(3, -1, [5, 5, 5, 5]));
        Assert.Equal(2, cache.Count);
        Assert.Equal([5, 5, 5, 5], cache.Ids.AsSpan(6, 4).ToArray());
    }

    [Fact]
    public void RefusesATokenWithMoreIdsThanTheWholeCache()
    {
        var cache = new TokenCache(maxIds: 4);
        Assert.Throws<ArgumentException>(() => cache.Add(1, 0, [1, 2, 3, 4, 5]));
    }

    [Fact]
    public void ABatchScorersSessionHoldsFourTimesTheIds_EveryOtherSessionTheDefault()
    {
        var model = ModelTrainer.Fit(ExplainToy.Dataset(), new FeaturizerOptions(), new TrainerOptions { Threads = 1 },
            new DataDescription("toy", "", 36, 0, 36, 0));
        Assert.Equal(4 * TokenCache.DefaultMaxIds, TokenCache.LargeMaxIds);
        Assert.Equal(TokenCache.LargeMaxIds, model.CreateBatchSession().CacheIds);
        Assert.Equal(TokenCache.DefaultMaxIds, model.CreateSession().CacheIds);
        Assert.Equal(TokenCache.DefaultMaxIds, model.Featurizer.CreateWorkspace().CacheIds);
        // Both score alike.
        var text = ExplainToy.Dataset().Texts[0];
        Assert.Equal(model.CreateSession().Predict(text), model.CreateBatchSession().Predict(text));
    }
}

/// <summary>Asking ahead for a token's slot and ids reads nothing it should not, whatever the slot holds.</summary>
public class TokenCachePrefetchTests
{
    [Fact]
    public void PrefetchingAnyKey_ChangesNothing_AndNeverReadsOutsideTheTables()
    {
        var cache = new TokenCache(maxIds: 8);
        // An empty table, a key with no ids, a key with ids, a key absent but sharing a home slot, and after the table
        // started again (ids gone, slots cleared).
        cache.PrefetchSlot(42);
        cache.PrefetchIds(42);
        cache.Add(1, 5, []);
        cache.Add(2, -1, [3, 4, 5]);
        foreach (var key in new ulong[] { 1, 2, 1 + (1UL << 40), ulong.MaxValue })
        {
            cache.PrefetchSlot(key);
            cache.PrefetchIds(key);
        }
        Assert.True(cache.TryGet(2, out var unigram, out var start, out var length));
        Assert.Equal((-1, 3), (unigram, length));
        Assert.Equal([3, 4, 5], cache.Ids.AsSpan(start, length).ToArray());
        cache.Add(3, 0, [1, 1, 1, 1, 1, 1]);   // 3 + 6 ids pass 8: the table starts again
        cache.PrefetchIds(2);
        Assert.False(cache.TryGet(2, out _, out _, out _));
        Assert.True(cache.TryGet(3, out _, out var again, out var six));
        Assert.Equal((0, 6), (again, six));
    }
}
