using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Core.Models;

/// <summary>
/// The human-readable description stored as manifest.json in every model file: what `info` shows, and
/// what later commands need to use the model the way it was trained (text columns, labels).
/// </summary>
public sealed record Manifest
{
    /// <summary>Bumped whenever a reader of the old layout would misread the new one.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Task { get; init; } = "multiclass";
    public required string ToolVersion { get; init; }
    public required string MlNetVersion { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
    public required IReadOnlyList<string> TextColumns { get; init; }
    public required string LabelColumn { get; init; }
    /// <summary>Labels in model order, each with its number of training examples.</summary>
    public required IReadOnlyList<LabelCount> Labels { get; init; }
    public required FeaturizerOptions Featurizer { get; init; }
    public required TrainerOptions Trainer { get; init; }
    public required int FeatureCount { get; init; }
    public required DataDescription Data { get; init; }
    public double TrainSeconds { get; init; }
    /// <summary>Headline metrics on the holdout part or --test file; null when the model saw all the data.</summary>
    public MetricsSummary? Holdout { get; init; }
}

public sealed record LabelCount(string Label, int Count);

public sealed record DataDescription(string Source, string Sha256, int Rows, int SkippedRows, int TrainRows, int TestRows);

public sealed record MetricsSummary(int Examples, double Accuracy, double MacroPrecision, double MacroRecall, double MacroF1, double LogLoss, double Top2Accuracy)
{
    public static MetricsSummary From(Evaluation.MulticlassMetrics m) =>
        new(m.Examples, m.Accuracy, m.MacroPrecision, m.MacroRecall, m.MacroF1, m.LogLoss, m.Top2Accuracy);
}
