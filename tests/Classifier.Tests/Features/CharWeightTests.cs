using Classifier.Core.Features;

namespace Classifier.Tests.Features;

public class CharWeightTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void CharBlock_HasCharWeightTimesTheWordBlockNorm_AndTheVectorHasNormOne(double weight)
    {
        var texts = new[] { "markets rallied in london", "the striker scored twice", "vaccine trial results" };
        var f = TextFeaturizer.Fit(texts, new FeaturizerOptions { CharWeight = weight }, threads: 1);
        var v = f.Transform("markets rallied as the striker scored", f.CreateWorkspace());
        double word = 0, chars = 0;
        for (int i = 0; i < v.Count; i++)
        {
            var sq = (double)v.Values[i] * v.Values[i];
            if (v.Indices[i] < f.WordFeatureCount) word += sq; else chars += sq;
        }
        Assert.Equal(weight, Math.Sqrt(chars) / Math.Sqrt(word), 4);
        Assert.Equal(1.0, word + chars, 4);
    }
}
