using System.Globalization;
using System.Text;
using Classifier.Core.Evaluation;

namespace Classifier.Cli.Output;

/// <summary>Renders metrics as plain text, labelled so that nobody has to ask what a column means.</summary>
public static class MetricsText
{
    public static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Render(MulticlassMetrics m)
    {
        var sb = new StringBuilder();
        var summary = new TextTable("metric", "value")
            .Add("documents evaluated", m.Examples.ToString("N0", CultureInfo.InvariantCulture))
            .Add("accuracy", F(m.Accuracy))
            .Add("macro precision", F(m.MacroPrecision))
            .Add("macro recall", F(m.MacroRecall))
            .Add("macro F1", F(m.MacroF1))
            .Add("micro F1", F(m.MicroF1))
            .Add("log-loss (lower is better)", F(m.LogLoss))
            .Add("top-2 accuracy", F(m.Top2Accuracy));
        sb.Append(summary).Append('\n');

        sb.Append("Per class (precision: share of predictions of the class that were right; recall: share of the class that was found):\n");
        var perClass = new TextTable("label", "precision", "recall", "F1", "support");
        foreach (var c in m.PerClass) perClass.Add(c.Label, F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString(CultureInfo.InvariantCulture));
        perClass.Add("macro average", F(m.MacroPrecision), F(m.MacroRecall), F(m.MacroF1), m.Examples.ToString(CultureInfo.InvariantCulture));
        sb.Append(perClass).Append('\n');
        sb.Append(Confusion(m));
        return sb.ToString();
    }

    /// <summary>
    /// Rows are true labels, columns predicted labels; columns are numbered to stay narrow with many classes. Above
    /// <see cref="ManyClasses.MaxMatrixClasses"/> classes, as in the reports, the largest confusions instead: a terminal
    /// has no use for a million cells (4 MB of text at 1,000 classes), and --json keeps the whole matrix.
    /// </summary>
    public static string Confusion(MulticlassMetrics m)
    {
        if (ManyClasses.Apply(m))
        {
            var top = ManyClasses.TopConfusions(m);
            var list = new StringBuilder(ManyClasses.ConfusionsNote(m, top.Count).Replace("metrics.json", "the --json output and metrics.json") + "\n");
            if (top.Count == 0) return list.ToString();
            var confusions = new TextTable("true label", "predicted label", "documents", "share of the true label");
            foreach (var c in top)
                confusions.Add(c.True, c.Predicted, c.Count.ToString(CultureInfo.InvariantCulture), F((double)c.Count / Math.Max(1, c.TrueTotal)));
            list.Append(confusions);
            return list.ToString();
        }
        var sb = new StringBuilder("Confusion matrix (rows: true label; columns: predicted label, numbered as the rows):\n");
        var headers = new[] { "true \\ predicted" }.Concat(m.Labels.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture))).ToArray();
        var table = new TextTable(headers);
        for (int r = 0; r < m.Labels.Count; r++)
            table.Add(new[] { $"{r + 1,2} {m.Labels[r]}" }.Concat(m.Confusion[r].Select(v => v.ToString(CultureInfo.InvariantCulture))).ToArray());
        sb.Append(table);
        return sb.ToString();
    }
}
