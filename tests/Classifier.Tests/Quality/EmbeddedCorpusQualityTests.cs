using Classifier.Tests.Cli;

namespace Classifier.Tests.Quality;

/// <summary>
/// The quality regression test the spec requires: with default settings (seed 1, 20% stratified holdout) the
/// embedded news corpus must keep its held-out accuracy. A change to the featurizer, trainer or defaults that loses
/// accuracy fails here. The floors are the (0.85 topic, 0.80 region) raised to the measured 0.9881 (83 of 84
/// right, for each label) less a tolerance of two more mistakes: the default trainer is deterministic with any number
/// of threads, so the only slack needed is for floating-point differences between machines.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class EmbeddedCorpusQualityTests : IDisposable
{
    private const double MeasuredLessTwoMistakes = 81.0 / 84; // 0.9643

    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Topic_HeldOutAccuracy_StaysAtItsMeasuredLevel()
    {
        var model = _tmp["topic.zip"];
        var r = await CliHarness.RunOkAsync("train", "--json", "--quiet", "--model", model);
        var json = r.Json();
        // 432 documents, 72 per topic; round(72 * 0.2) = 14 held out per topic.
        Assert.Equal(84, json.GetProperty("examples").GetInt32());
        Assert.Equal(6, json.GetProperty("per_class").GetArrayLength());
        var accuracy = json.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy >= MeasuredLessTwoMistakes, $"held-out topic accuracy {accuracy:F4} fell below {MeasuredLessTwoMistakes:F4} (measured 0.9881; the issue asks at least 0.85)\n{r.Stdout}");
        Assert.True(File.Exists(model));
    }

    [Fact]
    public async Task Region_HeldOutAccuracy_StaysAtItsMeasuredLevel()
    {
        var model = _tmp["region.zip"];
        var r = await CliHarness.RunOkAsync("train", "--label", "region", "--json", "--quiet", "--model", model);
        var json = r.Json();
        // 7 regions of 60 or 62 documents; round(62 * 0.2) = 12 and round(60 * 0.2) = 12 held out each.
        Assert.Equal(84, json.GetProperty("examples").GetInt32());
        Assert.Equal(7, json.GetProperty("per_class").GetArrayLength());
        var accuracy = json.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy >= MeasuredLessTwoMistakes, $"held-out region accuracy {accuracy:F4} fell below {MeasuredLessTwoMistakes:F4} (measured 0.9881; the issue asks at least 0.80)\n{r.Stdout}");
    }
}
