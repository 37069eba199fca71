using System.Globalization;
using Classifier.Core.Evaluation;
using Classifier.Core.Explain;
using Classifier.Core.Models;

namespace Classifier.Cli.Output;

/// <summary>What was evaluated, how the model was made, and the headline numbers.</summary>
/// <param name="tiles">Headline figures as (name, formatted value).</param>
/// <param name="evaluated">Documents evaluated per label, in report order; null leaves the column out.</param>
public sealed class SummarySection(IReadOnlyList<(string Name, string Value)> tiles, IReadOnlyList<(string Label, int Count)>? evaluated,
    IReadOnlyList<(string Key, string Value)> context, HtmlReportInput input) : IHtmlSection
{
    public string Id => "summary";
    public string Title => "Summary";

    public static SummarySection For(MulticlassMetrics m, IReadOnlyList<(string Key, string Value)> context, HtmlReportInput input) => new(
    [
        ("accuracy", MetricsText.F(m.Accuracy)), ("macro F1", MetricsText.F(m.MacroF1)), ("macro precision", MetricsText.F(m.MacroPrecision)),
        ("macro recall", MetricsText.F(m.MacroRecall)), ("top-2 accuracy", MetricsText.F(m.Top2Accuracy)), ("log-loss (lower is better)", MetricsText.F(m.LogLoss)),
        (input.Verb == "cross-validate" ? "documents (pooled over folds)" : "documents evaluated", m.Examples.ToString("N0", CultureInfo.InvariantCulture)),
    ], m.PerClass.Select(c => (c.Label, c.Support)).ToList(), context, input);

    public void Render(HtmlWriter w)
    {
        w.Open("div", ("class", "tiles"));
        foreach (var (name, value) in tiles)
            w.Open("div", ("class", "tile")).Element("div", value, ("class", "v")).Element("div", name, ("class", "k")).Close("div");
        w.Close("div");

        w.Open("div", ("class", "cols"));
        w.Open("div").Element("h3", "Run");
        Facts(w, context.Prepend(("command", "classifier " + input.Verb)));
        w.Close("div");
        if (input.Settings.Count > 0)
        {
            w.Open("div").Element("h3", "Settings");
            Facts(w, input.Settings);
            w.Close("div");
        }
        var training = input.TrainingCounts?.ToDictionary(c => c.Label, c => c.Count);
        var rows = evaluated?.Select(e => e.Label).ToList() ?? input.TrainingCounts?.Select(c => c.Label).ToList();
        if (rows is not null)
        {
            var counts = evaluated?.ToDictionary(e => e.Label, e => e.Count);
            w.Open("div").Element("h3", "Examples per class");
            w.Open("table").Open("thead").Open("tr").Element("th", "label");
            if (training is not null) w.Element("th", "training", ("class", "num"));
            if (counts is not null) w.Element("th", input.Verb == "cross-validate" ? "documents" : "evaluated", ("class", "num"));
            w.Close("tr").Close("thead").Open("tbody");
            foreach (var label in rows)
            {
                w.Open("tr").Element("td", label);
                if (training is not null) w.Element("td", N(training.GetValueOrDefault(label)), ("class", "num"));
                if (counts is not null) w.Element("td", N(counts[label]), ("class", "num"));
                w.Close("tr");
            }
            w.Close("tbody").Close("table").Close("div");
        }
        w.Close("div");
    }

    private static void Facts(HtmlWriter w, IEnumerable<(string Key, string Value)> facts)
    {
        w.Open("dl", ("class", "facts"));
        foreach (var (k, v) in facts) w.Element("dt", k).Element("dd", v);
        w.Close("dl");
    }

    internal static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A section that only says something: what is missing, or where to find it.</summary>
public sealed class NoteSection(string id, string title, string note) : IHtmlSection
{
    public string Id => id;
    public string Title => title;

    public void Render(HtmlWriter w) => w.Element("p", note, ("class", "note"));
}

/// <summary>Where the model goes wrong, class by class.</summary>
public sealed class ConfusionSection(MulticlassMetrics m) : IHtmlSection
{
    public string Id => "confusion";
    public string Title => "Confusion matrix";

    public void Render(HtmlWriter w)
    {
        w.Element("p", "Rows are true labels, columns predicted labels. Each cell shows a count and is coloured by its share of the row; hover for details.", ("class", "note"));
        HtmlCharts.HeatMapLegend(w);
        w.Open("div", ("class", "scroll"));
        HtmlCharts.ConfusionHeatMap(w, m);
        w.Close("div");
    }
}

/// <summary>In place of the matrix when there are too many classes (<see cref="ManyClasses"/>): its largest off-diagonal cells.</summary>
public sealed class TopConfusionsSection(MulticlassMetrics m) : IHtmlSection
{
    public string Id => "top-confusions";
    public string Title => "Top confusions";

    public void Render(HtmlWriter w)
    {
        var top = ManyClasses.TopConfusions(m);
        w.Element("p", ManyClasses.ConfusionsNote(m, top.Count) + (top.Count > 0 ? " Click a heading to sort." : ""), ("class", "note"));
        if (top.Count == 0) return;
        w.Open("table", ("class", "sortable top-confusions")).Open("thead").Open("tr");
        PerClassSection.Header(w, "true label", "true", numeric: false);
        PerClassSection.Header(w, "predicted", "predicted", numeric: false);
        PerClassSection.Header(w, "documents", "count", numeric: true);
        PerClassSection.Header(w, "share of the true label", "share", numeric: true);
        w.Close("tr").Close("thead").Open("tbody");
        foreach (var c in top)
        {
            var share = (double)c.Count / c.TrueTotal;
            w.Open("tr", ("data-true", c.True), ("data-predicted", c.Predicted), ("data-count", c.Count), ("data-share", PerClassSection.R(share)));
            w.Element("td", c.True).Element("td", c.Predicted).Element("td", SummarySection.N(c.Count), ("class", "num"));
            w.Element("td", $"{SummarySection.N(c.Count)} of {SummarySection.N(c.TrueTotal)} ({(share * 100).ToString("0.0", CultureInfo.InvariantCulture)}%)", ("class", "num")).Close("tr");
        }
        w.Close("tbody").Close("table");
    }
}

/// <summary>Precision, recall and F1 per class as bars; each column header sorts the table.</summary>
public sealed class PerClassSection(MulticlassMetrics m) : IHtmlSection
{
    public string Id => "per-class";
    public string Title => "Per-class metrics";

    public void Render(HtmlWriter w)
    {
        w.Element("p", "Precision: share of the predictions of a class that were right. Recall: share of the class that was found. Click a heading to sort.", ("class", "note"));
        w.Open("table", ("class", "sortable per-class")).Open("thead").Open("tr");
        Header(w, "label", "label", numeric: false);
        Header(w, "precision", "precision", numeric: true);
        Header(w, "recall", "recall", numeric: true);
        Header(w, "F1", "f1", numeric: true);
        Header(w, "support", "support", numeric: true);
        w.Close("tr").Close("thead").Open("tbody");
        foreach (var c in m.PerClass)
        {
            w.Open("tr", ("data-label", c.Label), ("data-precision", R(c.Precision)), ("data-recall", R(c.Recall)), ("data-f1", R(c.F1)), ("data-support", c.Support));
            w.Element("td", c.Label);
            foreach (var (value, kind) in new[] { (c.Precision, "precision"), (c.Recall, "recall"), (c.F1, "f1") })
            {
                w.Open("td");
                HtmlCharts.Bar(w, value, kind);
                w.Text(MetricsText.F(value)).Close("td");
            }
            w.Element("td", SummarySection.N(c.Support), ("class", "num")).Close("tr");
        }
        w.Close("tbody").Close("table");
    }

    internal static void Header(HtmlWriter w, string text, string key, bool numeric) =>
        w.Open("th", ("data-key", key), ("class", numeric ? "num" : null)).Open("button", ("type", "button")).Text(text).Close("button").Close("th");

    internal static string R(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}

/// <summary>The word n-grams each class rests on, from the linear model's weights.</summary>
/// <param name="order">
/// With many classes: the order to pick <see cref="ManyClasses.Listed"/> classes in, with <paramref name="orderNote"/>
/// saying which; null shows every class.
/// </param>
public sealed class TopTermsSection(ClassifierModel? model, string? note, IReadOnlyList<string>? order = null, string? orderNote = null) : IHtmlSection
{
    public string Id => "top-terms";
    public string Title => "Top terms per class";

    public void Render(HtmlWriter w)
    {
        if (model is null)
        {
            w.Element("p", note ?? "No model to read terms from.", ("class", "note"));
            return;
        }
        if (!ModelExplainer.IsAvailable(model))
        {
            w.Element("p", char.ToUpperInvariant(ModelExplainer.UnavailableMessage(model)[0]) + ModelExplainer.UnavailableMessage(model)[1..] + ".", ("class", "note"));
            return;
        }
        var explainer = ModelExplainer.For(model);
        w.Element("p", (note is null ? "" : note + " ") + "Word n-grams with the largest weights for each class and against it" +
            (explainer.CentredWeights ? ", relative to the term's mean weight over all classes. " : ". ") +
            "'classifier explain --classes --terms all' also lists character n-grams." + (orderNote is null ? "" : " " + orderNote), ("class", "note"));
        var cards = explainer.TopTerms(HtmlReport.TopTerms);
        if (order is not null)
        {
            // Labels the model never saw (evaluated on data with new ones) have no weights, so they are passed over.
            var byLabel = cards.ToDictionary(c => c.Label, StringComparer.Ordinal);
            cards = order.Where(byLabel.ContainsKey).Take(ManyClasses.Listed).Select(l => byLabel[l]).ToList();
        }
        w.Open("div", ("class", "terms"));
        foreach (var c in cards)
        {
            var scale = c.For.Concat(c.Against).Select(t => Math.Abs(t.Weight)).DefaultIfEmpty(1).Max();
            w.Open("div", ("class", "card")).Element("h3", c.Label);
            w.Open("div", ("class", "pair"));
            Terms(w, "for", c.For, scale);
            Terms(w, "against", c.Against, scale);
            w.Close("div").Close("div");
        }
        w.Close("div");
    }

    private static void Terms(HtmlWriter w, string side, IReadOnlyList<TermWeight> terms, double scale)
    {
        w.Open("table").Open("thead").Open("tr").Element("th", side).Element("th", "weight", ("class", "num")).Close("tr").Close("thead").Open("tbody");
        foreach (var t in terms)
        {
            w.Open("tr").Element("td", t.Term, ("class", "term"), ("title", t.Term)).Open("td", ("class", "num"));
            HtmlCharts.Bar(w, Math.Abs(t.Weight) / scale, side, width: 34, height: 9);
            w.Text(t.Weight.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)).Close("td").Close("tr");
        }
        w.Close("tbody").Close("table");
    }
}

/// <summary>The wrong predictions the model was surest of: often mislabelled data, or a term it over-trusts.</summary>
public sealed class MistakesSection(IReadOnlyList<Mistake>? mistakes, string? note) : IHtmlSection
{
    public const int ExcerptChars = 240;

    public string Id => "mistakes";
    public string Title => "Most confident mistakes";

    public void Render(HtmlWriter w)
    {
        if (mistakes is null)
        {
            w.Element("p", note ?? "This run kept no per-document predictions.", ("class", "note"));
            return;
        }
        if (mistakes.Count == 0)
        {
            w.Element("p", "No mistakes: every document got its true label.", ("class", "note"));
            return;
        }
        w.Element("p", (note is null ? "" : note + " ") + (mistakes.Count == 1 ? "The one wrong prediction." : $"The {mistakes.Count} wrong predictions made with the highest probability."), ("class", "note"));
        w.Open("table", ("class", "mistakes")).Open("thead").Open("tr");
        w.Element("th", "text").Element("th", "true").Element("th", "predicted").Element("th", "probability", ("class", "num")).Element("th", "p(true)", ("class", "num"));
        w.Close("tr").Close("thead").Open("tbody");
        foreach (var m in mistakes)
        {
            w.Open("tr").Element("td", Excerpt(m.Text), ("class", "excerpt")).Element("td", m.TrueLabel).Element("td", m.Predicted);
            w.Open("td", ("class", "num"));
            HtmlCharts.Bar(w, m.Probability, "prob", width: 60, height: 9);
            w.Text(MetricsText.F(m.Probability)).Close("td");
            w.Element("td", MetricsText.F(m.TrueProbability), ("class", "num")).Close("tr");
        }
        w.Close("tbody").Close("table");
    }

    public static string Excerpt(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= ExcerptChars ? flat : flat[..ExcerptChars].TrimEnd() + "\u2026";
    }
}
