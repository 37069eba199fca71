namespace Classifier.Core.Training;

/// <summary>
/// Picks the decision threshold on a label's probabilities that maximises its F1 on validation documents.
/// Predicting "yes" for every score at or above the threshold, the best cut lies between two consecutive
/// distinct scores; we return their midpoint, which generalises better than either end.
/// </summary>
public static class ThresholdTuning
{
    /// <summary>Used when the validation data has no positive for the label: nothing to tune on.</summary>
    public const double Fallback = 0.5;

    public static (double Threshold, double F1) BestF1(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        int totalPositive = positive.Count(p => p);
        if (totalPositive == 0) return (Fallback, 0);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        int tp = 0, fp = 0;
        double bestF1 = -1, best = Fallback;
        for (int k = 0; k < order.Length; k++)
        {
            if (positive[order[k]]) tp++; else fp++;
            // Only cut between distinct scores: a threshold cannot separate equal ones.
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]]) continue;
            var f1 = 2.0 * tp / (2.0 * tp + fp + (totalPositive - tp));
            if (f1 > bestF1)
            {
                bestF1 = f1;
                var below = k + 1 < order.Length ? scores[order[k + 1]] : 0;
                best = (scores[order[k]] + below) / 2;
            }
        }
        return (best, bestF1);
    }
}
