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
