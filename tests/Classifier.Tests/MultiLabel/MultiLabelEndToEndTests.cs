using System.Text.Json;
using Classifier.Core.Models;
using Classifier.Tests.Cli;

namespace Classifier.Tests.MultiLabel;

/// <summary>Multi-label mode through the command tree, on the hand-written fixture data/fixtures/multi-label.csv.</summary>
[Collection(CliCollection.Name)]
public sealed class MultiLabelEndToEndTests : IDisposable
{
    private readonly TempDirectory _tmp = new();
    private readonly string _data = CliHarness.Fixture("multi-label.csv");

    public void Dispose() => _tmp.Dispose();

    private async Task<string> TrainAsync(params string[] extra)
    {
        var model = _tmp["ml.zip"];
        await CliHarness.RunOkAsync(new[] { "train", "--data", _data, "--label", "labels", "--multi-label", "--model", model, "--quiet", "--test-fraction", "0" }.Concat(extra).ToArray());
        return model;
    }

    [Fact]
    public async Task Train_Json_HasTheMultiLabelShape()
    {
        var r = await CliHarness.RunOkAsync("train", "--data", _data, "--label", "labels", "--label-separator", ";", "--model", _tmp["m.zip"], "--json", "--quiet", "--test-fraction", "0.25");
        var json = r.Json();
        Assert.Equal("multilabel", json.GetProperty("task").GetString());
        foreach (var key in new[] { "micro_f1", "macro_f1", "exact_match", "hamming_loss", "micro_precision", "macro_recall" })
            Assert.InRange(json.GetProperty(key).GetDouble(), 0, 1);
        var perLabel = json.GetProperty("per_label").EnumerateArray().ToList();
        Assert.NotEmpty(perLabel);
        Assert.All(perLabel, l => Assert.True(l.TryGetProperty("threshold", out _)));
    }

    [Fact]
    public async Task Thresholds_RoundTripThroughTheModelFile_AndInfoShowsThem()
    {
        var model = await TrainAsync();
        var manifest = ModelFile.ReadManifest(model);
        Assert.Equal(Manifest.MultiLabelTask, manifest.Task);
        var settings = manifest.MultiLabel!;
        Assert.Equal(manifest.Labels.Count, settings.Thresholds.Count);
        Assert.All(settings.Thresholds, t => Assert.InRange(t, 0, 1));

        var loaded = ModelFile.Load(model);
        Assert.Equal(settings.Thresholds, loaded.Manifest.MultiLabel!.Thresholds);
        var info = await CliHarness.RunOkAsync("info", "--model", model);
        Assert.Contains("threshold", info.Stdout);
        Assert.Contains(settings.Thresholds[0].ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), info.Stdout);
    }

    [Fact]
    public async Task Predict_GivesALabelSetWithProbabilities()
    {
        var model = await TrainAsync("--min-labels", "1", "--max-labels", "2");
        var r = await CliHarness.RunOkAsync("predict", "--model", model, "--json", "Lagos striker scores as league leaders win");
        var labels = r.Json().GetProperty("labels").EnumerateArray().ToList();
        Assert.InRange(labels.Count, 1, 2);
        var scores = labels.Select(l => l.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Fact]
    public async Task Score_WritesLabelSetsInCsvAndJsonl()
    {
        var model = await TrainAsync("--min-labels", "1");
        await CliHarness.RunOkAsync("score", "--model", model, "--input", _data, "--output", _tmp["out.csv"], "--keep", "id", "--quiet");
        var csv = File.ReadAllLines(_tmp["out.csv"]);
        Assert.Equal("id,labels,scores,error", csv[0]);
        Assert.Equal(25, csv.Length);
        foreach (var line in csv.Skip(1))
        {
            var parts = line.Split(',');
            Assert.Equal(4, parts.Length);
            Assert.Equal("", parts[3]);
            var labels = parts[1].Split(';');
            var scores = parts[2].Split(';');
            Assert.Equal(labels.Length, scores.Length);
            Assert.True(labels.Length >= 1);
        }

        await CliHarness.RunOkAsync("score", "--model", model, "--input", _data, "--output", _tmp["out.jsonl"], "--keep", "none", "--quiet");
        var rows = File.ReadAllLines(_tmp["out.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(24, rows.Count);
        Assert.Equal("m01", rows[0].GetProperty("id").GetString());
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Array, r.GetProperty("labels").ValueKind));
    }

    [Fact]
    public async Task LabelMap_WithUnknownLabels_IsReportedAndApplied()
    {
        File.WriteAllText(_tmp["map.csv"], "from,to\nsport,leisure\nbusiness,economy\nafrica,place\nasia,place\n");
        var r = await CliHarness.RunAsync("train", "--data", _data, "--label", "labels", "--multi-label", "--label-map", _tmp["map.csv"],
            "--model", _tmp["mapped.zip"], "--test-fraction", "0");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("not in the label map", r.Stderr);
        Assert.Contains("europe", r.Stderr);
        var labels = ModelFile.ReadManifest(_tmp["mapped.zip"]).Labels.Select(l => l.Label).ToList();
        Assert.Equal(new[] { "economy", "leisure", "place" }, labels);
    }

    [Fact]
    public async Task CrossValidate_MultiLabel_ReportsFoldMeans()
    {
        var r = await CliHarness.RunOkAsync("cross-validate", "--data", _data, "--label", "labels", "--multi-label", "--folds", "3", "--json", "--quiet");
        var json = r.Json();
        Assert.Equal(3, json.GetProperty("folds").GetArrayLength());
        Assert.InRange(json.GetProperty("micro_f1_mean").GetDouble(), 0, 1);
    }
}
