using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>The softmax temperature against Platt's smoothed targets, worked by hand.</summary>
public sealed class SmoothedTemperatureTests
{
    [Fact]
    public void HeldOutDocumentsAllRight_GiveTheRuleOfSuccession_NotCertainty()
    {
        // Eight held-out documents, each with margins (1, -1) and the first class right: every one gets
        // p = 1 / (1 + e^(-2T)), and the cross-entropy against the target (8 + 1) / (8 + 2) = 0.9 is least where p = 0.9,
        // so e^(-2T) = 1/9 and T = ln(9) / 2 = 1.0986. A plain log-loss fit would run to its bound (100): p = 1.0000.
        var margins = Enumerable.Range(0, 8).Select(_ => new[] { 1.0, -1.0 }).ToList();
        var gold = Enumerable.Repeat(0, 8).ToList();
        Assert.Equal(Math.Log(9) / 2, Calibration.FitTemperature(margins, gold), 4);
    }

    [Fact]
    public void TheOtherClasses_ShareWhatTheTrueClassLeaves()
    {
        // Three classes, margins (2, 0, 0), one document: target 2/3 for the first, 1/6 each for the others. By symmetry the
        // softmax gives p = e^(2T) / (e^(2T) + 2), least cross-entropy at p = 2/3: e^(2T) = 4, T = ln(2).
        var t = Calibration.FitTemperature([[2.0, 0.0, 0.0]], [0]);
        Assert.Equal(Math.Log(2), t, 4);
        // The loss at that T, by hand: -(2/3 ln(2/3) + 2 * 1/6 ln(1/6)).
        var expected = -(2.0 / 3 * Math.Log(2.0 / 3) + 2.0 / 6 * Math.Log(1.0 / 6));
        Assert.Equal(expected, Calibration.SmoothedLogLoss([[2.0, 0.0, 0.0]], [0], t, 2.0 / 3), 6);
    }

    [Fact]
    public void WithManyDocumentsAndMistakes_TheFitIsNearlyThePlainOne()
    {
        // 2,000 documents, one in ten wrong: the target 2001/2002 hardly differs from 1, so T is the plain log-loss optimum
        // within a fraction of a percent (20 Newsgroups holds out 2,263 and kept its log-loss).
        var margins = new List<double[]>();
        var gold = new List<int>();
        for (int i = 0; i < 2000; i++)
        {
            margins.Add([1.0, -1.0]);
            gold.Add(i % 10 == 0 ? 1 : 0);
        }
        // Plain optimum: p = 0.9 exactly, T = ln(9) / 2; the smoothed one moves p towards 0.5 by a hair.
        var t = Calibration.FitTemperature(margins, gold);
        Assert.InRange(t, Math.Log(9) / 2 * 0.995, Math.Log(9) / 2);
    }
}
