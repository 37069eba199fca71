namespace Classifier.Core.Tuning;

/// <summary>
/// A trial against the defaults, fold by fold: the mean of the paired differences of their scores on the same folds
/// (positive = better than the defaults, log-loss included) and its standard error, corrected for the overlap of
/// cross-validation training sets (Nadeau and Bengio, "Inference for the generalization error", 2003): the variance of
/// the mean is s² × (1/n + n_test/n_train), not s²/n, since n folds that share most of their training data are not n
/// independent samples. With k folds n_test/n_train = 1/(k − 1).
/// </summary>
public readonly record struct PairedGain(double Gain, double StdErr, int Pairs)
{
    public static readonly PairedGain None = new(double.NaN, double.NaN, 0);

    /// <summary>The lower end of the one-standard-error band: above 0, the trial beats the defaults by more than its noise.</summary>
    public double LowerBound => Gain - StdErr;

    /// <param name="trial">The trial's score on each (repeat, fold), in the order the defaults' were taken.</param>
    /// <param name="defaults">The defaults' scores on the same (repeat, fold)s.</param>
    public static PairedGain Of(IReadOnlyList<double> trial, IReadOnlyList<double> defaults, TuneMetric metric, int folds)
    {
        var n = Math.Min(trial.Count, defaults.Count);
        if (n < 2) return None;
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = metric == TuneMetric.LogLoss ? defaults[i] - trial[i] : trial[i] - defaults[i];
        var mean = d.Average();
        var variance = d.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        var se = Math.Sqrt(variance * (1.0 / n + 1.0 / Math.Max(1, folds - 1)));
        return new PairedGain(mean, se, n);
    }

    /// <summary>
    /// The trial to keep: the one whose gain over the defaults most exceeds its standard error, if any does; else the
    /// defaults (trial 1). A trial must have run every (repeat, fold) the defaults ran.
    /// </summary>
    public static TuneTrial? Select(IReadOnlyList<TuneTrial> trials)
    {
        var done = trials.Where(t => t.Status == TuneTrial.Done).ToList();
        if (done.Count == 0) return null;
        var defaults = trials[0].Status == TuneTrial.Done ? trials[0] : null;
        if (defaults is null) return done[0];
        TuneTrial best = defaults;
        var bestBound = 0.0;
        foreach (var t in done)
        {
            if (t == defaults || t.Paired.Pairs < defaults.FoldScores.Count) continue;
            if (t.Paired.LowerBound > bestBound) (best, bestBound) = (t, t.Paired.LowerBound);
        }
        return best;
    }
}
