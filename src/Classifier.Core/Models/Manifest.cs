using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Core.Models;

/// <summary>
/// The human-readable description stored as manifest.json in every model file: what `info` shows, and
/// what later commands need to use the model the way it was trained (text columns, labels).
/// </summary>
public sealed record Manifest
{
    /// <summary>Bumped whenever a reader of the old layout would misread the new one. 2: compact models (model.bin).</summary>
    public const int CurrentSchemaVersion = 2;
    public const string MultiClassTask = "multiclass";
    public const string MultiLabelTask = "multilabel";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Task { get; init; } = MultiClassTask;
    public required string ToolVersion { get; init; }
    public required string MlNetVersion { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
    public required IReadOnlyList<string> TextColumns { get; init; }
    public required string LabelColumn { get; init; }
    /// <summary>Labels in model order, each with its number of training examples.</summary>
    public required IReadOnlyList<LabelCount> Labels { get; init; }
    public required FeaturizerOptions Featurizer { get; init; }
    public required TrainerOptions Trainer { get; init; }
    /// <summary>Features the model uses: after pruning, when <see cref="Compact"/> says it pruned.</summary>
    public required int FeatureCount { get; init; }
    /// <summary>The compact layout: feature budget, weight precision, features before and after pruning.</summary>
    public CompactSettings? Compact { get; init; }
    public required DataDescription Data { get; init; }
    public double TrainSeconds { get; init; }
    /// <summary>Headline metrics on the holdout part or --test file; null when the model saw all the data.</summary>
    public MetricsSummary? Holdout { get; init; }
    /// <summary>Present on multi-label models (Task "multilabel").</summary>
    public MultiLabelSettings? MultiLabel { get; init; }
    /// <summary>The --label-map file the labels went through, if any.</summary>
    public string? LabelMap { get; init; }
    /// <summary>Present when `classifier tune` chose the settings: how it scored them.</summary>
    public TuneRecord? Tune { get; init; }
}

/// <summary>How `tune` chose a model's settings: the metric, the cross-validation folds, the trials run, and the best trial's score.</summary>
public sealed record TuneRecord(string Metric, int Folds, int Trials, double CvScore, double CvStd);

/// <summary>
/// What a multi-label model needs besides its weights: the separator, the Platt calibration of its margins,
/// each label's decision threshold (in label order), and the labels left out for having too few examples.
/// </summary>
public sealed record MultiLabelSettings(
    string Separator,
    double CalibrationA,
    double CalibrationB,
    IReadOnlyList<double> Thresholds,
    int MinLabels,
    int MaxLabels,
    int MinLabelCount,
    IReadOnlyList<LabelCount> Excluded,
    MultiLabelSummary? Holdout = null);

public sealed record MultiLabelSummary(int Examples, double MicroF1, double MacroF1, double ExactMatch, double HammingLoss)
{
    public static MultiLabelSummary From(Evaluation.MultiLabelMetrics m) => new(m.Examples, m.MicroF1, m.MacroF1, m.ExactMatch, m.HammingLoss);
}

public sealed record LabelCount(string Label, int Count);

public sealed record DataDescription(string Source, string Sha256, int Rows, int SkippedRows, int TrainRows, int TestRows);

public sealed record MetricsSummary(int Examples, double Accuracy, double MacroPrecision, double MacroRecall, double MacroF1, double LogLoss, double Top2Accuracy)
{
    public static MetricsSummary From(Evaluation.MulticlassMetrics m) =>
        new(m.Examples, m.Accuracy, m.MacroPrecision, m.MacroRecall, m.MacroF1, m.LogLoss, m.Top2Accuracy);
}
