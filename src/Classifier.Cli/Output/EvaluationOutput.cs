using Classifier.Core.Data;
using Classifier.Core.Evaluation;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Cli.Output;

/// <summary>
/// A model evaluated on labelled data, in every form the verbs print or save: the --json object, the text
/// tables, the Markdown report. Single-label and multi-label models differ only inside this class.
/// </summary>
public sealed class EvaluationOutput
{
    public required Dictionary<string, object?> Json { get; init; }
    public required string Text { get; init; }
    public MulticlassMetrics? Multiclass { get; init; }
    public MultiLabelMetrics? MultiLabel { get; init; }
    /// <summary>Per document, the probability of each label in model order (plus any labels unseen in training).</summary>
    public required float[][] Probabilities { get; init; }

    public static EvaluationOutput Evaluate(ClassifierModel model, LabeledDataset data, int threads, double? trainSeconds, CancellationToken cancel)
    {
        if (model.IsMultiLabel)
        {
            var (m, probabilities, _) = ModelTrainer.EvaluateMultiLabel(model, data, threads, cancel);
            return new EvaluationOutput
            {
                Json = MultiLabelOutput.Json(m, model, trainSeconds),
                Text = MultiLabelOutput.Text(m, model),
                MultiLabel = m,
                Probabilities = probabilities,
            };
        }
        var (metrics, probs) = ModelTrainer.Evaluate(model, data, threads, cancel);
        return new EvaluationOutput
        {
            Json = MetricsJson.Build(metrics, trainSeconds),
            Text = MetricsText.Render(metrics),
            Multiclass = metrics,
            Probabilities = probs,
        };
    }

    public string Markdown(ClassifierModel model, IEnumerable<(string Key, string Value)> context) =>
        MultiLabel is not null ? MultiLabelOutput.Markdown(MultiLabel, model, context) : ReportWriter.Markdown(Multiclass!, context);

    /// <summary>The headline figures recorded in the model's manifest.</summary>
    public Manifest Record(Manifest manifest) => MultiLabel is not null
        ? manifest with { MultiLabel = manifest.MultiLabel! with { Holdout = MultiLabelSummary.From(MultiLabel) } }
        : manifest with { Holdout = MetricsSummary.From(Multiclass!) };

    public double Headline => MultiLabel?.MicroF1 ?? Multiclass!.Accuracy;
}
