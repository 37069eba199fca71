using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Evaluation;
using Classifier.Core.Training;

namespace Classifier.Tests.MultiLabel;

public class ThresholdTuningTests
{
    [Fact]
    public void BestF1_FindsTheKnownOptimum()
    {
        // Scores and truth chosen so that cutting between 0.6 and 0.4 is best:
        // >= 0.6 takes 3 positives and 1 negative: F1 = 6 / (6 + 1 + 0) = 0.857;
        // >= 0.8 takes 2 positives: F1 = 4 / (4 + 0 + 1) = 0.8; >= 0.4 adds a negative: 6 / 8 = 0.75.
        var scores = new[] { 0.9, 0.8, 0.7, 0.6, 0.4, 0.2 };
        var positive = new[] { true, true, false, true, false, false };
        var (threshold, f1) = ThresholdTuning.BestF1(scores, positive);
        Assert.Equal(0.5, threshold, 6);
        Assert.Equal(6.0 / 7.0, f1, 6);
    }

    [Fact]
    public void BestF1_WithoutPositives_FallsBack()
    {
        var (threshold, f1) = ThresholdTuning.BestF1(new[] { 0.3, 0.9 }, new[] { false, false });
        Assert.Equal(ThresholdTuning.Fallback, threshold);
        Assert.Equal(0, f1);
    }

    [Fact]
    public void BestF1_NeverCutsBetweenEqualScores()
    {
        // The two 0.7s must fall on the same side of the cut.
        var (threshold, _) = ThresholdTuning.BestF1(new[] { 0.9, 0.7, 0.7, 0.1 }, new[] { true, true, false, false });
        Assert.True(threshold is > 0.1 and <= 0.7 || threshold is > 0.7 and <= 0.9);
        Assert.NotEqual(0.7, threshold);
    }

    [Fact]
    public void FitSigmoid_SeparatesClasses_WithPositiveSlope()
    {
        var margins = new[] { -2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0 };
        var positive = margins.Select(m => m > 0).ToArray();
        var (a, b) = Calibration.FitSigmoid(margins, positive);
        Assert.True(a > 0);
        Assert.True(Calibration.Sigmoid(a * 2 + b) > 0.8);
        Assert.True(Calibration.Sigmoid(a * -2 + b) < 0.2);
    }
}

public class MultiLabelEvaluatorTests
{
    [Fact]
    public void Metrics_MatchHandComputation()
    {
        // doc1 gold {a,b} pred {a}      -> a: tp; b: fn
        // doc2 gold {b}   pred {b,c}    -> b: tp; c: fp
        // doc3 gold {c}   pred {c}      -> c: tp (exact)
        // doc4 gold {}    pred {a}      -> a: fp
        // a: tp1 fp1 fn0 -> P .5 R 1 F1 2/3; b: tp1 fp0 fn1 -> P 1 R .5 F1 2/3; c: tp1 fp1 fn0 -> P .5 R 1 F1 2/3
        // micro: tp3 fp2 fn1 -> P 3/5, R 3/4, F1 6/9; macro F1 = 2/3 over the labels true or predicted (a, b, c).
        // exact match 1/4; Hamming: 3 wrong decisions (fp 2 + fn 1) / (4 docs x 3 labels) = 1/4.
        var gold = new[] { Set("a", "b"), Set("b"), Set("c"), Set() };
        var pred = new[] { Set("a"), Set("b", "c"), Set("c"), Set("a") };
        var m = MultiLabelEvaluator.Evaluate(gold, pred, ["a", "b", "c"]);
        Assert.Equal(4, m.Examples);
        Assert.Equal(0.6, m.MicroPrecision, 9);
        Assert.Equal(0.75, m.MicroRecall, 9);
        Assert.Equal(6.0 / 9.0, m.MicroF1, 9);
        Assert.Equal(2.0 / 3.0, m.MacroF1, 9);
        Assert.Equal(0.25, m.ExactMatch, 9);
        Assert.Equal(0.25, m.HammingLoss, 9);
        var b = m.PerLabel.Single(l => l.Label == "b");
        Assert.Equal((1.0, 0.5, 2), (b.Precision, b.Recall, b.Support));
    }

    private static IReadOnlyCollection<string> Set(params string[] labels) => labels;
}

public class LabelMapTests
{
    [Fact]
    public void UnknownLabels_AreLeftOutAndCounted()
    {
        var map = new LabelMap(new Dictionary<string, string> { ["usa"] = "north-america", ["japan"] = "asia-pacific", ["canada"] = "north-america" }, "map.csv");
        Assert.Equal(new[] { "north-america", "asia-pacific" }, LabelSets.Parse("usa;japan;canada;atlantis", ";", map));
        Assert.Null(map.Apply("atlantis"));
        Assert.Equal(2, map.Unmapped["atlantis"]);
    }

    [Fact]
    public void SingleLabelMode_SkipsRowsWhoseLabelIsNotMapped()
    {
        var spec = new LabelSpec(null, new LabelMap(new Dictionary<string, string> { ["uk"] = "europe" }, "m.csv"));
        Assert.Equal(("europe", (string?)null), spec.Apply(" uk "));
        var (label, problem) = spec.Apply("mars");
        Assert.Null(label);
        Assert.Contains("not in the label map", problem);
    }

    [Fact]
    public void Load_RejectsAMapThatSendsOneLabelTwoWays()
    {
        // A name of our own: GetTempFileName creates an empty file, which the ".csv" beside it left behind on every run.
        var path = Path.Combine(Path.GetTempPath(), $"classifier-map-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "from,to\nuk,europe\nuk,asia-pacific\n");
        try
        {
            var e = Assert.Throws<InputException>(() => LabelMap.Load(path));
            Assert.Equal(3, e.Line);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ShippedReutersMap_CoversSevenRegions()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Classifier.sln"))) root = root.Parent!;
        var map = LabelMap.Load(Path.Combine(root.FullName, "data", "maps", "reuters-places-to-regions.csv"));
        Assert.Equal(136, map.Count);
        var regions = new[] { "usa", "uk", "japan", "brazil", "nigeria", "saudi-arabia", "ussr" }.Select(c => map.Apply(c)).ToList();
        Assert.Equal(new[] { "north-america", "europe", "asia-pacific", "latin-america", "africa", "middle-east", "russia-central-asia" }, regions);
    }
}
