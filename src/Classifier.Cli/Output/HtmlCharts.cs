using System.Globalization;
using Classifier.Core.Evaluation;

namespace Classifier.Cli.Output;

/// <summary>The report's charts as inline SVG, drawn here so the page needs no script library and no network.</summary>
public static class HtmlCharts
{
    /// <summary>Labels longer than this are cut in the chart (the full label is in the tooltip).</summary>
    public const int MaxLabelChars = 24;

    /// <summary>
    /// The confusion matrix as a heat map: rows are true labels, columns predicted labels, each cell coloured by
    /// its share of the row (blue on the diagonal, red off it) and showing its count. Cells shrink with the number
    /// of classes and column labels are slanted, so 20 or more classes still fit a page.
    /// Each cell carries data-row, data-col and data-count so that tests can read the counts back.
    /// </summary>
    public static void ConfusionHeatMap(HtmlWriter w, MulticlassMetrics m)
    {
        var k = m.Labels.Count;
        var cell = Math.Clamp(760 / Math.Max(1, k), 18, 48);
        var font = Math.Clamp(cell * 0.42, 9, 13);
        var labelWidth = Math.Min(MaxLabelChars, m.Labels.Max(l => l.Length)) * font * 0.66 + 12;
        var slant = 55.0;
        var top = labelWidth * Math.Sin(slant * Math.PI / 180) + 22;
        var left = labelWidth + 8;
        // The last column's slanted label reaches right of the grid.
        var width = left + k * cell + Math.Max(60, labelWidth * Math.Cos(slant * Math.PI / 180) - cell / 2.0 + 10);
        var height = top + k * cell + 30;
        w.Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("class", "heatmap"), ("width", width), ("height", height),
            ("viewBox", $"0 0 {F(width)} {F(height)}"), ("role", "img"), ("aria-label", "Confusion matrix heat map"));
        w.Element("text", "predicted label", ("x", left + k * cell / 2.0), ("y", 12), ("class", "axis"), ("text-anchor", "middle"));
        for (int c = 0; c < k; c++)
        {
            var x = left + c * cell + cell / 2.0;
            w.Open("text", ("transform", $"translate({F(x + font / 3)},{F(top - 6)}) rotate(-{F(slant)})"), ("font-size", font), ("class", "label"));
            w.Element("title", m.Labels[c]).Text(Cut(m.Labels[c])).Close("text");
        }
        for (int r = 0; r < k; r++)
        {
            var row = m.Confusion[r];
            var total = row.Sum();
            var y = top + r * cell;
            w.Open("text", ("x", left - 6), ("y", y + cell / 2.0 + font / 3), ("text-anchor", "end"), ("font-size", font), ("class", "label"));
            w.Element("title", m.Labels[r]).Text(Cut(m.Labels[r])).Close("text");
            for (int c = 0; c < k; c++)
            {
                var share = total == 0 ? 0 : (double)row[c] / total;
                var x = left + c * cell;
                w.Open("g");
                w.Element("title", $"true {m.Labels[r]}, predicted {m.Labels[c]}: {row[c]} of {total} ({(share * 100).ToString("0.0", CultureInfo.InvariantCulture)}% of the row)");
                w.Void("rect", ("class", "cell"), ("x", x), ("y", y), ("width", cell - 1), ("height", cell - 1),
                    ("fill", row[c] == 0 ? "#f4f5f7" : Shade(share, r == c)), ("data-row", r), ("data-col", c), ("data-count", row[c]));
                if (row[c] > 0)
                    w.Element("text", row[c].ToString(CultureInfo.InvariantCulture), ("x", x + (cell - 1) / 2.0), ("y", y + cell / 2.0 + font / 3),
                        ("text-anchor", "middle"), ("font-size", CountFont(row[c], cell, font)), ("fill", share > 0.5 ? "#ffffff" : "#1f2328"));
                w.Close("g");
            }
            w.Element("text", $"{total}", ("x", left + k * cell + 6), ("y", y + cell / 2.0 + font / 3), ("font-size", font), ("class", "total"));
        }
        w.Element("text", "n", ("x", left + k * cell + 6), ("y", top - 6), ("font-size", font), ("class", "axis"));
        w.Open("text", ("transform", $"translate(10,{F(top + k * cell / 2.0)}) rotate(-90)"), ("text-anchor", "middle"), ("class", "axis"));
        w.Text("true label").Close("text");
        w.Close("svg");
    }

    /// <summary>The colour key: what a share of the row looks like on and off the diagonal.</summary>
    public static void HeatMapLegend(HtmlWriter w)
    {
        w.Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("class", "legend"), ("width", 500), ("height", 34), ("role", "img"),
            ("aria-label", "Colour key: share of the true label's row"));
        foreach (var (x0, diagonal, name) in new[] { (0, true, "correct"), (250, false, "confused") })
        {
            w.Element("text", name, ("x", x0), ("y", 13), ("font-size", 12));
            for (int i = 0; i <= 10; i++)
                w.Void("rect", ("x", x0 + 70 + i * 14), ("y", 3), ("width", 14), ("height", 12), ("fill", Shade(i / 10.0, diagonal)), ("stroke", "#d0d7de"), ("stroke-width", 0.5));
            w.Element("text", "0%", ("x", x0 + 70), ("y", 29), ("font-size", 10), ("fill", "#57606a"));
            w.Element("text", "100% of row", ("x", x0 + 70 + 11 * 14), ("y", 29), ("font-size", 10), ("fill", "#57606a"), ("text-anchor", "end"));
        }
        w.Close("svg");
    }

    /// <summary>A horizontal bar for a value between 0 and 1.</summary>
    public static void Bar(HtmlWriter w, double value, string kind, int width = 120, int height = 12)
    {
        var v = double.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0;
        w.Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("class", "bar"), ("width", width), ("height", height), ("aria-hidden", "true"));
        w.Void("rect", ("width", width), ("height", height), ("class", "bar-bg"));
        w.Void("rect", ("width", v * width), ("height", height), ("class", "bar-" + kind));
        w.Close("svg");
    }

    /// <summary>
    /// White to dark blue (right) or dark red (wrong), on the square root of the share so that a 5% confusion is
    /// still visible next to a 90% diagonal.
    /// </summary>
    public static string Shade(double share, bool diagonal)
    {
        var t = Math.Sqrt(Math.Clamp(share, 0, 1));
        var (r, g, b) = diagonal ? (8, 81, 156) : (165, 15, 21);
        int Mix(int to) => (int)Math.Round(255 + (to - 255) * t);
        return $"#{Mix(r):x2}{Mix(g):x2}{Mix(b):x2}";
    }

    private static double CountFont(int count, int cell, double font) =>
        Math.Min(font, (cell - 3) / (0.62 * Math.Max(1, count.ToString(CultureInfo.InvariantCulture).Length)));

    private static string Cut(string label) => label.Length <= MaxLabelChars ? label : label[..(MaxLabelChars - 1)] + "\u2026";

    private static string F(double v) => HtmlWriter.Format(v);
}
