using Classifier.Core.Evaluation;

namespace Classifier.Core.Tuning;

/// <summary>What `tune` maximises (or, for log-loss, minimises) over the cross-validation folds; micro-F1 is for multi-label data.</summary>
public enum TuneMetric { Accuracy, MacroF1, LogLoss, MicroF1 }

public static class TuneMetrics
{
    public static string Name(this TuneMetric m) => m switch
    {
        TuneMetric.MacroF1 => "macro-f1", TuneMetric.LogLoss => "log-loss", TuneMetric.MicroF1 => "micro-f1", _ => "accuracy",
    };

    public static TuneMetric Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "accuracy" => TuneMetric.Accuracy,
        "macro-f1" => TuneMetric.MacroF1,
        "log-loss" => TuneMetric.LogLoss,
        "micro-f1" => TuneMetric.MicroF1,
        _ => throw new InputException($"--metric takes accuracy, macro-f1 or log-loss (single-label), micro-f1 or macro-f1 (multi-label), not '{value}'"),
    };

    /// <summary>The metric for the kind of data: multi-label takes micro-F1 (the default) or macro-F1; single-label takes the rest.</summary>
    public static TuneMetric For(TuneMetric requested, bool multiLabel, bool given) => (requested, multiLabel) switch
    {
        (TuneMetric.MicroF1, false) => throw new InputException("--metric micro-f1 is for multi-label data; for single-label data it equals accuracy: use accuracy, macro-f1 or log-loss"),
        (TuneMetric.Accuracy, true) when !given => TuneMetric.MicroF1,
        (TuneMetric.Accuracy or TuneMetric.LogLoss, true) => throw new InputException($"--metric {requested.Name()} is for single-label data; multi-label tune takes micro-f1 or macro-f1"),
        _ => requested,
    };

    public static double Of(this TuneMetric m, MultiLabelMetrics metrics) => m == TuneMetric.MacroF1 ? metrics.MacroF1 : metrics.MicroF1;

    public static double Of(this TuneMetric m, MulticlassMetrics metrics) => m switch
    {
        TuneMetric.MacroF1 => metrics.MacroF1,
        TuneMetric.LogLoss => metrics.LogLoss,
        _ => metrics.Accuracy,
    };

    /// <summary>Whether score <paramref name="a"/> is better than <paramref name="b"/> (higher, or lower for log-loss).</summary>
    public static bool Better(this TuneMetric m, double a, double b) => m == TuneMetric.LogLoss ? a < b : a > b;
}
