using Classifier.Core.Features;
using Classifier.Core.Training;
using Classifier.Core.Tuning;
using Classifier.Tests.Training;

namespace Classifier.Tests.Tuning;

/// <summary>
/// The folds of new splits `tune` runs with the budget its list left: which trials they confirm, how a fold joins the scores, and
/// that the trial kept is then one that ran every fold.
/// </summary>
public sealed class TuneConfirmationTests
{
    private static readonly TuneSettings Defaults = new(1, 2, 2, 5, 1, true, 0, ClassWeighting.None);

    private static TuneTrial Trial(int number, double[] scores, double[] defaults, string status = TuneTrial.Done) =>
        new(number, Defaults with { C = number }, scores, 1, status)
        {
            Paired = number == 1 || status != TuneTrial.Done ? PairedGain.None : PairedGain.Of(scores, defaults, TuneMetric.Accuracy, 3),
        };

    [Fact]
    public void Pick_TakesTheThreeLeadersByTheLowerEndOfTheirBand_OnlyTrialsAheadOfTheDefaults()
    {
        double[] d = [0.90, 0.90, 0.90];
        var trials = new List<TuneTrial>
        {
            Trial(1, d, d),
            Trial(2, [0.92, 0.88, 0.93], d), // gain +0.01, wide band
            Trial(3, [0.89, 0.89, 0.89], d), // behind: never confirmed
            Trial(4, [0.905, 0.905, 0.906], d), // +0.0053, narrow
            Trial(5, [0.91, 0.91, 0.91], d), // +0.01, no spread: the first
            Trial(6, [0.99], d, TuneTrial.Pruned), // one fold: not comparable
            Trial(7, [0.902, 0.901, 0.903], d), // +0.002, narrow
            Trial(8, [0.90, 0.90, 0.90], d), // equal: no gain to confirm
        };
        // Lower ends: trial 5 0.01, trial 4 0.0053 − 0.0005, trial 7 0.002 − 0.0009, trial 2 0.01 − 0.0241.
        Assert.Equal([4, 3, 6], TuneConfirmation.Pick(trials));
        // The defaults not done: nothing to pair with.
        Assert.Empty(TuneConfirmation.Pick([Trial(1, [], d, TuneTrial.Stopped), Trial(2, [0.95, 0.95, 0.95], d)]));
    }

    [Fact]
    public void Commit_AppendsTheRound_AndPairsTheConfirmedTrialsAgainWithTheLongerDefaults()
    {
        double[] d = [0.90, 0.90, 0.90];
        var trials = new List<TuneTrial> { Trial(1, d, d), Trial(2, [0.91, 0.91, 0.91], d), Trial(3, [0.92, 0.90, 0.91], d) };
        // Three folds of a new split, one at a time, each run by the defaults and trial 3 (1 s each a fold).
        var next = trials;
        foreach (var column in new[] { new[] { 0.89, 0.90 }, [0.90, 0.92], [0.91, 0.91] })
            next = TuneConfirmation.Commit(next, [0, 2], column, 1.0, TuneMetric.Accuracy, 3);
        Assert.Equal([0.90, 0.90, 0.90, 0.89, 0.90, 0.91], next[0].FoldScores);
        Assert.Equal(4.0, next[0].Seconds);
        // Trial 3's six differences: +0.02, 0, +0.01, +0.01, +0.02, 0 (mean 0.01, sample variance 0.00008), and with
        // 3-fold splits the corrected variance of the mean is 0.00008 × (1/6 + 1/2).
        Assert.Equal(6, next[2].Paired.Pairs);
        Assert.Equal(0.01, next[2].Paired.Gain, 10);
        Assert.Equal(Math.Sqrt(0.00008 * (1.0 / 6 + 0.5)), next[2].Paired.StdErr, 10);
        Assert.Equal(4.0, next[2].Seconds);
        // Trial 2 ran no new fold: its three pairs stand, and it can no longer be kept (fewer pairs than the defaults).
        Assert.Same(trials[1], next[1]);
        Assert.Equal(3, next[1].Paired.Pairs);
        Assert.Equal(next[2], PairedGain.Select(next));
    }

    [Fact]
    public void ABudgetLeftAfterTheList_RunsFoldsOfNewSplits_AndTheSameTrialsOnTheFirstSplit()
    {
        var data = FoldWavesTests.Noisy(150);
        TuneResult Run(TimeSpan? budget, int? trials, int threads = 1) => Tuner.Run(data, new FeaturizerOptions(), new TrainerOptions { Threads = threads },
            new TuneOptions(TuneMetric.Accuracy, Folds: 3, TimeBudget: budget, MaxTrials: trials, Repeats: 1));
        var budgeted = Run(TimeSpan.FromMinutes(10), null);
        Assert.True(budgeted.ListDone);
        Assert.True(budgeted.ConfirmationFolds > 0, "no fold confirmed");
        var folds = 3 + budgeted.ConfirmationFolds;
        Assert.Equal(folds, budgeted.Trials[0].FoldScores.Count);
        // The new folds are of other splits (the next seeds), not the first one again.
        var d = budgeted.Trials[0].FoldScores;
        Assert.False(Enumerable.Range(0, folds).All(i => d[i] == d[i % 3]), "the new folds scored as the first split's");
        // Each confirmed trial's gain is taken over every fold it ran with the defaults.
        Assert.NotEmpty(budgeted.Confirmed);
        Assert.All(budgeted.Confirmed, t => Assert.Equal(t.FoldScores.Count, t.Paired.Pairs));
        // Whole splits (the budget is never reached here) while a confirmed trial still leads, up to the cap.
        Assert.Equal(0, budgeted.ConfirmationFolds % 3);
        Assert.True(folds == 3 * TuneConfirmation.MaxRepeats || budgeted.Confirmed.All(t => t.Paired.Gain <= 0));
        // The one kept ran them all (or is the defaults).
        Assert.True(budgeted.Best!.Number == 1 || budgeted.Best.FoldScores.Count == folds);
        // Two threads run two trials of a fold at once, and confirm the same (with two leaders or more, the third
        // trial of a fold starts from the first's solution on one thread as on two).
        Assert.True(budgeted.Confirmed.Count >= 2, $"{budgeted.Confirmed.Count} trials confirmed");
        var two = Run(TimeSpan.FromMinutes(10), null, threads: 2);
        Assert.Equal(budgeted.Trials.Select(t => string.Join(",", t.FoldScores)), two.Trials.Select(t => string.Join(",", t.FoldScores)));
        // Without a budget there is nothing to fill: the same trials, the same first-split scores, no more folds.
        var counted = Run(null, budgeted.Trials.Count);
        Assert.Equal(0, counted.ConfirmationFolds);
        Assert.Empty(counted.Confirmed);
        // The best mean is chosen over the folds every trial ran, as without confirmation, and shown as its row stands.
        Assert.Equal(counted.BestMean!.Number, budgeted.BestMean!.Number);
        Assert.Same(budgeted.Trials[budgeted.BestMean.Number - 1], budgeted.BestMean);
        Assert.Equal(counted.Trials.Select(t => $"{t.Settings} {string.Join(",", t.FoldScores)}"),
            budgeted.Trials.Select(t => $"{t.Settings} {string.Join(",", t.FoldScores.Take(3))}"));
    }
}
