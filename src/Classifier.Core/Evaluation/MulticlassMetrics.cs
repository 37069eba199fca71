namespace Classifier.Core.Evaluation;

/// <summary>Everything we report about single-label predictions on a labelled set.</summary>
public sealed record MulticlassMetrics
{
    public required int Examples { get; init; }
    public required double Accuracy { get; init; }
    public required double MacroPrecision { get; init; }
    public required double MacroRecall { get; init; }
    public required double MacroF1 { get; init; }
    /// <summary>Micro-averaged F1; with one label per document it equals accuracy.</summary>
    public required double MicroF1 { get; init; }
    /// <summary>Mean negative natural log of the probability given to the true label.</summary>
    public required double LogLoss { get; init; }
    /// <summary>Share of documents whose true label is among the two most probable.</summary>
    public required double Top2Accuracy { get; init; }
    public required IReadOnlyList<ClassMetrics> PerClass { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>Confusion[true][predicted] counts, in <see cref="Labels"/> order.</summary>
    public required int[][] Confusion { get; init; }
}
