using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Classifier.Tests.Cli;

/// <summary>
/// Tests that run the whole command tree in process. They share one collection so that they never run at the
/// same time as each other (each training run already uses every core).
/// </summary>
[CollectionDefinition(Name)]
public sealed class CliCollection
{
    public const string Name = "cli";
}

/// <summary>One model trained on tiny-news.csv, shared by the tests that only read it.</summary>
public sealed class TrainedModelFixture : IAsyncLifetime
{
    public TempDirectory Dir { get; } = new();
    public string Data { get; private set; } = "";
    /// <summary>In a folder that does not exist before training, so train must create it.</summary>
    public string Model => Dir["models/news.zip"];
    public CliResult Train { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Data = Dir.CopyFixture("tiny-news.csv");
        Train = await CliHarness.RunAsync(["train", "--data", Data, "--text", "title,text", "--model", Model, "--json", "--quiet"], stdin: null);
    }

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CliCollection.Name)]
public sealed class EndToEndTests : IClassFixture<TrainedModelFixture>, IDisposable
{
    private static readonly string[] TinyLabels = ["business", "health", "sport"];

    private const string SportText = "The striker scored a goal and the team won the football match at the stadium.";
    private const string HealthText = "Doctors at the hospital gave patients a vaccine at the clinic.";

    private readonly TrainedModelFixture _trained;
    private readonly TempDirectory _tmp = new();

    public EndToEndTests(TrainedModelFixture trained) => _trained = trained;

    public void Dispose() => _tmp.Dispose();

    private string TrainedModel
    {
        get
        {
            Assert.True(_trained.Train.ExitCode == 0, $"training the shared model failed:\n{_trained.Train}");
            return _trained.Model;
        }
    }

    /// <summary>
    /// Bad input: exit 2, exactly one "error:" line on stderr (after any progress lines), no stack trace,
    /// nothing on stdout.
    /// </summary>
    private static void AssertBadInput(CliResult r, params string[] stderrContains)
    {
        Assert.True(r.ExitCode == 2, $"expected exit 2\n{r}");
        var lines = r.Stderr.TrimEnd('\n').Split('\n');
        Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith("error: ", lines[^1]);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
        Assert.Equal("", r.Stdout);
        foreach (var s in stderrContains) Assert.Contains(s, r.Stderr);
    }

    private static string[] Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    private static void AssertMetricsConsistent(JsonElement json, int expectedExamples, int perClassSupport)
    {
        Assert.Equal("multiclass", json.GetProperty("task").GetString());
        var examples = json.GetProperty("examples").GetInt32();
        Assert.Equal(expectedExamples, examples);
        var accuracy = json.GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0.0, 1.0);
        Assert.InRange(json.GetProperty("macro_f1").GetDouble(), 0.0, 1.0);
        Assert.InRange(json.GetProperty("top2_accuracy").GetDouble(), accuracy - 1e-6, 1.0);
        Assert.True(json.GetProperty("log_loss").GetDouble() >= 0);
        Assert.Equal(accuracy, json.GetProperty("micro_f1").GetDouble(), 6);

        var perClass = json.GetProperty("per_class").EnumerateArray().ToList();
        Assert.Equal(3, perClass.Count);
        Assert.Equal(TinyLabels, perClass.Select(c => c.GetProperty("label").GetString()));
        Assert.All(perClass, c => Assert.Equal(perClassSupport, c.GetProperty("support").GetInt32()));

        var confusion = json.GetProperty("confusion");
        Assert.Equal(TinyLabels, confusion.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        var matrix = confusion.GetProperty("matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(3, matrix.Length);
        Assert.All(matrix, row => Assert.Equal(3, row.Length));
        Assert.Equal(examples, matrix.Sum(r => r.Sum()));
        for (int i = 0; i < 3; i++) Assert.Equal(perClass[i].GetProperty("support").GetInt32(), matrix[i].Sum());
        var diagonal = Enumerable.Range(0, 3).Sum(i => matrix[i][i]);
        Assert.Equal((double)diagonal / examples, accuracy, 6);
    }

    // ---------------------------------------------------------------- train

    [Fact]
    public void Train_Json_PrintsOneObjectWithConsistentMetrics_AndSavesTheModelAtomically()
    {
        var r = _trained.Train;
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr); // --quiet
        Assert.Single(r.Stdout.TrimEnd('\n').Split('\n'));
        var json = r.Json();
        // 12 per class, round(12 * 0.2) = 2 held out per class.
        AssertMetricsConsistent(json, expectedExamples: 6, perClassSupport: 2);
        Assert.Equal(_trained.Model, json.GetProperty("model").GetString());
        Assert.True(json.GetProperty("train_seconds").GetDouble() >= 0);

        Assert.True(File.Exists(_trained.Model));
        var folder = Path.GetDirectoryName(_trained.Model)!;
        Assert.Equal(["news.zip"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_trained.Data)!, "*.tmp"));
    }

    [Fact]
    public async Task Train_Report_WritesMetricsJsonAndMarkdown()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var report = _tmp["report"];
        var r = await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--model", _tmp["m.zip"], "--report", report, "--json", "--quiet");
        var stdout = r.Json();

        var metricsJson = Path.Combine(report, "metrics.json");
        var metricsMd = Path.Combine(report, "metrics.md");
        Assert.True(File.Exists(metricsJson));
        Assert.True(File.Exists(metricsMd));
        using var doc = JsonDocument.Parse(File.ReadAllText(metricsJson));
        AssertMetricsConsistent(doc.RootElement, expectedExamples: 6, perClassSupport: 2);
        Assert.Equal(stdout.GetProperty("accuracy").GetDouble(), doc.RootElement.GetProperty("accuracy").GetDouble());
        var md = File.ReadAllText(metricsMd);
        Assert.StartsWith("# Evaluation", md);
        Assert.Contains("| accuracy |", md);
        Assert.Contains("| sport |", md);
        Assert.Contains("## Confusion matrix", md);
        Assert.Empty(Directory.GetFiles(report, "*.tmp"));
        Assert.Equal(["metrics.json", "metrics.md", "report.html"], Directory.GetFiles(report).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Train_TextOutput_NamesTheModelAndTheMetrics()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var model = _tmp["text.zip"];
        var r = await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--model", model, "--quiet");
        Assert.Contains($"Model saved to {model}.", r.Stdout);
        Assert.Contains("label 'label' (3 classes)", r.Stdout);
        Assert.Contains("Evaluation on 6 held-out documents", r.Stdout);
        Assert.Contains("accuracy", r.Stdout);
        Assert.Contains("Confusion matrix", r.Stdout);
    }

    [Fact]
    public async Task Train_Jsonl_Trains()
    {
        var data = _tmp.CopyFixture("tiny-news.jsonl");
        var r = await CliHarness.RunOkAsync("train", "--data", data, "--text", "text", "--model", _tmp["jsonl.zip"], "--json", "--quiet");
        // 8 per class, round(8 * 0.2) = 2 held out per class.
        AssertMetricsConsistent(r.Json(), expectedExamples: 6, perClassSupport: 2);
        Assert.True(File.Exists(_tmp["jsonl.zip"]));
    }

    [Fact]
    public async Task Train_FastText_Trains()
    {
        var data = _tmp.CopyFixture("tiny-news.ft");
        var r = await CliHarness.RunOkAsync("train", "--data", data, "--text", "text", "--model", _tmp["ft.zip"], "--json", "--quiet");
        AssertMetricsConsistent(r.Json(), expectedExamples: 6, perClassSupport: 2);
        var info = (await CliHarness.RunOkAsync("info", "-m", _tmp["ft.zip"], "--json")).Json();
        Assert.Equal(TinyLabels, info.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Train_SameSeedOneThread_IsReproducible()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        static string Metrics(CliResult r)
        {
            var node = JsonNode.Parse(r.Stdout)!.AsObject();
            node.Remove("train_seconds");
            node.Remove("model");
            return node.ToJsonString();
        }
        var a = await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--threads", "1", "--seed", "5", "--model", _tmp["a.zip"], "--json", "--quiet");
        var b = await CliHarness.RunOkAsync("train", "--data", data, "--text", "title,text", "--threads", "1", "--seed", "5", "--model", _tmp["b.zip"], "--json", "--quiet");
        Assert.Equal(Metrics(a), Metrics(b));
        var pa = await CliHarness.RunOkAsync("predict", "-m", _tmp["a.zip"], SportText, HealthText, "--json");
        var pb = await CliHarness.RunOkAsync("predict", "-m", _tmp["b.zip"], SportText, HealthText, "--json");
        Assert.Equal(pa.Stdout, pb.Stdout);
        Assert.Equal(2, pa.Stdout.TrimEnd('\n').Split('\n').Length); // one JSON line per document
    }

    [Fact]
    public async Task Train_DataFromStdin()
    {
        var csv = File.ReadAllText(CliHarness.Fixture("tiny-news.csv"));
        var r = await CliHarness.RunAsync(["train", "--data", "-", "--text", "title,text", "--model", _tmp["stdin.zip"], "--json", "--quiet"], stdin: csv);
        Assert.True(r.ExitCode == 0, r.ToString());
        AssertMetricsConsistent(r.Json(), expectedExamples: 6, perClassSupport: 2);
        Assert.True(File.Exists(_tmp["stdin.zip"]));
    }

    [Fact]
    public async Task Train_Help_ListsOptionsWithDefaults()
    {
        var r = await CliHarness.RunOkAsync("train", "--help");
        Assert.Contains("--seed", r.Stdout);
        Assert.Contains("[default: 1]", r.Stdout);
        Assert.Contains("--test-fraction", r.Stdout);
        Assert.Contains("[default: 0.2]", r.Stdout);
        Assert.Contains($"[default: {Classifier.Core.Training.TrainerKinds.Name(new Classifier.Core.Training.TrainerOptions().Trainer)}]", r.Stdout);
        Assert.Contains("[default: 2-5]", r.Stdout);
    }

    // -------------------------------------------------------------- predict

    [Fact]
    public async Task Predict_Json_GivesLabelScoreAndDescendingTop()
    {
        var r = await CliHarness.RunOkAsync("predict", "-m", TrainedModel, SportText, "--json");
        var json = r.Json();
        var label = json.GetProperty("label").GetString();
        var score = json.GetProperty("score").GetDouble();
        var top = json.GetProperty("top").EnumerateArray().ToList();
        Assert.Equal(3, top.Count); // --top 3 by default, and the model has 3 labels
        Assert.Equal(label, top[0].GetProperty("label").GetString());
        Assert.Equal(score, top[0].GetProperty("score").GetDouble());
        var scores = top.Select(t => t.GetProperty("score").GetDouble()).ToList();
        for (int i = 1; i < scores.Count; i++) Assert.True(scores[i] <= scores[i - 1], string.Join(", ", scores));
        Assert.Equal(1.0, scores.Sum(), 4);
        Assert.Equal(TinyLabels, top.Select(t => t.GetProperty("label").GetString()).Order());
        Assert.Equal("sport", label);
    }

    [Fact]
    public async Task Predict_Top1_ListsOneLabel()
    {
        var json = (await CliHarness.RunOkAsync("predict", "-m", TrainedModel, HealthText, "--json", "--top", "1")).Json();
        Assert.Single(json.GetProperty("top").EnumerateArray());
        Assert.Equal("health", json.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Predict_Text_PrintsTheLabelFirst()
    {
        var r = await CliHarness.RunOkAsync("predict", "-m", TrainedModel, SportText);
        var lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        var first = lines[0].Split('\t');
        Assert.Equal("sport", first[0]);
        Assert.Matches(@"^[01]\.\d{4}$", first[1]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("  ", l));
    }

    [Fact]
    public async Task Predict_Dash_ReadsStdin_SameAsTheArgument()
    {
        var fromStdin = await CliHarness.RunAsync(["predict", "-m", TrainedModel, "-", "--json"], stdin: HealthText);
        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        var fromArg = await CliHarness.RunOkAsync("predict", "-m", TrainedModel, HealthText, "--json");
        Assert.Equal("health", fromStdin.Json().GetProperty("label").GetString());
        Assert.Equal(fromArg.Stdout, fromStdin.Stdout);
    }

    [Fact]
    public async Task Predict_NoText_IsBadInput()
    {
        var r = await CliHarness.RunAsync("predict", "-m", TrainedModel);
        AssertBadInput(r, "give at least one TEXT");
    }

    // ------------------------------------------------------------- evaluate

    [Fact]
    public async Task Evaluate_Json_HasTheTrainKeys_AndScoresEveryRow()
    {
        var r = await CliHarness.RunOkAsync("evaluate", "-m", TrainedModel, "--data", _trained.Data, "--json");
        var json = r.Json();
        AssertMetricsConsistent(json, expectedExamples: 36, perClassSupport: 12);
        var trainKeys = Keys(_trained.Train.Json()).Except(["model", "train_seconds"]).Order();
        Assert.Equal(trainKeys, Keys(json).Order());
        // The model saw 30 of these 36 rows; on such separable data it gets nearly all right.
        Assert.True(json.GetProperty("accuracy").GetDouble() >= 0.8, r.Stdout);
    }

    // ----------------------------------------------------------------- info

    [Fact]
    public async Task Info_ShowsLabelsAndDataHash()
    {
        var r = await CliHarness.RunOkAsync("info", "-m", TrainedModel);
        string sha;
        using (var f = File.OpenRead(_trained.Data)) sha = Convert.ToHexStringLower(SHA256.HashData(f));
        Assert.Contains($"sha256 {sha}", r.Stdout);
        foreach (var label in TinyLabels) Assert.Contains(label, r.Stdout);
        Assert.Contains("label column     label", r.Stdout);
        Assert.Contains("text columns     title,text", r.Stdout);
        Assert.Contains("36 read, 0 skipped, 30 trained on, 6 held out", r.Stdout);
    }

    [Fact]
    public async Task Info_Json_ParsesWithSchemaVersion2_AndTheCompactLayout()
    {
        var json = (await CliHarness.RunOkAsync("info", "-m", TrainedModel, "--json")).Json();
        Assert.Equal(2, json.GetProperty("schema_version").GetInt32());
        var compact = json.GetProperty("compact");
        Assert.Equal("int8", compact.GetProperty("weights").GetString());
        Assert.Equal(json.GetProperty("feature_count").GetInt32(), compact.GetProperty("kept_features").GetInt32());
        Assert.Equal("multiclass", json.GetProperty("task").GetString());
        Assert.Equal("label", json.GetProperty("label_column").GetString());
        Assert.Equal(["title", "text"], json.GetProperty("text_columns").EnumerateArray().Select(c => c.GetString()));
        var labels = json.GetProperty("labels").EnumerateArray().ToList();
        Assert.Equal(TinyLabels, labels.Select(l => l.GetProperty("label").GetString()));
        Assert.All(labels, l => Assert.Equal(10, l.GetProperty("count").GetInt32()));
        Assert.Equal(6, json.GetProperty("holdout").GetProperty("examples").GetInt32());
        Assert.Equal(30, json.GetProperty("data").GetProperty("train_rows").GetInt32());
        Assert.True(json.GetProperty("feature_count").GetInt32() > 0);
    }

    // ------------------------------------------------------- cross-validate

    [Fact]
    public async Task CrossValidate_Json_ThreeFoldsWithMeanAndStd()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var r = await CliHarness.RunOkAsync("cross-validate", "--data", data, "--text", "title,text", "--folds", "3", "--json", "--quiet");
        var json = r.Json();
        Assert.Equal("multiclass", json.GetProperty("task").GetString());
        var folds = json.GetProperty("folds").EnumerateArray().ToList();
        Assert.Equal(3, folds.Count);
        Assert.Equal([1, 2, 3], folds.Select(f => f.GetProperty("fold").GetInt32()));
        // 36 rows dealt round-robin: 12 per fold.
        Assert.All(folds, f => Assert.Equal(12, f.GetProperty("examples").GetInt32()));
        var accuracies = folds.Select(f => f.GetProperty("accuracy").GetDouble()).ToList();
        Assert.All(accuracies, a => Assert.InRange(a, 0.0, 1.0));
        var mean = json.GetProperty("accuracy_mean").GetDouble();
        Assert.Equal(accuracies.Average(), mean, 5);
        var std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / 2); // sample standard deviation, n - 1 = 2
        Assert.Equal(std, json.GetProperty("accuracy_std").GetDouble(), 5);
        Assert.True(json.GetProperty("macro_f1_std").GetDouble() >= 0);
        Assert.Equal(36, json.GetProperty("pooled").GetProperty("examples").GetInt32());
    }

    [Fact]
    public async Task CrossValidate_OneFold_IsBadInput()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        AssertBadInput(await CliHarness.RunAsync("cross-validate", "--data", data, "--text", "title,text", "--folds", "1"), "--folds must be at least 2");
    }

    // --------------------------------------------------------------- errors

    [Fact]
    public async Task MissingDataFile_Exit2_NamesThePath()
    {
        var missing = _tmp["nope.csv"];
        var r = await CliHarness.RunAsync("train", "--data", missing, "--model", _tmp["m.zip"]);
        AssertBadInput(r, missing, "no such file");
        Assert.False(File.Exists(_tmp["m.zip"]));
    }

    [Fact]
    public async Task MissingDataFile_Verbose_ShowsTheStackTrace()
    {
        var r = await CliHarness.RunAsync("train", "--data", _tmp["nope.csv"], "--model", _tmp["m.zip"], "--verbose");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no such file", r.Stderr);
        Assert.Contains("   at ", r.Stderr);
    }

    [Fact]
    public async Task MissingLabelColumn_Exit2_ListsTheColumns()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var r = await CliHarness.RunAsync("train", "--data", data, "--text", "title,text", "--label", "category", "--model", _tmp["m.zip"]);
        AssertBadInput(r, "'category'", "id, title, text, label");
    }

    [Fact]
    public async Task MissingTextColumn_Exit2_ListsTheColumns()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var r = await CliHarness.RunAsync("train", "--data", data, "--text", "body", "--model", _tmp["m.zip"]);
        AssertBadInput(r, "'body'", "id, title, text, label");
    }

    [Fact]
    public async Task OnlyOneClass_Exit2()
    {
        var data = _tmp.Write("one.csv", "text,label\n" + string.Concat(Enumerable.Range(1, 6).Select(i => $"match report number {i},sport\n")));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        AssertBadInput(r, "one class");
        Assert.False(File.Exists(_tmp["m.zip"]));
    }

    [Fact]
    public async Task ClassWithOneExample_DefaultHoldout_Exit2()
    {
        var rows = Enumerable.Range(1, 5).Select(i => $"football match {i},sport\n")
            .Concat(Enumerable.Range(1, 5).Select(i => $"stock market {i},business\n"))
            .Append("hospital ward,health\n");
        var data = _tmp.Write("rare.csv", "text,label\n" + string.Concat(rows));
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        AssertBadInput(r, "'health'", "only 1 example");
        Assert.False(File.Exists(_tmp["m.zip"]));
    }

    [Theory]
    [InlineData("empty.csv", "")]
    [InlineData("header-only.csv", "text,label\n")]
    [InlineData("empty.jsonl", "")]
    [InlineData("empty.ft", "")]
    public async Task EmptyFile_Exit2(string name, string content)
    {
        var data = _tmp.Write(name, content);
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", _tmp["m.zip"]);
        AssertBadInput(r, data);
        Assert.False(File.Exists(_tmp["m.zip"]));
    }

    [Fact]
    public async Task UnknownTrainer_Exit2_ListsTheTrainers()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var r = await CliHarness.RunAsync("train", "--data", data, "--trainer", "deep-magic", "--model", _tmp["m.zip"]);
        AssertBadInput(r, "deep-magic", "sdca-maxent", "naive-bayes");
    }

    [Fact]
    public async Task UnknownOption_Exit2_PointsToHelp()
    {
        var r = await CliHarness.RunAsync("train", "--no-such-option");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--no-such-option", r.Stderr);
        Assert.Contains("--help", r.Stderr);
    }

    [Fact]
    public async Task ModelPathIsAFolder_Exit2_AndNothingWritten()
    {
        var data = _tmp.CopyFixture("tiny-news.csv");
        var folder = Directory.CreateDirectory(_tmp["a-folder"]).FullName;
        var r = await CliHarness.RunAsync("train", "--data", data, "--text", "title,text", "--model", folder);
        AssertBadInput(r, folder, "folder");
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Assert.Empty(Directory.GetFiles(_tmp.Path, "*.tmp"));
        Assert.Empty(Directory.GetFiles(_tmp.Path, ".*"));
    }

    [Fact]
    public async Task Info_OnANonZipFile_Exit2_NotAModelFile()
    {
        var fake = _tmp.Write("fake.zip", "this is plain text, not a zip archive\n");
        AssertBadInput(await CliHarness.RunAsync("info", "-m", fake), fake, "not a model file");
    }

    [Fact]
    public async Task Info_OnAMissingFile_Exit2()
    {
        var missing = _tmp["missing.zip"];
        AssertBadInput(await CliHarness.RunAsync("info", "-m", missing), missing, "no such model file");
    }

    [Fact]
    public async Task Info_OnATruncatedModel_Exit2()
    {
        var bytes = File.ReadAllBytes(TrainedModel);
        var truncated = _tmp["truncated.zip"];
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        AssertBadInput(await CliHarness.RunAsync("info", "-m", truncated), truncated);
        AssertBadInput(await CliHarness.RunAsync("predict", "-m", truncated, SportText), truncated);
    }

    [Fact]
    public async Task Model_WithNewerManifestSchema_Exit2_SaysNewer()
    {
        var copy = _tmp["future.zip"];
        File.Copy(TrainedModel, copy);
        using (var zip = ZipFile.Open(copy, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            JsonNode manifest;
            using (var s = entry.Open()) manifest = JsonNode.Parse(s)!;
            Assert.Equal(2, (int)manifest["schema_version"]!);
            manifest["schema_version"] = 99;
            entry.Delete();
            using var w = zip.CreateEntry("manifest.json").Open();
            JsonSerializer.Serialize(w, manifest);
        }
        AssertBadInput(await CliHarness.RunAsync("info", "-m", copy), "newer", "99");
        AssertBadInput(await CliHarness.RunAsync("predict", "-m", copy, SportText), "newer");
        AssertBadInput(await CliHarness.RunAsync("evaluate", "-m", copy, "--data", _trained.Data), "newer");
    }

    [Fact]
    public async Task Model_WithoutManifest_Exit2()
    {
        var copy = _tmp["bare.zip"];
        File.Copy(TrainedModel, copy);
        using (var zip = ZipFile.Open(copy, ZipArchiveMode.Update)) zip.GetEntry("manifest.json")!.Delete();
        AssertBadInput(await CliHarness.RunAsync("info", "-m", copy), "manifest.json is missing");
    }
}
