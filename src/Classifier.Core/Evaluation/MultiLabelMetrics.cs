namespace Classifier.Core.Evaluation;

/// <summary>Everything we report about multi-label predictions on a labelled set.</summary>
public sealed record MultiLabelMetrics
{
    public required int Examples { get; init; }
    public required double MicroPrecision { get; init; }
    public required double MicroRecall { get; init; }
    public required double MicroF1 { get; init; }
    /// <summary>
    /// Macro averages run over the labels true or predicted in at least one evaluated document (those in
    /// <see cref="PerLabel"/>); a label that is neither has undefined F1 and is left out (see <see cref="MultiLabelEvaluator"/>).
    /// </summary>
    public required double MacroPrecision { get; init; }
    public required double MacroRecall { get; init; }
    public required double MacroF1 { get; init; }
    /// <summary>Share of documents whose predicted label set equals the true set exactly (subset accuracy).</summary>
    public required double ExactMatch { get; init; }
    /// <summary>Share of (document, label) decisions that are wrong, over documents × <see cref="LabelColumns"/>.</summary>
    public required double HammingLoss { get; init; }
    /// <summary>The labels every document is decided on: the model's, plus any true label the model does not know.</summary>
    public required int LabelColumns { get; init; }
    /// <summary>The labels true or predicted in at least one document, in ordinal order: the ones macro averages run over.</summary>
    public required IReadOnlyList<ClassMetrics> PerLabel { get; init; }
}
