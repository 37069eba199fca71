using Classifier.Cli.Output;
using Classifier.Core.Evaluation;
using Classifier.Core.Explain;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Report;

/// <summary>The page itself, built from hand-made metrics: escaping, many classes, and the pieces around it.</summary>
public sealed class HtmlRenderingTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>k classes whose labels need escaping, with some confusion between neighbours.</summary>
    private static MulticlassMetrics Metrics(int k)
    {
        var labels = Enumerable.Range(0, k).Select(i => i == 0 ? "a<b & \"c\" 'd'" : i == 1 ? "control\u0001char and a very long label that must be cut in the chart" : $"class-{i:00}").ToList();
        var confusion = Enumerable.Range(0, k).Select(r => Enumerable.Range(0, k).Select(c => c == r ? 10 + r : c == (r + 1) % k ? r % 3 : 0).ToArray()).ToArray();
        return MulticlassEvaluator.FromConfusion(confusion, labels);
    }

    private string Render(MulticlassMetrics m, HtmlReportInput input)
    {
        var html = HtmlReport.Render("Report <test> & co", HtmlReport.Sections(m, [("data", "x&y.csv"), ("label column", "<label>")], input));
        return _tmp.Write("report.html", html);
    }

    [Fact]
    public void ManyClasses_AndHostileLabels_StayWellFormed_AndKeepEveryCount()
    {
        var m = Metrics(25);
        var mistakes = new[] { new Mistake(0, "Text with <b>markup</b> & \"quotes\"\u0002 and a lone \ud800 surrogate", m.Labels[0], m.Labels[1], 0.97, 0.01) };
        var path = Render(m, new HtmlReportInput { Verb = "evaluate", Mistakes = mistakes, Settings = [("--trainer", "svm")] });
        var html = File.ReadAllText(path);
        ReportHtml.AssertSelfContained(html);
        var doc = ReportHtml.Parse(path);
        Assert.Equal(m.Confusion, ReportHtml.Confusion(doc));
        Assert.Equal("Report <test> & co", doc.SelectSingleNode("//h:title", ReportHtml.Namespaces(doc))!.InnerText);
        Assert.Contains("a<b & \"c\" 'd'", ReportHtml.SectionText(doc, "per-class"));
        Assert.Contains("Text with <b>markup</b> & \"quotes\"", ReportHtml.SectionText(doc, "mistakes"));
        Assert.DoesNotContain("<b>markup", html);
        Assert.Contains("No model to read terms from", ReportHtml.SectionText(doc, "top-terms"));
        // The full label survives in the tooltip even where the chart cuts it.
        Assert.Contains("control\uFFFDchar and a very long label that must be cut in the chart", ReportHtml.SectionText(doc, "confusion"));
    }

    [Fact]
    public void SectionsSayWhatIsMissing()
    {
        var path = Render(Metrics(3), new HtmlReportInput { MistakesNote = "Not kept here." });
        var doc = ReportHtml.Parse(path);
        Assert.Contains("Not kept here.", ReportHtml.SectionText(doc, "mistakes"));
    }

    [Fact]
    public void HeatMapShades_RunFromWhiteToDark_BlueOnTheDiagonalRedOffIt()
    {
        Assert.Equal("#ffffff", HtmlCharts.Shade(0, true));
        Assert.Equal("#08519c", HtmlCharts.Shade(1, true));
        Assert.Equal("#a50f15", HtmlCharts.Shade(1, false));
        Assert.NotEqual("#ffffff", HtmlCharts.Shade(0.02, false));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("<&>\"'", "&lt;&amp;&gt;&quot;&#39;")]
    [InlineData("tab\tline\nok", "tab\tline\nok")]
    [InlineData("bell\u0007", "bell\uFFFD")]
    [InlineData("emoji \ud83d\ude00 kept", "emoji \ud83d\ude00 kept")]
    public void Escape_ProducesTextXmlAccepts(string input, string expected) => Assert.Equal(expected, HtmlWriter.Escape(input));

    /// <summary>Not a theory: attribute data cannot carry a lone surrogate.</summary>
    [Fact]
    public void Escape_ReplacesLoneSurrogates()
    {
        Assert.Equal("lone \uFFFD low", HtmlWriter.Escape("lone \udc00 low"));
        Assert.Equal("cut \uFFFD", HtmlWriter.Escape("cut \ud83d"));
    }

    [Fact]
    public void Writer_RefusesMismatchedTags()
    {
        var w = new HtmlWriter().Open("div");
        Assert.Throws<InvalidOperationException>(() => w.Close("span"));
        Assert.Throws<InvalidOperationException>(() => new HtmlWriter().Open("p").ToString());
    }

    [Fact]
    public void MostConfidentMistakes_AreTheWrongOnesByFallingProbability()
    {
        string[] labels = ["a", "b", "c"];
        var texts = new[] { "t0", "t1", "t2", "t3", "t4" };
        var gold = new[] { "a", "a", "b", "c", "c" };
        var p = new[]
        {
            new[] { 0.9f, 0.05f, 0.05f }, // right
            new[] { 0.2f, 0.7f, 0.1f },   // wrong at 0.7
            new[] { 0.1f, 0.1f, 0.8f },   // wrong at 0.8
            new[] { 0.3f, 0.6f, 0.1f },   // wrong at 0.6
            new[] { 0.1f, 0.1f, 0.8f },   // right
        };
        var all = Mistakes.MostConfident(texts, gold, p, labels, 10);
        Assert.Equal(["t2", "t1", "t3"], all.Select(m => m.Text));
        Assert.Equal(("b", "c", 0.8, 0.1), (all[0].TrueLabel, all[0].Predicted, all[0].Probability, all[0].TrueProbability), new ApproxTuple());
        Assert.Equal(["t2", "t1"], Mistakes.MostConfident(texts, gold, p, labels, 2).Select(m => m.Text));
    }

    [Fact]
    public void Excerpt_FlattensWhitespace_AndCutsLongText()
    {
        Assert.Equal("a b c", MistakesSection.Excerpt("a\n\n b\t c "));
        var cut = MistakesSection.Excerpt(new string('x', 1000));
        Assert.Equal(MistakesSection.ExcerptChars + 1, cut.Length);
        Assert.EndsWith("\u2026", cut);
    }

    private sealed class ApproxTuple : IEqualityComparer<(string, string, double, double)>
    {
        public bool Equals((string, string, double, double) x, (string, string, double, double) y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && Math.Abs(x.Item3 - y.Item3) < 1e-6 && Math.Abs(x.Item4 - y.Item4) < 1e-6;

        public int GetHashCode((string, string, double, double) obj) => 0;
    }
}
