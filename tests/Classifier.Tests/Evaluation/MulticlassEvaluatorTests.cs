using Classifier.Core.Evaluation;

namespace Classifier.Tests.Evaluation;

/// <summary>
/// The metric maths, checked against values worked out by hand.
///
/// The worked example: three classes a, b, c and six documents.
///
///   doc  gold  p(a)  p(b)  p(c)   predicted  top two   p(gold)
///   d0   a     0.7   0.2   0.1    a          a, b      0.7
///   d1   a     0.6   0.3   0.1    a          a, b      0.6
///   d2   a     0.2   0.5   0.3    b          b, c      0.2   (gold not in top two)
///   d3   b     0.15  0.8   0.05   b          b, a      0.8
///   d4   c     0.5   0.2   0.3    a          a, c      0.3
///   d5   c     0.0   1.0   0.0    b          b, a      0.0 -> clipped to 1e-15 (gold not in top two)
///
/// Confusion (rows true, columns predicted, order a b c):
///   a: 2 1 0      support 3
///   b: 0 1 0      support 1
///   c: 1 1 0      support 2      (c is never predicted)
///   column sums (times predicted): a 3, b 3, c 0
///
/// accuracy = (2 + 1 + 0) / 6 = 0.5 = micro F1
/// a: tp 2, fp 1 (d4), fn 1 (d2): precision 2/3, recall 2/3, F1 = 2*2 / (2*2 + 1 + 1) = 4/6 = 2/3
/// b: tp 1, fp 2 (d2, d5), fn 0:  precision 1/3, recall 1/1 = 1, F1 = 2*1 / (2*1 + 2 + 0) = 1/2
/// c: tp 0, fp 0, fn 2:           precision 0 (never predicted), recall 0, F1 0
/// macro precision = (2/3 + 1/3 + 0) / 3 = 1/3
/// macro recall    = (2/3 + 1 + 0) / 3   = 5/9
/// macro F1        = (2/3 + 1/2 + 0) / 3 = (7/6) / 3 = 7/18
/// log-loss = -(ln 0.7 + ln 0.6 + ln 0.2 + ln 0.8 + ln 0.3 + ln 1e-15) / 6
///          = (0.356675 + 0.510826 + 1.609438 + 0.223144 + 1.203973 + 34.538776) / 6
///          = 38.442831 / 6 = 6.407139
/// top-2 accuracy = d0, d1, d3, d4 = 4/6 = 2/3
/// </summary>
public sealed class MulticlassEvaluatorTests
{
    private static readonly string[] Labels = ["a", "b", "c"];

    private static readonly int[] Gold = [0, 0, 0, 1, 2, 2];

    private static readonly float[][] Probabilities =
    [
        [0.7f, 0.2f, 0.1f],
        [0.6f, 0.3f, 0.1f],
        [0.2f, 0.5f, 0.3f],
        [0.15f, 0.8f, 0.05f],
        [0.5f, 0.2f, 0.3f],
        [0.0f, 1.0f, 0.0f],
    ];

    private const int Digits = 6;

    private static MulticlassMetrics Worked() => MulticlassEvaluator.Evaluate(Gold, Probabilities, Labels);

    [Fact]
    public void ConfusionMatrix_RowsAreTrueLabels_ColumnsPredicted()
    {
        var m = Worked();
        Assert.Equal(["a", "b", "c"], m.Labels);
        Assert.Equal(6, m.Examples);
        Assert.Equal([2, 1, 0], m.Confusion[0]);
        Assert.Equal([0, 1, 0], m.Confusion[1]);
        Assert.Equal([1, 1, 0], m.Confusion[2]);
    }

    [Fact]
    public void Accuracy_IsCorrectOverAll_AndMicroF1EqualsIt()
    {
        var m = Worked();
        Assert.Equal(0.5, m.Accuracy, Digits);
        Assert.Equal(0.5, m.MicroF1, Digits);
    }

    [Fact]
    public void PerClass_PrecisionRecallF1Support()
    {
        var m = Worked();
        Assert.Equal(3, m.PerClass.Count);
        Assert.Equal(["a", "b", "c"], m.PerClass.Select(c => c.Label));

        var a = m.PerClass[0];
        Assert.Equal(2.0 / 3, a.Precision, Digits);
        Assert.Equal(2.0 / 3, a.Recall, Digits);
        Assert.Equal(2.0 / 3, a.F1, Digits);
        Assert.Equal(3, a.Support);

        var b = m.PerClass[1];
        Assert.Equal(1.0 / 3, b.Precision, Digits);
        Assert.Equal(1.0, b.Recall, Digits);
        Assert.Equal(0.5, b.F1, Digits);
        Assert.Equal(1, b.Support);
    }

    [Fact]
    public void ClassNeverPredicted_HasPrecisionZero_AndCountsInMacroAverages()
    {
        var m = Worked();
        var c = m.PerClass[2];
        Assert.Equal("c", c.Label);
        Assert.Equal(0.0, c.Precision);
        Assert.Equal(0.0, c.Recall);
        Assert.Equal(0.0, c.F1);
        Assert.Equal(2, c.Support);
        // c's zeros pull the macro averages down (divide by 3, not 2).
        Assert.Equal(1.0 / 3, m.MacroPrecision, Digits);
        Assert.Equal(5.0 / 9, m.MacroRecall, Digits);
        Assert.Equal(7.0 / 18, m.MacroF1, Digits);
    }

    [Fact]
    public void LogLoss_IsMeanNegativeLnOfTrueProbability_WithFloor()
    {
        var m = Worked();
        Assert.Equal(6.407139, m.LogLoss, 5);
        // The same sum, term by term (float inputs, so compare to 5 places).
        var expected = -(Math.Log(0.7) + Math.Log(0.6) + Math.Log(0.2) + Math.Log(0.8) + Math.Log(0.3) + Math.Log(1e-15)) / 6;
        Assert.Equal(expected, m.LogLoss, 5);
    }

    [Fact]
    public void Top2Accuracy_CountsGoldAmongTwoMostProbable()
    {
        var m = Worked();
        Assert.Equal(2.0 / 3, m.Top2Accuracy, Digits);
    }

    [Fact]
    public void LogLossFloor_ZeroProbabilityIsClippedAt1eMinus15()
    {
        // One document, true class given probability 0: -ln(1e-15) = 15 ln 10 = 34.538776...
        var m = MulticlassEvaluator.Evaluate([1], [[1f, 0f]], ["x", "y"]);
        Assert.Equal(1e-15, MulticlassEvaluator.ProbabilityFloor);
        Assert.Equal(34.538776394910684, m.LogLoss, 9);
        Assert.False(double.IsInfinity(m.LogLoss));
        Assert.Equal(0.0, m.Accuracy);
        // With two classes the true one is always in the top two.
        Assert.Equal(1.0, m.Top2Accuracy);
    }

    [Fact]
    public void PerfectPredictions_GiveOnes_AndLogLossOfConfidence()
    {
        // Both right with probability 0.9 and 0.8: log-loss = -(ln 0.9 + ln 0.8) / 2 = (0.105361 + 0.223144) / 2 = 0.164252
        var m = MulticlassEvaluator.Evaluate([0, 1], [[0.9f, 0.1f], [0.2f, 0.8f]], ["x", "y"]);
        Assert.Equal(1.0, m.Accuracy);
        Assert.Equal(1.0, m.MacroPrecision);
        Assert.Equal(1.0, m.MacroRecall);
        Assert.Equal(1.0, m.MacroF1);
        Assert.Equal(0.164252, m.LogLoss, 5);
    }

    [Fact]
    public void LabelAbsentFromDataAndNeverPredicted_IsLeftOutOfMacroAverages()
    {
        // Same documents with a fourth label "d" that no document has and nothing predicts (probability 0 everywhere):
        // as in scikit-learn, macro averages run over a, b, c only, so they are unchanged.
        var padded = Probabilities.Select(p => p.Append(0f).ToArray()).ToList();
        var m = MulticlassEvaluator.Evaluate(Gold, padded, ["a", "b", "c", "d"]);
        Assert.Equal(4, m.PerClass.Count);
        Assert.Equal(0, m.PerClass[3].Support);
        Assert.Equal(1.0 / 3, m.MacroPrecision, Digits);
        Assert.Equal(5.0 / 9, m.MacroRecall, Digits);
        Assert.Equal(7.0 / 18, m.MacroF1, Digits);
        Assert.Equal(0.5, m.Accuracy, Digits);
    }

    [Fact]
    public void FromConfusion_MatchesEvaluate_AndLeavesProbabilityMetricsAtZero()
    {
        int[][] confusion = [[2, 1, 0], [0, 1, 0], [1, 1, 0]];
        var m = MulticlassEvaluator.FromConfusion(confusion, Labels);
        Assert.Equal(6, m.Examples);
        Assert.Equal(0.5, m.Accuracy, Digits);
        Assert.Equal(7.0 / 18, m.MacroF1, Digits);
        Assert.Equal(0.0, m.LogLoss);
        Assert.Equal(0.0, m.Top2Accuracy);
    }

    [Theory]
    [InlineData(2, 1, 1, 2.0 / 3)] // 4 / (4 + 2)
    [InlineData(1, 2, 0, 0.5)]     // 2 / (2 + 2)
    [InlineData(0, 3, 4, 0.0)]
    [InlineData(5, 0, 0, 1.0)]
    public void F1_IsTwoTpOverTwoTpPlusErrors(long tp, long fp, long fn, double expected) =>
        Assert.Equal(expected, MulticlassEvaluator.F1(tp, fp, fn), Digits);

    [Fact]
    public void TopTwo_TiesGoToTheLowerIndex()
    {
        Assert.Equal((0, 1), MulticlassEvaluator.TopTwo([0.4f, 0.4f, 0.2f]));
        Assert.Equal((1, 2), MulticlassEvaluator.TopTwo([0.2f, 0.4f, 0.4f]));
        Assert.Equal((1, 0), MulticlassEvaluator.TopTwo([0f, 1f, 0f]));
        Assert.Equal((2, 0), MulticlassEvaluator.TopTwo([0.3f, 0.1f, 0.6f]));
    }

    [Fact]
    public void NoDocuments_GivesZeros()
    {
        var m = MulticlassEvaluator.Evaluate(Array.Empty<int>(), Array.Empty<float[]>(), Labels);
        Assert.Equal(0, m.Examples);
        Assert.Equal(0.0, m.Accuracy);
        Assert.Equal(0.0, m.LogLoss);
        Assert.Equal(0.0, m.Top2Accuracy);
        Assert.Equal(0.0, m.MacroF1);
    }

    [Fact]
    public void LengthMismatch_Throws() =>
        Assert.Throws<ArgumentException>(() => MulticlassEvaluator.Evaluate([0, 1], [[1f, 0f]], ["x", "y"]));
}
