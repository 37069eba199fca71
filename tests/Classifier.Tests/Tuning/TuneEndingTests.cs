using Classifier.Core.Features;
using Classifier.Core.Training;
using Classifier.Core.Tuning;
using Classifier.Tests.Training;

namespace Classifier.Tests.Tuning;

/// <summary>Why a search ended, as `tune` reports it: its whole list tried, the --trials count, the time budget.</summary>
public sealed class TuneEndingTests
{
    private static TuneResult Run(TimeSpan? budget, int? trials) =>
        Tuner.Run(FoldWavesTests.Noisy(150), new FeaturizerOptions(), new TrainerOptions { Threads = 1 },
            new TuneOptions(TuneMetric.Accuracy, Folds: 3, TimeBudget: budget, MaxTrials: trials, Repeats: 1));

    [Fact]
    public void ASearchThatTriesItsWholeList_BeforeItsBudget_EndsAsSearchDone()
    {
        var r = Run(TimeSpan.FromMinutes(10), trials: null);
        Assert.True(r.ListDone);
        Assert.False(r.BudgetSpent);
        Assert.Equal("search done", r.Ended);
        // Every trial the list and its stages hold, more than the one-at-a-time list alone.
        var first = TuneSearch.OneAtATime(TuneSettings.From(new FeaturizerOptions(), new TrainerOptions())).Count;
        Assert.True(r.Trials.Count > first, $"{r.Trials.Count} trials, {first} in the first list");
    }

    [Fact]
    public void ASearchStoppedByItsTrialCount_EndsAsTrials()
    {
        var r = Run(budget: null, trials: 3);
        Assert.Equal(3, r.Trials.Count);
        Assert.False(r.ListDone);
        Assert.Equal("trials", r.Ended);
    }
}
