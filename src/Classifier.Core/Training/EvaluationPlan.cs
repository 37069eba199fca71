using Classifier.Core.Data;

namespace Classifier.Core.Training;

/// <summary>How a training run is evaluated: not at all, on a held-out share of the data, on a test set, or by k folds.</summary>
public abstract record EvaluationPlan
{
    private EvaluationPlan()
    {
    }

    /// <summary>Train on every document; no evaluation.</summary>
    public static EvaluationPlan None { get; } = new NoEvaluation();

    /// <summary>Hold out <paramref name="fraction"/> of the documents (of each class, single-label), seeded by the trainer's seed.</summary>
    public static EvaluationPlan Holdout(double fraction) => fraction == 0 ? None : new HoldoutPlan(fraction);

    /// <summary>Train on every document, evaluate on <paramref name="test"/>.</summary>
    public static EvaluationPlan TestSet(LabeledDataset test) => new TestSetPlan(test);

    /// <summary>k-fold cross-validation (stratified, single-label): a model per fold, and no final model.</summary>
    public static EvaluationPlan Folds(int k) => new FoldsPlan(k);

    public sealed record NoEvaluation : EvaluationPlan;

    public sealed record HoldoutPlan(double Fraction) : EvaluationPlan;

    public sealed record TestSetPlan(LabeledDataset Test) : EvaluationPlan;

    public sealed record FoldsPlan(int K) : EvaluationPlan;

    /// <summary>How a holdout is taken, for the line above its evaluation ("20 % of each class").</summary>
    public string Describe(bool stratified) => this is HoldoutPlan h
        ? h.Fraction.ToString("P0", System.Globalization.CultureInfo.InvariantCulture) + (stratified ? " of each class" : "")
        : "";

    internal void Validate()
    {
        switch (this)
        {
            case HoldoutPlan { Fraction: not (> 0 and < 1) } h:
                throw new InputException($"--test-fraction must be at least 0 and below 1 (got {h.Fraction})");
            case FoldsPlan { K: < 2 } f:
                throw new InputException($"--folds must be at least 2 (got {f.K})");
        }
    }
}
