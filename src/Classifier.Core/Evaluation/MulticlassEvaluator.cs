namespace Classifier.Core.Evaluation;

/// <summary>Computes <see cref="MulticlassMetrics"/> from true labels and predicted probabilities.</summary>
public static class MulticlassEvaluator
{
    /// <summary>Probabilities below this are clipped so that one confident mistake cannot make log-loss infinite.</summary>
    public const double ProbabilityFloor = 1e-15;

    /// <param name="gold">True class index per document.</param>
    /// <param name="probabilities">Per document, one probability per class in <paramref name="labels"/> order.</param>
    public static MulticlassMetrics Evaluate(IReadOnlyList<int> gold, IReadOnlyList<float[]> probabilities, IReadOnlyList<string> labels)
    {
        if (gold.Count != probabilities.Count) throw new ArgumentException("gold and probabilities differ in length");
        var k = labels.Count;
        var confusion = new int[k][];
        for (int i = 0; i < k; i++) confusion[i] = new int[k];
        double logLoss = 0;
        int top2 = 0;
        for (int d = 0; d < gold.Count; d++)
        {
            var p = probabilities[d];
            var (best, second) = TopTwo(p);
            confusion[gold[d]][best]++;
            if (gold[d] == best || gold[d] == second) top2++;
            logLoss -= Math.Log(Math.Max(ProbabilityFloor, p[gold[d]]));
        }
        return FromConfusion(confusion, labels) with
        {
            LogLoss = gold.Count == 0 ? 0 : logLoss / gold.Count,
            Top2Accuracy = gold.Count == 0 ? 0 : (double)top2 / gold.Count,
        };
    }

    /// <summary>Metrics that follow from the confusion matrix alone (log-loss and top-2 are left at 0).</summary>
    public static MulticlassMetrics FromConfusion(int[][] confusion, IReadOnlyList<string> labels)
    {
        var k = labels.Count;
        var perClass = new List<ClassMetrics>(k);
        long total = 0, correct = 0;
        for (int c = 0; c < k; c++)
        {
            int tp = confusion[c][c];
            int support = confusion[c].Sum();
            int predicted = 0;
            for (int r = 0; r < k; r++) predicted += confusion[r][c];
            total += support;
            correct += tp;
            perClass.Add(new ClassMetrics(labels[c], Ratio(tp, predicted), Ratio(tp, support), F1(tp, predicted - tp, support - tp), support));
        }
        // Macro averages run over the classes true or predicted in at least one document, as scikit-learn's do with
        // labels=None (unique_labels(y_true, y_pred)): a class that is neither has undefined F1 and is left out, so the
        // average does not depend on which of the model's classes the file lacks. MultiLabelEvaluator does the same.
        var present = perClass.Where((m, c) => m.Support > 0 || confusion.Sum(row => row[c]) > 0).ToList();
        double Mean(Func<ClassMetrics, double> f) => present.Count == 0 ? 0 : present.Average(f);
        var accuracy = Ratio(correct, total);
        return new MulticlassMetrics
        {
            Examples = (int)total,
            Accuracy = accuracy,
            MicroF1 = accuracy,
            MacroPrecision = Mean(m => m.Precision),
            MacroRecall = Mean(m => m.Recall),
            MacroF1 = Mean(m => m.F1),
            LogLoss = 0,
            Top2Accuracy = 0,
            PerClass = perClass,
            Labels = labels.ToList(),
            Confusion = confusion,
        };
    }

    public static double F1(long tp, long fp, long fn) => tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;

    /// <summary>Indices of the largest and second-largest values; ties go to the lower index.</summary>
    public static (int Best, int Second) TopTwo(float[] p)
    {
        int best = 0, second = -1;
        for (int i = 1; i < p.Length; i++)
        {
            if (p[i] > p[best]) { second = best; best = i; }
            else if (second < 0 || p[i] > p[second]) second = i;
        }
        return (best, second);
    }
}
