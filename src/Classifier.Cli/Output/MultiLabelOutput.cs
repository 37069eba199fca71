using System.Globalization;
using System.Text;
using Classifier.Core.Evaluation;
using Classifier.Core.Models;

namespace Classifier.Cli.Output;

/// <summary>Text, JSON and Markdown renderings of multi-label metrics, with each label's threshold.</summary>
public static class MultiLabelOutput
{
    private static string F(double v) => MetricsText.F(v);

    public static Dictionary<string, object?> Json(MultiLabelMetrics m, ClassifierModel? model, double? trainSeconds = null)
    {
        var thresholds = Thresholds(model);
        var json = new Dictionary<string, object?>
        {
            ["task"] = "multilabel",
            ["examples"] = m.Examples,
            ["micro_precision"] = R(m.MicroPrecision),
            ["micro_recall"] = R(m.MicroRecall),
            ["micro_f1"] = R(m.MicroF1),
            ["macro_precision"] = R(m.MacroPrecision),
            ["macro_recall"] = R(m.MacroRecall),
            ["macro_f1"] = R(m.MacroF1),
            ["exact_match"] = R(m.ExactMatch),
            ["hamming_loss"] = R(m.HammingLoss),
            ["label_columns"] = m.LabelColumns,
            ["per_label"] = m.PerLabel.Select(c => new Dictionary<string, object?>
            {
                ["label"] = c.Label,
                ["precision"] = R(c.Precision),
                ["recall"] = R(c.Recall),
                ["f1"] = R(c.F1),
                ["support"] = c.Support,
                ["threshold"] = thresholds.TryGetValue(c.Label, out var t) ? R(t) : null,
            }).ToList(),
        };
        if (trainSeconds is not null) json["train_seconds"] = Math.Round(trainSeconds.Value, 2);
        return json;
    }

    public static string Text(MultiLabelMetrics m, ClassifierModel? model)
    {
        var thresholds = Thresholds(model);
        var sb = new StringBuilder();
        sb.Append(new TextTable("metric", "value")
            .Add("documents evaluated", m.Examples.ToString("N0", CultureInfo.InvariantCulture))
            .Add("micro precision", F(m.MicroPrecision))
            .Add("micro recall", F(m.MicroRecall))
            .Add("micro F1", F(m.MicroF1))
            .Add("macro precision", F(m.MacroPrecision))
            .Add("macro recall", F(m.MacroRecall))
            .Add("macro F1", F(m.MacroF1))
            .Add("exact match (whole set right)", F(m.ExactMatch))
            .Add("Hamming loss (wrong decisions)", F(m.HammingLoss)));
        sb.Append(Convention(m)).Append('\n');
        sb.Append("\nPer label (threshold: the probability from which the label is given, tuned on training data):\n");
        var table = new TextTable("label", "precision", "recall", "F1", "support", "threshold");
        foreach (var c in m.PerLabel)
            table.Add(c.Label, F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString(CultureInfo.InvariantCulture),
                thresholds.TryGetValue(c.Label, out var t) ? t.ToString("0.000", CultureInfo.InvariantCulture) : "(not learned)");
        sb.Append(table);
        return sb.ToString();
    }

    public static string Markdown(MultiLabelMetrics m, ClassifierModel? model, IEnumerable<(string Key, string Value)> context)
    {
        var thresholds = Thresholds(model);
        var sb = new StringBuilder("# Evaluation (multi-label)\n\n");
        foreach (var (k, v) in context) sb.Append($"- **{k}:** {v}\n");
        sb.Append("\n| metric | value |\n|---|---|\n");
        sb.Append($"| documents evaluated | {m.Examples} |\n| micro precision | {F(m.MicroPrecision)} |\n| micro recall | {F(m.MicroRecall)} |\n| micro F1 | {F(m.MicroF1)} |\n");
        sb.Append($"| macro precision | {F(m.MacroPrecision)} |\n| macro recall | {F(m.MacroRecall)} |\n| macro F1 | {F(m.MacroF1)} |\n");
        sb.Append($"| exact match | {F(m.ExactMatch)} |\n| Hamming loss | {F(m.HammingLoss)} |\n\n{Convention(m)}\n\n");
        sb.Append("## Per label\n\n| label | precision | recall | F1 | support | threshold |\n|---|---|---|---|---|---|\n");
        foreach (var c in m.PerLabel)
            sb.Append($"| {c.Label.Replace("|", "\\|")} | {F(c.Precision)} | {F(c.Recall)} | {F(c.F1)} | {c.Support} | {(thresholds.TryGetValue(c.Label, out var t) ? t.ToString("0.000", CultureInfo.InvariantCulture) : "-")} |\n");
        return sb.ToString();
    }

    /// <summary>What the averages ran over, so that two files' figures can be told apart (README, "Multi-label and label maps").</summary>
    public static string Convention(MultiLabelMetrics m) =>
        $"Macro averages over the {m.PerLabel.Count} labels true or predicted in these documents; Hamming loss over " +
        $"{m.Examples:N0} documents x {m.LabelColumns} labels.";

    public static Dictionary<string, double> Thresholds(ClassifierModel? model) =>
        model?.Manifest.MultiLabel is { } ml
            ? model.Labels.Select((l, i) => (l, ml.Thresholds[i])).ToDictionary(x => x.l, x => x.Item2)
            : new Dictionary<string, double>();

    private static double R(double v) => Math.Round(v, 6);
}
