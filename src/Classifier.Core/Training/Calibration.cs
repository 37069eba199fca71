namespace Classifier.Core.Training;

/// <summary>
/// Fits one temperature T so that softmax(T * margins) gives probabilities with the least log-loss on
/// held-out documents. SVM margins rank classes well but are not probabilities; one shared scale keeps the
/// ranking (so accuracy is unchanged) and is hard to overfit.
/// </summary>
public static class Calibration
{
    /// <summary>
    /// The temperature, fitted against Platt's smoothed targets: with n held-out documents, the true class's target is
    /// (n + 1) / (n + 2), not 1, and the rest is shared by the other classes. n documents all labelled right are no
    /// evidence that the model is never wrong, only that it is wrong less than about once in n + 2 (Laplace's rule of
    /// succession); a plain log-loss fit would drive T to its bound there and give 1.0000 to every prediction.
    /// </summary>
    public static double FitTemperature(IReadOnlyList<double[]> margins, IReadOnlyList<int> gold)
    {
        if (margins.Count == 0) return 1;
        var target = (margins.Count + 1.0) / (margins.Count + 2.0);
        // The log-loss is convex in T, so a golden-section search over log T finds the minimum.
        double lo = Math.Log(0.01), hi = Math.Log(100);
        const double phi = 0.6180339887498949;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
        double fa = SmoothedLogLoss(margins, gold, Math.Exp(a), target), fb = SmoothedLogLoss(margins, gold, Math.Exp(b), target);
        for (int i = 0; i < 60; i++)
        {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - phi * (hi - lo); fa = SmoothedLogLoss(margins, gold, Math.Exp(a), target); }
            else { lo = a; a = b; fa = fb; b = lo + phi * (hi - lo); fb = SmoothedLogLoss(margins, gold, Math.Exp(b), target); }
        }
        return Math.Exp((lo + hi) / 2);
    }

    /// <summary>Cross-entropy of softmax(t * margins) against targets of <paramref name="target"/> for the true class and an equal share of the rest for each other one.</summary>
    public static double SmoothedLogLoss(IReadOnlyList<double[]> margins, IReadOnlyList<int> gold, double t, double target)
    {
        double total = 0;
        for (int i = 0; i < margins.Count; i++)
        {
            var m = margins[i];
            double max = double.NegativeInfinity;
            foreach (var v in m) max = Math.Max(max, t * v);
            double sum = 0, others = 0;
            foreach (var v in m) sum += Math.Exp(t * v - max);
            var logSum = max + Math.Log(sum);
            for (int k = 0; k < m.Length; k++)
                if (k != gold[i]) others += t * m[k] - logSum;
            var rest = m.Length > 1 ? (1 - target) / (m.Length - 1) : 0;
            total += -(target * (t * m[gold[i]] - logSum) + rest * others);
        }
        return total / margins.Count;
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

    /// <summary>
    /// Platt scaling: A and B so that sigmoid(A * margin + B) is the probability of the positive class, by
    /// Newton's method on the log-loss with Platt's smoothed targets (which keep A finite on separable data).
    /// </summary>
    public static (double A, double B) FitSigmoid(IReadOnlyList<double> margins, IReadOnlyList<bool> positive)
    {
        int n = margins.Count, pos = positive.Count(p => p), neg = n - pos;
        if (pos == 0 || neg == 0) return (1, 0);
        double hi = (pos + 1.0) / (pos + 2.0), lo = 1.0 / (neg + 2.0);
        double a = 1, b = 0;
        for (int iter = 0; iter < 100; iter++)
        {
            double g1 = 0, g2 = 0, h11 = 1e-12, h22 = 1e-12, h21 = 0;
            for (int i = 0; i < n; i++)
            {
                var t = positive[i] ? hi : lo;
                var p = Sigmoid(a * margins[i] + b);
                var d = p - t;
                var w = Math.Max(p * (1 - p), 1e-12);
                g1 += d * margins[i];
                g2 += d;
                h11 += w * margins[i] * margins[i];
                h22 += w;
                h21 += w * margins[i];
            }
            var det = h11 * h22 - h21 * h21;
            if (Math.Abs(det) < 1e-18) break;
            var da = (h22 * g1 - h21 * g2) / det;
            var db = (h11 * g2 - h21 * g1) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) < 1e-9 && Math.Abs(db) < 1e-9) break;
        }
        return (a, b);
    }

    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
