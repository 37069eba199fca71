using Classifier.Core.Evaluation;
using Classifier.Core.Explain;
using Classifier.Core.Models;

namespace Classifier.Cli.Output;

/// <summary>
/// One part of report.html with its own heading and anchor. The standard sections are in HtmlSections.cs; a
/// multi-label run plugs in a per-label table and thresholds section in place of the confusion matrix.
/// </summary>
public interface IHtmlSection
{
    string Id { get; }
    string Title { get; }
    void Render(HtmlWriter w);
}

/// <summary>What the report needs beyond the metrics; commands fill in what they know, and sections say what is missing.</summary>
public sealed record HtmlReportInput
{
    /// <summary>The verb that wrote the report: train, evaluate or cross-validate.</summary>
    public string Verb { get; init; } = "evaluate";
    /// <summary>Featurizer and trainer settings, as (name, value).</summary>
    public IReadOnlyList<(string Key, string Value)> Settings { get; init; } = [];
    /// <summary>Training documents per label, when known.</summary>
    public IReadOnlyList<LabelCount>? TrainingCounts { get; init; }
    /// <summary>The model behind the top terms; null leaves that section with <see cref="TopTermsNote"/>.</summary>
    public ClassifierModel? Model { get; init; }
    public string? TopTermsNote { get; init; }
    /// <summary>Most confident wrong predictions; null when the run kept no per-document predictions.</summary>
    public IReadOnlyList<Mistake>? Mistakes { get; init; }
    public string? MistakesNote { get; init; }
}

/// <summary>Assembles report.html: one self-contained page (inline CSS, SVG and a few lines of script; nothing fetched).</summary>
public static class HtmlReport
{
    public const int TopTerms = 10;
    public const int MaxMistakes = 25;

    /// <summary>The sections of a single-label (multiclass) report, in reading order; with many classes, see <see cref="ManyClasses"/>.</summary>
    public static List<IHtmlSection> Sections(MulticlassMetrics metrics, IReadOnlyList<(string Key, string Value)> context, HtmlReportInput input)
    {
        var many = ManyClasses.Apply(metrics);
        return
        [
            SummarySection.For(metrics, context, input),
            many ? new TopConfusionsSection(metrics) : new ConfusionSection(metrics),
            new PerClassSection(metrics),
            many
                ? new TopTermsSection(input.Model, input.TopTermsNote, ManyClasses.ByWeakness(metrics), ManyClasses.TopTermsNote(metrics))
                : new TopTermsSection(input.Model, input.TopTermsNote),
            new MistakesSection(input.Mistakes, input.MistakesNote),
        ];
    }

    public static string Render(string title, IReadOnlyList<IHtmlSection> sections)
    {
        var w = new HtmlWriter();
        w.Raw("<!DOCTYPE html>\n");
        w.Open("html", ("xmlns", "http://www.w3.org/1999/xhtml"), ("lang", "en"));
        w.Open("head");
        w.Void("meta", ("charset", "utf-8"));
        w.Void("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1"));
        w.Element("title", title);
        // CDATA keeps the style sheet and script opaque to XML parsers; inside comments, HTML parsers ignore the markers.
        w.Open("style").Raw("/*<![CDATA[*/" + Css + "/*]]>*/").Close("style");
        w.Close("head");
        w.Open("body");
        w.Open("header").Element("h1", title);
        w.Open("nav");
        foreach (var s in sections) w.Element("a", s.Title, ("href", "#" + s.Id));
        w.Close("nav").Close("header");
        w.Open("main");
        foreach (var s in sections)
        {
            w.Open("section", ("id", s.Id)).Element("h2", s.Title);
            s.Render(w);
            w.Close("section");
        }
        w.Close("main");
        w.Open("footer").Text($"Written by classifier {Classifier.Core.ToolInfo.Version}. This page is self-contained: it loads nothing from the network.").Close("footer");
        w.Open("script").Raw("//<![CDATA[\n" + Script + "\n//]]>").Close("script");
        w.Close("body").Close("html");
        return w + "\n";
    }

    // No '<' or '&' below: the page must stay well-formed XML even without the CDATA guard.
    private const string Css = """

body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0; color: #1f2328; background: #fff; font-size: 14px; }
header { background: #24292f; color: #fff; padding: 14px 28px 10px; }
header h1 { margin: 0 0 6px; font-size: 21px; font-weight: 600; }
nav a { color: #c9d1d9; margin-right: 18px; text-decoration: none; font-size: 13px; }
nav a:hover { color: #fff; text-decoration: underline; }
main { padding: 4px 28px 20px; max-width: 1220px; }
section { margin-top: 22px; }
h2 { font-size: 18px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-bottom: 10px; }
h3 { font-size: 14px; margin: 4px 0 6px; }
p.note { color: #57606a; margin: 4px 0 10px; }
table { border-collapse: collapse; }
th, td { padding: 3px 10px 3px 0; text-align: left; vertical-align: middle; }
th { font-weight: 600; color: #57606a; font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #f6f8fa; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0 14px; }
.tile { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.tile .v { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .k { font-size: 12px; color: #57606a; }
.cols { display: flex; flex-wrap: wrap; gap: 36px; align-items: flex-start; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 0; }
dl.facts dt { color: #57606a; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
svg.heatmap text { font-family: inherit; }
svg.heatmap text.label { fill: #1f2328; }
svg.heatmap text.axis { fill: #57606a; font-size: 12px; }
svg.heatmap text.total { fill: #57606a; }
svg.bar { vertical-align: middle; margin-right: 6px; }
.bar-bg { fill: #eaeef2; }
.bar-precision { fill: #2f81f7; }
.bar-recall { fill: #8250df; }
.bar-f1 { fill: #1a7f37; }
.bar-for { fill: #2da44e; }
.bar-against { fill: #cf222e; }
.bar-prob { fill: #bc4c00; }
th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th button:hover { color: #0969da; }
th[aria-sort=ascending] button::after { content: " \25B2"; }
th[aria-sort=descending] button::after { content: " \25BC"; }
.terms { display: grid; grid-template-columns: repeat(auto-fill, minmax(370px, 1fr)); gap: 14px; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; }
.card .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.card table { width: 100%; table-layout: fixed; }
.card th:last-child, .card td:last-child { width: 82px; padding-right: 0; }
.card td { font-size: 13px; }
.card td.term { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
td.excerpt { max-width: 640px; font-size: 13px; }
footer { color: #57606a; font-size: 12px; padding: 10px 28px 24px; }

""";

    /// <summary>Sorts a table's body rows by the data-KEY attribute of the clicked column; numbers numerically.</summary>
    private const string Script = """
(function () {
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th[data-key]').forEach(function (th) {
      th.querySelector('button').addEventListener('click', function () {
        var key = 'data-' + th.getAttribute('data-key');
        var numeric = th.classList.contains('num');
        var descending = numeric ? th.getAttribute('aria-sort') !== 'descending' : th.getAttribute('aria-sort') === 'ascending';
        table.querySelectorAll('th[data-key]').forEach(function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.getAttribute(key), y = b.getAttribute(key);
          var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
""";
}
