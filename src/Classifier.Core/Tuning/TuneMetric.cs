using Classifier.Core.Evaluation;

namespace Classifier.Core.Tuning;

/// <summary>What `tune` maximises (or, for log-loss, minimises) over the cross-validation folds.</summary>
public enum TuneMetric { Accuracy, MacroF1, LogLoss }

public static class TuneMetrics
{
    public static string Name(this TuneMetric m) => m switch { TuneMetric.MacroF1 => "macro-f1", TuneMetric.LogLoss => "log-loss", _ => "accuracy" };

    public static TuneMetric Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "accuracy" => TuneMetric.Accuracy,
        "macro-f1" => TuneMetric.MacroF1,
        "log-loss" => TuneMetric.LogLoss,
        "micro-f1" => throw new InputException("--metric micro-f1 is for multi-label data; for single-label data it equals accuracy: use accuracy, macro-f1 or log-loss"),
        _ => throw new InputException($"--metric takes accuracy, macro-f1 or log-loss, not '{value}'"),
    };

    public static double Of(this TuneMetric m, MulticlassMetrics metrics) => m switch
    {
        TuneMetric.MacroF1 => metrics.MacroF1,
        TuneMetric.LogLoss => metrics.LogLoss,
        _ => metrics.Accuracy,
    };

    /// <summary>Whether score <paramref name="a"/> is better than <paramref name="b"/> (higher, or lower for log-loss).</summary>
    public static bool Better(this TuneMetric m, double a, double b) => m == TuneMetric.LogLoss ? a < b : a > b;
}
