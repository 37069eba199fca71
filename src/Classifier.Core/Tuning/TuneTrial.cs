namespace Classifier.Core.Tuning;

/// <summary>
/// One trial of `tune`: its settings, the metric on each (repeat, fold) it ran, their mean and spread, its paired gain
/// over the defaults on the same folds, its time, and how it ended.
/// </summary>
public sealed record TuneTrial(int Number, TuneSettings Settings, IReadOnlyList<double> FoldScores, double Seconds, string Status)
{
    /// <summary>Against the defaults (trial 1) on the same folds; <see cref="PairedGain.None"/> for trial 1 and trials stopped early.</summary>
    public PairedGain Paired { get; init; } = PairedGain.None;

    /// <summary>Ran on every fold.</summary>
    public const string Done = "done";
    /// <summary>Stopped after its first fold, which was well behind the best trial's.</summary>
    public const string Pruned = "pruned";
    /// <summary>Stopped when the time budget ran out or the search was interrupted.</summary>
    public const string Stopped = "stopped";

    public double Score => FoldScores.Count == 0 ? double.NaN : FoldScores.Average();

    public double Std => FoldScores.Count < 2 ? 0 : Training.CrossValidation.Stats(FoldScores).Std;
}

/// <summary>
/// What `tune` found: every trial in order, the one kept (<see cref="PairedGain.Select"/>: the defaults unless a trial
/// beats them by more than its standard error), the best mean whether kept or not, how many times the folds were
/// repeated, and why the search ended.
/// </summary>
/// <param name="ListDone">The search tried every setting on its list (<see cref="TuneSearch"/>) before its budget ran out.</param>
/// <param name="ConfirmationFolds">Folds of new splits run after the list with the budget left (<see cref="TuneConfirmation"/>) by the defaults and the trials that led them.</param>
public sealed record TuneResult(IReadOnlyList<TuneTrial> Trials, TuneTrial? Best, TuneSettings BestSettings, bool Interrupted, bool BudgetSpent,
    TuneTrial? BestMean = null, int Repeats = 1, bool ListDone = false, int ConfirmationFolds = 0)
{
    /// <summary>How long the search took, seconds (the folds that the budget's end cut short included).</summary>
    public double Seconds { get; init; }

    /// <summary>The trials besides the defaults that the confirmation ran (those with more folds than the first splits gave), in order.</summary>
    public IReadOnlyList<TuneTrial> Confirmed => ConfirmationFolds == 0 ? []
        : Trials.Skip(1).Where(t => t.FoldScores.Count > Trials[0].FoldScores.Count - ConfirmationFolds).ToList();

    /// <summary>
    /// Why the search ended, as `tune --json` says it: "interrupted", "time budget", "search done" (every setting on its
    /// list tried, also when that took exactly --trials) or "trials" (the --trials count reached first).
    /// </summary>
    public string Ended => Interrupted ? "interrupted" : BudgetSpent ? "time budget" : ListDone ? "search done" : "trials";
}
