namespace Classifier.Core.Tuning;

/// <summary>
/// What `tune` does with a time budget left once its list of settings is tried: it splits the data again with the next
/// seed (one more repeat of the folds) and runs the defaults and the few trials that lead them on each new fold, so
/// that the trial it keeps rests on more paired scores than the split every trial ran on. Why: three folds give three
/// differences, whose spread can come out small by chance (20 Newsgroups kept a trial on a gain of +0.00035 ± 0.00014,
/// four documents in 11,314); more folds measure the spread and shrink it. A fold counts only when all of those trials
/// ran it (one cut by the budget or Ctrl-C is dropped), so every confirmed trial pairs with the defaults on the same
/// (repeat, fold)s, and a trial not confirmed, which then has fewer pairs than the defaults, can no longer be kept
/// (<see cref="PairedGain.Select"/>): the kept trial is one of the (at most three) leaders that were the likeliest to be
/// kept, or the defaults. Fold by fold rather than
/// trial by trial, so that the budget's end loses one fold's work at most, and two threads run two trials of a fold
/// at once rather than one fold of three alone.
/// </summary>
internal static class TuneConfirmation
{
    /// <summary>How many trials besides the defaults each new fold runs: the leaders by the lower end of their gain's band.</summary>
    public const int Candidates = 3;

    /// <summary>No more splits once the folds have been repeated this many times in all: past it, more pairs narrow the standard error little (its 1/(k − 1) term stays).</summary>
    public const int MaxRepeats = 10;

    /// <summary>
    /// The trials to confirm, best first: finished ones with a positive paired gain over the defaults on every
    /// (repeat, fold) the defaults ran (a trial at or below them can be kept after no number of folds), at most
    /// <see cref="Candidates"/>, by the lower end of their one-standard-error band. Empty when none leads the defaults.
    /// </summary>
    public static List<int> Pick(IReadOnlyList<TuneTrial> trials)
    {
        if (trials.Count == 0 || trials[0].Status != TuneTrial.Done) return [];
        var pairs = trials[0].FoldScores.Count;
        return Enumerable.Range(1, trials.Count - 1)
            .Where(i => trials[i].Status == TuneTrial.Done && trials[i].Paired.Pairs >= pairs && trials[i].Paired.Gain > 0)
            .OrderByDescending(i => trials[i].Paired.LowerBound).ThenBy(i => i)
            .Take(Candidates).ToList();
    }

    /// <summary>
    /// <paramref name="trials"/> with one fold's scores, which all of <paramref name="indices"/> (the defaults, index 0,
    /// first) ran: each gains its score in <paramref name="column"/> and <paramref name="secondsEach"/>, and each
    /// confirmed trial's paired gain is taken again against the defaults' longer list.
    /// </summary>
    public static List<TuneTrial> Commit(IReadOnlyList<TuneTrial> trials, IReadOnlyList<int> indices, IReadOnlyList<double> column, double secondsEach,
        TuneMetric metric, int folds)
    {
        var next = trials.ToList();
        for (int j = 0; j < indices.Count; j++)
        {
            var t = next[indices[j]];
            next[indices[j]] = t with { FoldScores = [.. t.FoldScores, column[j]], Seconds = Math.Round(t.Seconds + secondsEach, 2) };
        }
        var defaults = next[0];
        foreach (var i in indices.Where(i => i != 0))
            next[i] = next[i] with { Paired = PairedGain.Of(next[i].FoldScores, defaults.FoldScores, metric, folds) };
        return next;
    }
}
