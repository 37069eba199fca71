namespace Classifier.Core.Training;

/// <summary>
/// Fits one temperature T so that softmax(T * margins) gives probabilities with the least log-loss on
/// held-out documents. SVM margins rank classes well but are not probabilities; one shared scale keeps the
/// ranking (so accuracy is unchanged) and is hard to overfit.
/// </summary>
internal static class Calibration
{
    public static double FitTemperature(IReadOnlyList<double[]> margins, IReadOnlyList<int> gold)
    {
        if (margins.Count == 0) return 1;
        // The log-loss is convex in T, so a golden-section search over log T finds the minimum.
        double lo = Math.Log(0.01), hi = Math.Log(100);
        const double phi = 0.6180339887498949;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
        double fa = LogLoss(margins, gold, Math.Exp(a)), fb = LogLoss(margins, gold, Math.Exp(b));
        for (int i = 0; i < 60; i++)
        {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - phi * (hi - lo); fa = LogLoss(margins, gold, Math.Exp(a)); }
            else { lo = a; a = b; fa = fb; b = lo + phi * (hi - lo); fb = LogLoss(margins, gold, Math.Exp(b)); }
        }
        return Math.Exp((lo + hi) / 2);
    }

    public static double LogLoss(IReadOnlyList<double[]> margins, IReadOnlyList<int> gold, double t)
    {
        double total = 0;
        for (int i = 0; i < margins.Count; i++)
        {
            var m = margins[i];
            double max = double.NegativeInfinity;
            foreach (var v in m) max = Math.Max(max, t * v);
            double sum = 0;
            foreach (var v in m) sum += Math.Exp(t * v - max);
            total += -(t * m[gold[i]] - max - Math.Log(sum));
        }
        return total / margins.Count;
    }
}
