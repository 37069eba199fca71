namespace Classifier.Core.Evaluation;

/// <summary>Everything we report about multi-label predictions on a labelled set.</summary>
public sealed record MultiLabelMetrics
{
    public required int Examples { get; init; }
    public required double MicroPrecision { get; init; }
    public required double MicroRecall { get; init; }
    public required double MicroF1 { get; init; }
    /// <summary>Macro averages run over the labels present in the evaluated data.</summary>
    public required double MacroPrecision { get; init; }
    public required double MacroRecall { get; init; }
    public required double MacroF1 { get; init; }
    /// <summary>Share of documents whose predicted label set equals the true set exactly (subset accuracy).</summary>
    public required double ExactMatch { get; init; }
    /// <summary>Share of (document, label) decisions that are wrong.</summary>
    public required double HammingLoss { get; init; }
    public required IReadOnlyList<ClassMetrics> PerLabel { get; init; }
}
