using Classifier.Core.Evaluation;

namespace Classifier.Tests.Evaluation;

/// <summary>
/// The one averaging convention of single-label and multi-label metrics (README, "Evaluate and cross-validate"):
/// macro averages run over the labels true or predicted in at least one evaluated document; a model label that is
/// neither is left out. Multi-label Hamming loss is over documents × (the model's labels + unknown true labels).
/// The expected values were computed once with scikit-learn 1.2.1 (Debian's python3-sklearn); the tests do not run python.
/// </summary>
public sealed class AveragingConventionTests
{
    private const int Digits = 12;

    /// <summary>
    /// The model knows a..e; x is true in d5 but unknown to the model. Columns: a b c d e x (6).
    ///
    ///   doc  true    predicted     a: tp1 (d1) fp1 (d4) fn1 (d5): P 1/2, R 1/2, F1 1/2
    ///   d1   a b     a             b: tp1 (d2) fn1 (d1):          P 1,   R 1/2, F1 2/3
    ///   d2   b       b d           c: tp1 (d3):                   P 1,   R 1,   F1 1
    ///   d3   c       c             d: fp1 (d2), never true:       P 0,   R 0,   F1 0   (counted)
    ///   d4   -       a             x: fn1 (d5), never predicted:  P 0,   R 0,   F1 0   (counted)
    ///   d5   a x     -             e: neither true nor predicted: left out
    ///
    /// macro over a b c d x: P (1/2 + 1 + 1) / 5 = 1/2, R (1/2 + 1/2 + 1) / 5 = 2/5, F1 (1/2 + 2/3 + 1) / 5 = 13/30.
    /// micro: tp 3, fp 2, fn 3: P 3/5, R 1/2, F1 6/11. Exact match: d3 = 1/5. Hamming: 5 wrong / (5 docs x 6 columns) = 1/6.
    /// (Before the convention: macro over the labels with true documents, a b c x, gave F1 13/24; Hamming over the
    /// 5 labels seen in the file gave 1/5. Over all 6 columns with 0 for e, scikit-learn gives F1 0.3611.)
    ///
    /// scikit-learn, run once:
    ///   from sklearn.preprocessing import MultiLabelBinarizer
    ///   from sklearn.metrics import f1_score, precision_score, recall_score, hamming_loss, accuracy_score
    ///   cols = ["a", "b", "c", "d", "e", "x"]
    ///   gold = [{"a", "b"}, {"b"}, {"c"}, set(), {"a", "x"}]
    ///   pred = [{"a"}, {"b", "d"}, {"c"}, {"a"}, set()]
    ///   mlb = MultiLabelBinarizer(classes=cols).fit([]); Y, P = mlb.transform(gold), mlb.transform(pred)
    ///   seen = [0, 1, 2, 3, 5]   # a b c d x: true or predicted
    ///   precision_score(Y, P, average="macro", labels=seen, zero_division=0)  # 0.5
    ///   recall_score(Y, P, average="macro", labels=seen, zero_division=0)     # 0.4
    ///   f1_score(Y, P, average="macro", labels=seen, zero_division=0)         # 0.4333333333333333
    ///   precision_score / recall_score / f1_score(Y, P, average="micro")      # 0.6, 0.5, 0.5454545454545454
    ///   hamming_loss(Y, P)                                                    # 0.16666666666666666 (over the 6 columns)
    ///   accuracy_score(Y, P)                                                  # 0.2 (exact match)
    /// </summary>
    [Fact]
    public void MultiLabel_MacroOverTrueOrPredicted_HammingOverTheModelsLabels_AsScikitLearn()
    {
        IReadOnlyCollection<string>[] gold = [["a", "b"], ["b"], ["c"], [], ["a", "x"]];
        IReadOnlyCollection<string>[] pred = [["a"], ["b", "d"], ["c"], ["a"], []];
        var m = MultiLabelEvaluator.Evaluate(gold, pred, ["a", "b", "c", "d", "e"]);

        Assert.Equal(["a", "b", "c", "d", "x"], m.PerLabel.Select(l => l.Label));
        Assert.Equal(6, m.LabelColumns);
        Assert.Equal(0.5, m.MacroPrecision, Digits);
        Assert.Equal(0.4, m.MacroRecall, Digits);
        Assert.Equal(0.4333333333333333, m.MacroF1, Digits);
        Assert.Equal(0.6, m.MicroPrecision, Digits);
        Assert.Equal(0.5, m.MicroRecall, Digits);
        Assert.Equal(0.5454545454545454, m.MicroF1, Digits);
        Assert.Equal(0.16666666666666666, m.HammingLoss, Digits);
        Assert.Equal(0.2, m.ExactMatch, Digits);
    }

    [Fact]
    public void MultiLabel_TheFiguresDoNotDependOnModelLabelsTheFileLacks()
    {
        // The same documents, and a model with 5 more labels that no document has or gets: the macro averages are
        // unchanged; Hamming loss is over the larger set of decisions: 5 wrong / (5 x 11).
        IReadOnlyCollection<string>[] gold = [["a", "b"], ["b"], ["c"], [], ["a", "x"]];
        IReadOnlyCollection<string>[] pred = [["a"], ["b", "d"], ["c"], ["a"], []];
        var m = MultiLabelEvaluator.Evaluate(gold, pred, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
        Assert.Equal(0.4333333333333333, m.MacroF1, Digits);
        Assert.Equal(11, m.LabelColumns);
        Assert.Equal(5.0 / 55, m.HammingLoss, Digits);
    }

    /// <summary>
    /// Single-label: the model knows a..e.
    ///
    ///   true   a a a b b c            a: tp 2, fn 1 (d2):        P 1,   R 2/3, F1 4/5
    ///   pred   a a b b d c            b: tp 1, fp 1 (d2), fn 1:  P 1/2, R 1/2, F1 1/2
    ///                                 c: tp 1:                   P 1,   R 1,   F1 1
    ///                                 d: fp 1, never true:       P 0,   R 0,   F1 0   (counted)
    ///                                 e: neither:                left out
    ///
    /// macro P (1 + 1/2 + 1 + 0) / 4 = 5/8, R (2/3 + 1/2 + 1 + 0) / 4 = 13/24, F1 (4/5 + 1/2 + 1 + 0) / 4 = 23/40;
    /// accuracy 4/6. Over all five labels (e as 0) the F1 would be 0.46.
    ///
    /// scikit-learn, run once (labels=None: unique_labels(y_true, y_pred) = a b c d):
    ///   from sklearn.metrics import f1_score, precision_score, recall_score, accuracy_score
    ///   y_true = ["a", "a", "a", "b", "b", "c"]; y_pred = ["a", "a", "b", "b", "d", "c"]
    ///   precision_score(y_true, y_pred, average="macro", zero_division=0)  # 0.625
    ///   recall_score(y_true, y_pred, average="macro", zero_division=0)     # 0.5416666666666666
    ///   f1_score(y_true, y_pred, average="macro", zero_division=0)         # 0.575
    ///   accuracy_score(y_true, y_pred)                                     # 0.6666666666666666
    /// </summary>
    [Fact]
    public void SingleLabel_MacroOverTrueOrPredicted_AsScikitLearn()
    {
        string[] labels = ["a", "b", "c", "d", "e"];
        int[] gold = [0, 0, 0, 1, 1, 2];
        int[] pred = [0, 0, 1, 1, 3, 2];
        var probabilities = pred.Select(p => Enumerable.Range(0, labels.Length).Select(i => i == p ? 1f : 0f).ToArray()).ToList();
        var m = MulticlassEvaluator.Evaluate(gold, probabilities, labels);

        Assert.Equal(0.625, m.MacroPrecision, Digits);
        Assert.Equal(0.5416666666666666, m.MacroRecall, Digits);
        Assert.Equal(0.575, m.MacroF1, Digits);
        Assert.Equal(0.6666666666666666, m.Accuracy, Digits);
    }
}
