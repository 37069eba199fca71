using Classifier.Core.Data;
using Classifier.Core.Evaluation;
using Classifier.Core.Models;

namespace Classifier.Core.Training;

/// <summary>
/// A model's figures on labelled documents: the single-label metrics or the multi-label ones, and each document's
/// probabilities in model label order (plus, single-label, any labels the model never saw).
/// </summary>
public sealed record ModelEvaluation(MulticlassMetrics? Multiclass, MultiLabelMetrics? MultiLabel, float[][] Probabilities)
{
    /// <summary>Predicts every document of <paramref name="data"/> and scores the predictions.</summary>
    public static ModelEvaluation Of(ClassifierModel model, LabeledDataset data, int threads = 0, CancellationToken cancel = default)
    {
        data.LoadTexts(cancel);
        if (model.IsMultiLabel)
        {
            var (m, probabilities, _) = ModelTrainer.EvaluateMultiLabel(model, data, threads, cancel);
            return new ModelEvaluation(null, m, probabilities);
        }
        var (metrics, probs) = ModelTrainer.Evaluate(model, data, threads, cancel);
        return new ModelEvaluation(metrics, null, probs);
    }

    /// <summary>The headline figure: accuracy, or micro-F1 for a multi-label model.</summary>
    public double Headline => MultiLabel?.MicroF1 ?? Multiclass!.Accuracy;

    /// <summary>The model's manifest with these figures recorded as its held-out evaluation.</summary>
    public Manifest Record(Manifest manifest) => MultiLabel is not null
        ? manifest with { MultiLabel = manifest.MultiLabel! with { Holdout = MultiLabelSummary.From(MultiLabel) } }
        : manifest with { Holdout = MetricsSummary.From(Multiclass!) };
}
