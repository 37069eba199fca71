namespace Classifier.Core.Evaluation;

/// <summary>Computes <see cref="MultiLabelMetrics"/> from true and predicted label sets.</summary>
public static class MultiLabelEvaluator
{
    public static MultiLabelMetrics Evaluate(IReadOnlyList<IReadOnlyCollection<string>> gold, IReadOnlyList<IReadOnlyCollection<string>> predicted)
    {
        if (gold.Count != predicted.Count) throw new ArgumentException("gold and predicted differ in length");
        var labels = gold.SelectMany(g => g).Concat(predicted.SelectMany(p => p)).Distinct().OrderBy(l => l, StringComparer.Ordinal).ToList();
        var counts = labels.ToDictionary(l => l, _ => new int[3]); // tp, fp, fn
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
        var perLabel = labels.Select(l =>
        {
            var (tp, fp, fn) = (counts[l][0], counts[l][1], counts[l][2]);
            return new ClassMetrics(l, Ratio(tp, tp + fp), Ratio(tp, tp + fn), MulticlassEvaluator.F1(tp, fp, fn), tp + fn);
        }).ToList();
        var present = perLabel.Where(m => m.Support > 0).ToList();
        long tpAll = counts.Values.Sum(c => (long)c[0]), fpAll = counts.Values.Sum(c => (long)c[1]), fnAll = counts.Values.Sum(c => (long)c[2]);
        double Mean(Func<ClassMetrics, double> f) => present.Count == 0 ? 0 : present.Average(f);
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
            HammingLoss = n == 0 || labels.Count == 0 ? 0 : (double)wrong / ((long)n * labels.Count),
            PerLabel = perLabel,
        };
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;
}
