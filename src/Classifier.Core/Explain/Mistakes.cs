using Classifier.Core.Evaluation;

namespace Classifier.Core.Explain;

/// <summary>A wrong prediction: the document, its true label, the label given and the probability it was given with.</summary>
public sealed record Mistake(int Row, string Text, string TrueLabel, string Predicted, double Probability, double TrueProbability);

public static class Mistakes
{
    /// <summary>
    /// The wrong predictions made with the highest probability: the ones most worth reading, since they point at
    /// mislabelled data or at terms the model over-trusts. Ties keep input order.
    /// </summary>
    /// <param name="probabilities">Per document, one probability per entry of <paramref name="labels"/>.</param>
    public static IReadOnlyList<Mistake> MostConfident(IReadOnlyList<string> texts, IReadOnlyList<string> gold,
        IReadOnlyList<float[]> probabilities, IReadOnlyList<string> labels, int max)
    {
        if (texts.Count != gold.Count || gold.Count != probabilities.Count) throw new ArgumentException("texts, gold labels and probabilities differ in length");
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var wrong = new List<Mistake>();
        for (int d = 0; d < gold.Count; d++)
        {
            var p = probabilities[d];
            var (best, _) = MulticlassEvaluator.TopTwo(p);
            if (labels[best] == gold[d]) continue;
            var truth = index.TryGetValue(gold[d], out var t) ? p[t] : 0;
            wrong.Add(new Mistake(d, texts[d], gold[d], labels[best], p[best], truth));
        }
        return wrong.OrderByDescending(m => m.Probability).ThenBy(m => m.Row).Take(max).ToList();
    }
}
