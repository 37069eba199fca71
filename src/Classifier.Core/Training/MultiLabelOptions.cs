namespace Classifier.Core.Training;

/// <summary>Multi-label settings; the defaults are the tool's defaults, shown in --help.</summary>
public sealed record MultiLabelOptions
{
    public const string DefaultSeparator = ";";

    public string Separator { get; init; } = DefaultSeparator;
    /// <summary>Fewest labels a document gets (the most probable ones); -1 = automatic: 1 when every training document has a label, else 0.</summary>
    public int MinLabels { get; init; } = -1;
    /// <summary>Most labels a document gets; 0 = no cap.</summary>
    public int MaxLabels { get; init; }
    /// <summary>Labels with fewer training documents are reported and left out.</summary>
    public int MinLabelCount { get; init; } = 2;
    /// <summary>
    /// A label whose best out-of-fold F1 stays below this gets <see cref="ConservativeThreshold"/> instead of
    /// its tuned one (Yang's SCutFBR): for rare labels the tuned cut sinks very low and floods the output
    /// with false positives.
    /// </summary>
    public double MinValidationF1 { get; init; } = 0.3;
    public const double ConservativeThreshold = 0.5;

    /// <summary>Folds over the training data whose out-of-fold scores tune the thresholds and calibration.</summary>
    public int ValidationFolds { get; init; } = 3;

    public void Validate()
    {
        if (string.IsNullOrEmpty(Separator)) throw new InputException("--label-separator must not be empty");
        if (MinLabels < -1) throw new InputException("--min-labels must be 0 or more");
        if (MaxLabels < 0) throw new InputException("--max-labels must be 0 (no cap) or more");
        if (MaxLabels > 0 && MinLabels > MaxLabels) throw new InputException("--min-labels cannot exceed --max-labels");
        if (!(MinValidationF1 is >= 0 and <= 1)) throw new InputException("--min-validation-f1 must be between 0 and 1");
        if (MinLabelCount < 1) throw new InputException("--min-label-count must be at least 1");
        // Not a command-line option: a library caller's mistake, not bad input.
        if (ValidationFolds < 2) throw new ArgumentOutOfRangeException(nameof(ValidationFolds), ValidationFolds, "multi-label validation needs at least 2 folds");
    }
}
