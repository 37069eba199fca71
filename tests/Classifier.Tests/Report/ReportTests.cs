using System.Text.Json;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Report;

/// <summary>report.html from train, evaluate and cross-validate: well-formed, self-contained, and agreeing with --json.</summary>
[Collection(CliCollection.Name)]
public sealed class ReportTests : IDisposable
{
    private static readonly string[] Sections = ["summary", "confusion", "per-class", "top-terms", "mistakes"];
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static void AssertReport(string folder, JsonElement metrics, string verb)
    {
        var path = Path.Combine(folder, "report.html");
        Assert.True(File.Exists(path), $"{path} was not written");
        var html = File.ReadAllText(path);
        ReportHtml.AssertSelfContained(html);
        var doc = ReportHtml.Parse(path);
        Assert.Equal(Sections, ReportHtml.SectionIds(doc));
        Assert.Equal(ReportHtml.Confusion(metrics), ReportHtml.Confusion(doc));
        Assert.Contains($"classifier {verb}", ReportHtml.SectionText(doc, "summary"));
        foreach (var c in metrics.GetProperty("per_class").EnumerateArray())
            Assert.Contains(c.GetProperty("label").GetString()!, ReportHtml.SectionText(doc, "per-class"));
        var sortable = doc.SelectNodes("//h:table[contains(@class,'sortable')]//h:th[@data-key]", ReportHtml.Namespaces(doc))!;
        Assert.Equal(["label", "precision", "recall", "f1", "support"], sortable.Cast<System.Xml.XmlElement>().Select(e => e.GetAttribute("data-key")));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public async Task Train_Report_HtmlParsesAndShowsTheJsonConfusionCounts()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var report = _tmp["report"];
        var r = await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--model", _tmp["m.zip"], "--report", report, "--json", "--quiet");
        AssertReport(report, r.Json(), "train");
        var doc = ReportHtml.Parse(Path.Combine(report, "report.html"));
        var terms = ReportHtml.SectionText(doc, "top-terms");
        foreach (var label in new[] { "business", "health", "sport" }) Assert.Contains(label, terms);
        Assert.Equal(["metrics.json", "metrics.md", "report.html"], Directory.GetFiles(report).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Evaluate_Report_MatchesItsJson_AndListsTheMistakes()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var model = _tmp["m.zip"];
        await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--model", model, "--test-fraction", "0", "--quiet");
        // Labels swapped on purpose: every document becomes a confident mistake.
        var swapped = _tmp.Write("swapped.jsonl", string.Join("\n",
            "{\"text\": \"The striker scored a late goal and the team won the football match.\", \"label\": \"business\"}",
            "{\"text\": \"The central bank raised interest rates and shares fell on the stock market.\", \"label\": \"health\"}",
            "{\"text\": \"Doctors at the hospital treated patients with a new vaccine.\", \"label\": \"sport\"}") + "\n");
        var report = _tmp["eval"];
        var r = await CliHarness.RunOkAsync("evaluate", "--model", model, "--data", swapped, "--text", "text", "--report", report, "--json", "--quiet");
        var json = r.Json();
        AssertReport(report, json, "evaluate");
        var doc = ReportHtml.Parse(Path.Combine(report, "report.html"));
        var rows = doc.SelectNodes("//h:section[@id='mistakes']//h:tbody/h:tr", ReportHtml.Namespaces(doc))!;
        var wrong = json.GetProperty("examples").GetInt32() - ReportHtml.Confusion(json).Select((row, i) => row[i]).Sum();
        Assert.Equal(wrong, rows.Count);
        Assert.Contains("striker scored a late goal", ReportHtml.SectionText(doc, "mistakes"));
    }

    [Fact]
    public async Task CrossValidate_Report_ShowsThePooledConfusion()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var report = _tmp["cv"];
        var r = await CliHarness.RunOkAsync("cross-validate", "--data", data, "--text", "title,text", "--folds", "3", "--report", report, "--json", "--quiet");
        var pooled = r.Json().GetProperty("pooled");
        AssertReport(report, pooled, "cross-validate");
        using var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        Assert.Equal(ReportHtml.Confusion(pooled), ReportHtml.Confusion(saved.RootElement.GetProperty("pooled")));
        Assert.True(File.Exists(Path.Combine(report, "metrics.md")));
    }

    [Fact]
    public async Task NonLinearTrainer_Report_SaysTopTermsAreNotAvailable()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var report = _tmp["nb"];
        await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--trainer", "naive-bayes", "--model", _tmp["nb.zip"], "--report", report, "--quiet");
        var doc = ReportHtml.Parse(Path.Combine(report, "report.html"));
        Assert.Contains("not available for the naive-bayes trainer", ReportHtml.SectionText(doc, "top-terms"));
    }
}
