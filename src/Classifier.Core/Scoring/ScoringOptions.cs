namespace Classifier.Core.Scoring;

/// <summary>How `score` reads, predicts and writes. Defaults are the tool's defaults, shown in --help.</summary>
public sealed record ScoringOptions
{
    public const int DefaultBatchSize = 256;

    /// <summary>Text columns; null means the columns the model was trained on.</summary>
    public IReadOnlyList<string>? TextColumns { get; init; }
    /// <summary>Id column; null means "id" when the input has one, else the record's line number.</summary>
    public string? IdColumn { get; init; }
    /// <summary>Input columns copied to the output: null = all, empty = none.</summary>
    public IReadOnlyList<string>? Keep { get; init; }
    public int Top { get; init; } = 1;
    public int Threads { get; init; }
    public int BatchSize { get; init; } = DefaultBatchSize;
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    /// <summary>A document whose top probability is below this is labelled "unknown" (<see cref="Models.MinScore"/>); null: none.</summary>
    public double? MinScore { get; init; }

    public int EffectiveThreads => ThreadCount.Effective(Threads);

    public void Validate()
    {
        if (Top < 1) throw new InputException("--top must be at least 1");
        if (Threads < 0) throw new InputException("--threads must be 0 (all cores) or more");
        if (BatchSize < 1) throw new InputException("--batch-size must be at least 1");
        Models.MinScore.Validate(MinScore);
    }
}
