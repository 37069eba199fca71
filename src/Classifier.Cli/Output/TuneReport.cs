using System.Globalization;
using System.Text;
using Classifier.Core.Tuning;

namespace Classifier.Cli.Output;

/// <summary>
/// `tune --report DIR`: metrics.json (the --json object), metrics.md (the trial table) and report.html, in the style of
/// train's report: the trial table, and a chart of each finished trial's paired gain over the defaults with its
/// standard error as an error bar, the defaults at 0 and the kept trial marked, so that a gain inside its noise shows.
/// </summary>
public static class TuneReport
{
    public static void Write(string folder, Dictionary<string, object?> json, TuneResult result, string metric, string verdict)
    {
        ReportWriter.WriteFiles(folder, json, Markdown(result, metric, verdict));
        HtmlReportFile.Save(folder, "tune", [new GainSection(result, metric, verdict), new TrialsSection(result, metric)]);
    }

    public static string F(double v) => double.IsNaN(v) ? "n/a" : MetricsText.F(v);

    public static string Signed(double v) => double.IsNaN(v) ? "n/a" : v.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);

    /// <summary>The columns of the trial table, in the terminal, in metrics.md and in report.html alike.</summary>
    public static string[] Header(string metric) => ["trial", "settings", metric, "± std", "gain vs defaults", "± se", "folds", "seconds", "status"];

    /// <summary>One trial's cells under <see cref="Header"/>.</summary>
    public static string[] Row(TuneTrial t, TuneResult result) =>
    [
        t.Number.ToString(CultureInfo.InvariantCulture), t.Settings.ToString(), F(t.Score), t.FoldScores.Count > 1 ? F(t.Std) : "",
        double.IsNaN(t.Paired.Gain) ? "" : Signed(t.Paired.Gain), double.IsNaN(t.Paired.StdErr) ? "" : F(t.Paired.StdErr),
        t.FoldScores.Count.ToString(CultureInfo.InvariantCulture), t.Seconds.ToString("0.0", CultureInfo.InvariantCulture), t == result.Best ? "kept" : t.Status,
    ];

    public static string Markdown(TuneResult result, string metric, string verdict)
    {
        var header = Header(metric);
        var sb = new StringBuilder("# Tune\n\n").Append(verdict).Append("\n\n");
        sb.Append("| ").Append(string.Join(" | ", header)).Append(" |\n|").Append(string.Concat(header.Select(_ => "---|"))).Append('\n');
        foreach (var t in result.Trials) sb.Append("| ").Append(string.Join(" | ", Row(t, result))).Append(" |\n");
        return sb.ToString();
    }

    private sealed class TrialsSection(TuneResult result, string metric) : IHtmlSection
    {
        public string Id => "trials";
        public string Title => "Trials";

        public void Render(HtmlWriter w)
        {
            w.Open("table").Open("thead").Open("tr");
            foreach (var h in Header(metric)) w.Element("th", h);
            w.Close("tr").Close("thead").Open("tbody");
            foreach (var t in result.Trials)
            {
                w.Open("tr", ("class", t == result.Best ? "kept" : null));
                foreach (var cell in Row(t, result)) w.Element("td", cell);
                w.Close("tr");
            }
            w.Close("tbody").Close("table");
        }
    }

    /// <summary>One row per finished trial after the defaults: a dot at its gain, a bar from gain − se to gain + se, a line at 0.</summary>
    private sealed class GainSection(TuneResult result, string metric, string verdict) : IHtmlSection
    {
        public string Id => "gain";
        public string Title => "Gain over the defaults";

        public void Render(HtmlWriter w)
        {
            w.Element("p", verdict);
            var rows = result.Trials.Where(t => !double.IsNaN(t.Paired.Gain)).ToList();
            if (rows.Count == 0)
            {
                w.Element("p", "No trial besides the defaults ran on every fold, so there is no gain to draw.");
                return;
            }
            var lo = Math.Min(0, rows.Min(t => t.Paired.Gain - t.Paired.StdErr));
            var hi = Math.Max(0, rows.Max(t => t.Paired.Gain + t.Paired.StdErr));
            if (hi - lo < 1e-9) hi = lo + 0.01;
            const double left = 70, plot = 560, rowHeight = 22, top = 30;
            var height = top + rows.Count * rowHeight + 20;
            double X(double v) => left + (v - lo) / (hi - lo) * plot;
            w.Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("class", "gains"), ("width", left + plot + 20), ("height", height),
                ("viewBox", $"0 0 {HtmlWriter.Format(left + plot + 20)} {HtmlWriter.Format(height)}"), ("role", "img"),
                ("aria-label", $"Each trial's gain in {metric} over the defaults, with its standard error"));
            w.Element("text", $"gain in {metric} over the defaults (0: the defaults); bars: ± one standard error", ("x", left), ("y", 14), ("class", "axis"));
            w.Void("line", ("x1", X(0)), ("x2", X(0)), ("y1", top - 6), ("y2", height - 14), ("stroke", "#57606a"), ("stroke-dasharray", "4 3"));
            for (int i = 0; i < rows.Count; i++)
            {
                var t = rows[i];
                var y = top + i * rowHeight + rowHeight / 2;
                var kept = t == result.Best;
                var colour = kept ? "#1a7f37" : t.Paired.LowerBound > 0 ? "#0969da" : "#8c959f";
                w.Open("g", ("data-trial", t.Number), ("data-gain", t.Paired.Gain), ("data-se", t.Paired.StdErr));
                w.Element("title", $"trial {t.Number}: {t.Settings}; gain {Signed(t.Paired.Gain)} ± {F(t.Paired.StdErr)}{(kept ? " (kept)" : "")}");
                w.Element("text", $"trial {t.Number}", ("x", left - 8), ("y", y + 4), ("text-anchor", "end"), ("font-size", 11), ("class", "label"));
                w.Void("line", ("x1", X(t.Paired.Gain - t.Paired.StdErr)), ("x2", X(t.Paired.Gain + t.Paired.StdErr)), ("y1", y), ("y2", y),
                    ("stroke", colour), ("stroke-width", 2));
                w.Void("circle", ("cx", X(t.Paired.Gain)), ("cy", y), ("r", kept ? 5 : 3.5), ("fill", colour));
                w.Close("g");
            }
            // The scale: both ends and 0.
            foreach (var v in new[] { lo, 0.0, hi }.Distinct())
                w.Element("text", v == 0 ? "0" : Signed(v), ("x", X(v)), ("y", height - 2), ("text-anchor", "middle"), ("font-size", 10), ("class", "label"));
            w.Close("svg");
        }
    }
}
