using System.Globalization;
using System.Text;
using Classifier.Cli.Options;
using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Evaluation;
using Classifier.Core.Explain;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Cli.Output;

/// <summary>Writes report.html into a --report folder, next to metrics.json and metrics.md.</summary>
public static class HtmlReportFile
{
    public const string FileName = "report.html";

    /// <summary>For train and evaluate: the evaluation, and the documents it was made on (for the mistakes).</summary>
    public static void Write(string folder, EvaluationOutput evaluation, LabeledDataset evaluated, IEnumerable<(string Key, string Value)> context, HtmlReportInput input)
    {
        var facts = context.ToList();
        if (evaluation.Multiclass is { } m)
        {
            var mistakes = input.Mistakes ?? Mistakes.MostConfident(evaluated.Texts, evaluated.Labels, evaluation.Probabilities, m.Labels, HtmlReport.MaxMistakes);
            Save(folder, input.Verb, HtmlReport.Sections(m, facts, input with { Mistakes = mistakes }));
            return;
        }
        // Multi-label: the per-label table and thresholds section plugs in here, in place of the confusion matrix.
        Save(folder, input.Verb,
        [
            new SummarySection(Tiles(evaluation.Json), null, facts, input),
            new NoteSection("per-label", "Per-label metrics", "The per-label table and the thresholds are in metrics.md next to this file."),
            new TopTermsSection(input.Model, input.TopTermsNote),
        ]);
    }

    /// <summary>For cross-validate: pooled metrics, and whatever per-document predictions the run kept.</summary>
    public static void Write(string folder, MulticlassMetrics pooled, IEnumerable<(string Key, string Value)> context, HtmlReportInput input) =>
        Save(folder, input.Verb, HtmlReport.Sections(pooled, context.ToList(), input));

    /// <summary>The settings that shaped the model, as the command-line options that set them.</summary>
    public static IReadOnlyList<(string Key, string Value)> Settings(FeaturizerOptions f, TrainerOptions t)
    {
        string I(double v) => v.ToString(CultureInfo.InvariantCulture);
        var list = new List<(string, string)> { ("--trainer", t.Trainer.Name()) };
        if (t.Trainer == TrainerKind.Svm) list.Add(("--c", I(t.C)));
        else list.Add(("--l2", I(t.L2)));
        list.Add(("--iterations", t.Iterations == 0 ? "0 (trainer default)" : I(t.Iterations)));
        list.Add(("--seed", I(t.Seed)));
        list.Add(("--word-ngrams", I(f.WordNgrams)));
        list.Add(("--char-ngrams", f.CharNgramsEnabled ? $"{f.CharNgramMin}-{f.CharNgramMax}" : "0"));
        list.Add(("--weighting", ModelingOptions.WeightingName(f.Weighting)));
        list.Add(("--sublinear-tf", f.SublinearTf ? "true" : "false"));
        list.Add(("--stop-words", f.RemoveStopWords ? "true" : "false"));
        list.Add(("--min-df", f.MinDocumentFrequency == 0 ? "0 (automatic)" : I(f.MinDocumentFrequency)));
        list.Add(("--max-features", f.MaxFeatures == 0 ? "0 (no bound)" : I(f.MaxFeatures)));
        return list;
    }

    /// <summary>Top-level numbers of the --json object, for runs without a multiclass summary.</summary>
    private static List<(string Name, string Value)> Tiles(Dictionary<string, object?> json) =>
        json.Where(kv => kv.Value is double or float or int or long)
            .Select(kv => (kv.Key.Replace('_', ' '), kv.Value is double d ? MetricsText.F(d) : Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""))
            .ToList();

    internal static void Save(string folder, string verb, IReadOnlyList<IHtmlSection> sections)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot create the report folder: {e.Message}", folder, inner: e);
        }
        var page = HtmlReport.Render($"Classifier report: {verb}", sections);
        AtomicFile.Write(Path.Combine(folder, FileName), s => s.Write(Encoding.UTF8.GetBytes(page)));
    }
}
