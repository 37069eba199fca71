namespace Classifier.Core.Tuning;

/// <summary>One trial of `tune`: its settings, the metric on each fold it ran, their mean and spread, its time, and how it ended.</summary>
public sealed record TuneTrial(int Number, TuneSettings Settings, IReadOnlyList<double> FoldScores, double Seconds, string Status)
{
    /// <summary>Ran on every fold.</summary>
    public const string Done = "done";
    /// <summary>Stopped after its first fold, which was well behind the best trial's.</summary>
    public const string Pruned = "pruned";
    /// <summary>Stopped when the time budget ran out or the search was interrupted.</summary>
    public const string Stopped = "stopped";

    public double Score => FoldScores.Count == 0 ? double.NaN : FoldScores.Average();

    public double Std => FoldScores.Count < 2 ? 0 : Training.CrossValidation.Stats(FoldScores).Std;
}

/// <summary>What `tune` found: every trial in order, the best finished one (the defaults when none finished), and whether it was interrupted.</summary>
public sealed record TuneResult(IReadOnlyList<TuneTrial> Trials, TuneTrial? Best, TuneSettings BestSettings, bool Interrupted, bool BudgetSpent);
