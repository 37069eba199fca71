using System.Text;
using Classifier.Core;
using Classifier.Core.Evaluation;

namespace Classifier.Cli.Output;

/// <summary>Writes --report DIR: metrics.json (the --json object) and metrics.md (the text tables as Markdown); <see cref="HtmlReportFile"/> adds report.html.</summary>
public static class ReportWriter
{
    public const string JsonName = "metrics.json", MarkdownName = "metrics.md";

    /// <summary>The files a --report folder gets.</summary>
    public static readonly string[] FileNames = [JsonName, MarkdownName, HtmlReportFile.FileName];

    /// <summary>Before any work, as --model is checked: a bad --report path must not fail only once the model is written.</summary>
    public static void EnsureWritable(string? folder)
    {
        if (folder is not null) AtomicFile.EnsureFolderWritable(folder, "report", FileNames);
    }

    public static void Write(string folder, MulticlassMetrics metrics, Dictionary<string, object?> json, IEnumerable<(string Key, string Value)> context) =>
        WriteFiles(folder, json, Markdown(metrics, context));

    public static void WriteFiles(string folder, Dictionary<string, object?> json, string markdown)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot create the report folder: {e.Message}", folder, inner: e);
        }
        var jsonText = MetricsJson.Serialize(json, indented: true) + "\n";
        AtomicFile.Write(Path.Combine(folder, JsonName), s => s.Write(Encoding.UTF8.GetBytes(jsonText)));
        AtomicFile.Write(Path.Combine(folder, MarkdownName), s => s.Write(Encoding.UTF8.GetBytes(markdown)));
    }

    public static string Markdown(MulticlassMetrics m, IEnumerable<(string Key, string Value)> context)
    {
        var F = MetricsText.F;
        var sb = new StringBuilder("# Evaluation\n\n");
        foreach (var (k, v) in context) sb.Append($"- **{k}:** {v}\n");
        sb.Append("\n| metric | value |\n|---|---|\n");
        sb.Append($"| documents evaluated | {m.Examples} |\n| accuracy | {F(m.Accuracy)} |\n| macro precision | {F(m.MacroPrecision)} |\n");
        sb.Append($"| macro recall | {F(m.MacroRecall)} |\n| macro F1 | {F(m.MacroF1)} |\n| micro F1 | {F(m.MicroF1)} |\n");
        sb.Append($"| log-loss (lower is better) | {F(m.LogLoss)} |\n| top-2 accuracy | {F(m.Top2Accuracy)} |\n\n");
        sb.Append("## Per class\n\n| label | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
        foreach (var c in m.PerClass) sb.Append($"| {Escape(c.Label)} | {F(c.Precision)} | {F(c.Recall)} | {F(c.F1)} | {c.Support} |\n");
        if (ManyClasses.Apply(m)) return TopConfusions(sb, m);
        sb.Append("\n## Confusion matrix\n\nRows are true labels, columns predicted labels.\n\n| true \\ predicted | ");
        sb.Append(string.Join(" | ", m.Labels.Select(Escape))).Append(" |\n|---|");
        sb.Append(string.Concat(m.Labels.Select(_ => "---|"))).Append('\n');
        for (int r = 0; r < m.Labels.Count; r++)
            sb.Append($"| {Escape(m.Labels[r])} | ").Append(string.Join(" | ", m.Confusion[r])).Append(" |\n");
        return sb.ToString();
    }

    private static string TopConfusions(StringBuilder sb, MulticlassMetrics m)
    {
        var top = ManyClasses.TopConfusions(m);
        sb.Append("\n## Top confusions\n\n").Append(ManyClasses.ConfusionsNote(m, top.Count)).Append('\n');
        if (top.Count == 0) return sb.ToString();
        sb.Append("\n| true label | predicted | documents | of the true label |\n|---|---|---|---|\n");
        foreach (var c in top) sb.Append($"| {Escape(c.True)} | {Escape(c.Predicted)} | {c.Count} | {c.TrueTotal} |\n");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("|", "\\|");
}
