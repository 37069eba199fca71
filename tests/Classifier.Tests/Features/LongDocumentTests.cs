using Classifier.Core.Features;

namespace Classifier.Tests.Features;

/// <summary>
/// A document longer than a workspace's first scratch arrays (1,024 word bigrams, 256 tokens, 1,024 features): every
/// n-gram of a vocabulary fitted on that document alone is found in it again, with the same vector from a fresh
/// workspace as from one that has featurized other texts before.
/// </summary>
public sealed class LongDocumentTests
{
    [Fact]
    public void EveryNgramOfAThreeThousandWordDocument_IsFound_AndTheVectorIsTheSameInAUsedWorkspace()
    {
        var words = Enumerable.Range(0, 3000).Select(i => $"w{i * 7919 % 100_003:x}").ToArray();
        Assert.Equal(words.Length, words.Distinct().Count());
        var text = string.Join(' ', words);
        var featurizer = TextFeaturizer.Fit([text], new FeaturizerOptions { MinDocumentFrequency = 1 }, threads: 1);
        // 3,000 unigrams and 2,999 bigrams, and the character n-grams.
        Assert.True(featurizer.WordFeatureCount >= 5_999, $"{featurizer.WordFeatureCount} word features");

        var fresh = featurizer.Transform(text, featurizer.CreateWorkspace());
        Assert.Equal(featurizer.Dimension, fresh.Count);
        Assert.Equal(Enumerable.Range(0, featurizer.Dimension), fresh.Indices);

        var used = featurizer.CreateWorkspace();
        featurizer.Transform("a short text first", used);
        featurizer.Transform(string.Join(' ', words.Take(50)), used);
        var again = featurizer.Transform(text, used);
        Assert.Equal(fresh.Indices, again.Indices);
        Assert.Equal(fresh.Values, again.Values);
    }
}
