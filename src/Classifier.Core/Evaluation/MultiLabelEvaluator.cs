namespace Classifier.Core.Evaluation;

/// <summary>Computes <see cref="MultiLabelMetrics"/> from true and predicted label sets.</summary>
/// <remarks>
/// The convention, the same as <see cref="MulticlassEvaluator"/>'s and scikit-learn's for single-label data: macro
/// averages run over the labels that are true or predicted in at least one evaluated document. A label that is neither
/// has no defined precision, recall or F1 (0/0), so it is left out rather than counted as 0, which would make the
/// average depend on how many of the model's labels the file happens to lack. A label that is predicted but never
/// true (or true but never predicted) counts, with F1 0. Hamming loss divides the wrong (document, label) decisions by
/// documents × label columns, where the columns are the model's labels plus any true label the model does not know
/// (always wrong): every document gets a decision on every model label, whether the file mentions it or not.
/// </remarks>
public static class MultiLabelEvaluator
{
    /// <param name="labels">The model's labels: the columns every document is decided on.</param>
    public static MultiLabelMetrics Evaluate(IReadOnlyList<IReadOnlyCollection<string>> gold, IReadOnlyList<IReadOnlyCollection<string>> predicted,
        IReadOnlyCollection<string> labels)
    {
        if (gold.Count != predicted.Count) throw new ArgumentException("gold and predicted differ in length");
        var seen = gold.SelectMany(g => g).Concat(predicted.SelectMany(p => p)).Distinct().OrderBy(l => l, StringComparer.Ordinal).ToList();
        var columns = labels.Concat(seen).Distinct().Count();
        var counts = seen.ToDictionary(l => l, _ => new int[3]); // tp, fp, fn
        int exact = 0;
        long wrong = 0;
        for (int d = 0; d < gold.Count; d++)
        {
            var g = gold[d];
            var p = predicted[d];
            foreach (var l in p)
            {
                if (g.Contains(l)) counts[l][0]++;
                else { counts[l][1]++; wrong++; }
            }
            foreach (var l in g)
                if (!p.Contains(l)) { counts[l][2]++; wrong++; }
            if (g.Count == p.Count && g.All(p.Contains)) exact++;
        }
        // Only the labels true or predicted somewhere are listed and averaged over (see the remarks).
        var perLabel = seen.Select(l =>
        {
            var (tp, fp, fn) = (counts[l][0], counts[l][1], counts[l][2]);
            return new ClassMetrics(l, Ratio(tp, tp + fp), Ratio(tp, tp + fn), MulticlassEvaluator.F1(tp, fp, fn), tp + fn);
        }).ToList();
        long tpAll = counts.Values.Sum(c => (long)c[0]), fpAll = counts.Values.Sum(c => (long)c[1]), fnAll = counts.Values.Sum(c => (long)c[2]);
        double Mean(Func<ClassMetrics, double> f) => perLabel.Count == 0 ? 0 : perLabel.Average(f);
        var n = gold.Count;
        return new MultiLabelMetrics
        {
            Examples = n,
            MicroPrecision = Ratio(tpAll, tpAll + fpAll),
            MicroRecall = Ratio(tpAll, tpAll + fnAll),
            MicroF1 = MulticlassEvaluator.F1(tpAll, fpAll, fnAll),
            MacroPrecision = Mean(m => m.Precision),
            MacroRecall = Mean(m => m.Recall),
            MacroF1 = Mean(m => m.F1),
            ExactMatch = Ratio(exact, n),
            HammingLoss = n == 0 || columns == 0 ? 0 : (double)wrong / ((long)n * columns),
            LabelColumns = columns,
            PerLabel = perLabel,
        };
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;
}
