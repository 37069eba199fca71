using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>Which countings a search keeps: the first one asked for (the defaults') and the most recent.</summary>
public sealed class CountedCorporaTests
{
    [Fact]
    public void TheFirstCountingStays_WhileOtherNgramsTakeTurns()
    {
        var corpora = new CountedCorpora(FoldWavesTests.Noisy(30), threads: 1);
        var defaults = new FeaturizerOptions();
        FeaturizerOptions Words(int n) => defaults with { WordNgrams = n };
        var first = corpora.For(defaults, CancellationToken.None);
        corpora.For(Words(1), CancellationToken.None);
        corpora.For(Words(3), CancellationToken.None); // two kept: the defaults' and this one
        Assert.Equal(3, corpora.Countings);
        // The defaults' n-grams again (another weighting of them): not counted again.
        Assert.Same(first, corpora.For(defaults with { SublinearTf = !defaults.SublinearTf }, CancellationToken.None));
        Assert.Same(corpora.For(Words(3), CancellationToken.None), corpora.For(Words(3), CancellationToken.None));
        Assert.Equal(3, corpora.Countings);
        // Words(1) was let go for Words(3).
        corpora.For(Words(1), CancellationToken.None);
        Assert.Equal(4, corpora.Countings);
        // A larger capacity keeps the three.
        corpora.Capacity = 3;
        corpora.For(Words(3), CancellationToken.None);
        corpora.For(Words(1), CancellationToken.None);
        corpora.For(defaults, CancellationToken.None);
        Assert.Equal(5, corpora.Countings);
    }
}
