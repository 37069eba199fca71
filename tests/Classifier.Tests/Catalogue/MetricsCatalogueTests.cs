using System.Text.Json;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, metrics: an evaluated file that lacks some of the model's labels. Macro averages run over the labels
/// true or predicted in the file, for single-label and multi-label models alike; multi-label Hamming loss is over the
/// model's labels. The maths against scikit-learn is in Evaluation/AveragingConventionTests.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class MetricsCatalogueTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static Dictionary<string, JsonElement> PerLabel(JsonElement json, string key) =>
        json.GetProperty(key).EnumerateArray().ToDictionary(l => l.GetProperty("label").GetString()!, l => l);

    [Fact]
    public async Task MultiLabel_Evaluate_MacroOverTrueOrPredicted_HammingOverTheModelsLabels()
    {
        // The model learns five labels (africa, asia, business, europe, sport) from the fixture, and gives its own
        // training documents their sets. e1 is m01 with "africa" struck from its true set, e2 is m12 as it is; asia is
        // in neither set nor predicted. africa: predicted, never true: F1 0; business, europe, sport: F1 1.
        // Macro F1 = (0 + 1 + 1 + 1) / 4 = 0.75 (over the true labels only it was 1). Hamming loss: 1 wrong decision
        // (africa for e1) / (2 documents x 5 labels) = 0.1 (over the 4 labels in the file it was 0.125).
        var model = _tmp["ml.zip"];
        await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("multi-label.csv"), "--label", "labels", "--multi-label",
            "--model", model, "--test-fraction", "0", "--quiet");
        var data = _tmp.Write("eval.csv", "id,text,labels\n" +
            "e1,Striker scores twice as Lagos side wins league,sport\n" +
            "e2,Paris shares dip after luxury earnings miss,business;europe\n");

        var scored = await CliHarness.RunOkAsync("score", "-m", model, "-i", data, "-o", "-", "--keep", "id", "--quiet");
        var sets = scored.Stdout.TrimEnd('\n').Split('\n').Skip(1)
            .Select(l => string.Join(';', l.Split(',')[1].Split(';').Order(StringComparer.Ordinal)));
        Assert.Equal(["africa;sport", "business;europe"], sets);

        var r = await CliHarness.RunOkAsync("evaluate", "-m", model, "--data", data, "--json", "--quiet");
        var json = r.Json();
        var perLabel = PerLabel(json, "per_label");
        Assert.Equal(["africa", "business", "europe", "sport"], perLabel.Keys);
        Assert.Equal(0.0, perLabel["africa"].GetProperty("f1").GetDouble());
        Assert.Equal(0.75, json.GetProperty("macro_f1").GetDouble(), 6);
        Assert.Equal(5, json.GetProperty("label_columns").GetInt32());
        Assert.Equal(0.1, json.GetProperty("hamming_loss").GetDouble(), 6);

        var text = await CliHarness.RunOkAsync("evaluate", "-m", model, "--data", data, "--quiet");
        Assert.Contains("Macro averages over the 4 labels true or predicted in these documents; Hamming loss over 2 documents x 5 labels.", text.Stdout);
    }

    [Fact]
    public async Task SingleLabel_Evaluate_MacroOverTrueOrPredicted()
    {
        // The model learns business, health and sport. e1 is a sport text labelled sport, e2 a business text mislabelled
        // sport; nothing is health. sport: P 1, R 1/2, F1 2/3; business: predicted, never true: F1 0; health: left out.
        // Macro F1 = (2/3 + 0) / 2 = 1/3 (over all three classes it would be 2/9).
        var model = _tmp["m.zip"];
        await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("tiny-news.csv"), "--model", model, "--test-fraction", "0", "--quiet");
        var data = _tmp.Write("eval.csv", "id,title,text,label\n" +
            "e1,Striker scores twice in derby win,The striker scored two goals in the second half as United won the football derby.,sport\n" +
            "e2,Bank raises interest rates again,The central bank raised interest rates by a quarter point to slow inflation.,sport\n");

        var json = (await CliHarness.RunOkAsync("evaluate", "-m", model, "--data", data, "--json", "--quiet")).Json();
        var confusion = json.GetProperty("confusion");
        Assert.Equal(["business", "health", "sport"], confusion.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        // Rows true, columns predicted: both documents are true sport; e1 is predicted sport, e2 business.
        Assert.Equal([1, 0, 1], confusion.GetProperty("matrix")[2].EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(1.0 / 3, json.GetProperty("macro_f1").GetDouble(), 6);
    }
}
