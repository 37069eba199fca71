using Classifier.Core.Models;
using CsCheck;

namespace Classifier.Tests.Models;

public sealed class RankingTests
{
    [Fact]
    public void Falling_scores_with_ties_in_model_order_and_NaN_last()
    {
        Assert.Equal([4, 1, 0, 2, 3], Ranking.ByFallingScore([0.2f, 0.5f, 0.2f, float.NaN, 0.9f]));
        Assert.Equal([0], Ranking.ByFallingScore([0.1f]));
        Assert.Empty(Ranking.ByFallingScore([]));
    }

    [Fact]
    public void Agrees_with_a_stable_sort_for_few_labels_and_many()
    {
        // Up to 64 labels are sorted by insertion, more by Array.Sort: both must give LINQ's stable order.
        Gen.Select(Gen.Int[0, 6], Gen.Int[1, 300]).SelectMany((levels, n) => Gen.Int[0, levels].Array[n].Select(a => a.Select(x => x / 4f).ToArray()))
            .Sample(scores =>
            {
                var expected = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
                Assert.Equal(expected, Ranking.ByFallingScore(scores));
            }, iter: 200);
    }
}
