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

    /// <param name="skippedRows">Rows of the data read that were left out (bad rows), said in the text and as "skipped_rows" in --json.</param>
    /// <param name="skippedFrom">What they were read from, for the text ("of test.csv").</param>
    public static EvaluationOutput Evaluate(ClassifierModel model, LabeledDataset data, int threads, double? trainSeconds, CancellationToken cancel,
        int skippedRows = 0, string skippedFrom = "") =>
        From(model, ModelEvaluation.Of(model, data, threads, cancel), trainSeconds, skippedRows, skippedFrom);

    /// <summary>The forms of an evaluation already made (by <see cref="TrainingWorkflow"/>).</summary>
    public static EvaluationOutput From(ClassifierModel model, ModelEvaluation evaluation, double? trainSeconds, int skippedRows = 0, string skippedFrom = "")
    {
        if (evaluation.MultiLabel is { } m)
        {
            var json = MultiLabelOutput.Json(m, model, trainSeconds);
            json["skipped_rows"] = skippedRows;
            return new EvaluationOutput
            {
                Json = json,
                Text = MultiLabelOutput.Text(m, model) + SkippedLine(skippedRows, skippedFrom),
                MultiLabel = m,
                Probabilities = evaluation.Probabilities,
            };
        }
        var metrics = evaluation.Multiclass!;
        var body = MetricsJson.Build(metrics, trainSeconds);
        body["skipped_rows"] = skippedRows;
        return new EvaluationOutput
        {
            Json = body,
            Text = MetricsText.Render(metrics) + SkippedLine(skippedRows, skippedFrom),
            Multiclass = metrics,
            Probabilities = evaluation.Probabilities,
        };
    }

    /// <summary>The line that says an evaluation left rows out, so that its figures are not read as covering them; empty when none were.</summary>
    public static string SkippedLine(int skippedRows, string from) => skippedRows == 0 ? ""
        : $"\n{skippedRows:N0} bad row{(skippedRows == 1 ? "" : "s")} {from} {(skippedRows == 1 ? "was" : "were")} left out (see the warnings): the figures above do not count {(skippedRows == 1 ? "it" : "them")}.\n";

    public string Markdown(ClassifierModel model, IEnumerable<(string Key, string Value)> context) =>
        MultiLabel is not null ? MultiLabelOutput.Markdown(MultiLabel, model, context) : ReportWriter.Markdown(Multiclass!, context);

    /// <summary>The headline figures recorded in the model's manifest.</summary>
    public Manifest Record(Manifest manifest) => new ModelEvaluation(Multiclass, MultiLabel, Probabilities).Record(manifest);

    public double Headline => MultiLabel?.MicroF1 ?? Multiclass!.Accuracy;
}
