using Classifier.Tests.Cli;

namespace Classifier.Tests.Quality;

/// <summary>
/// The quality regression test the spec requires: with default settings (seed 1, 20% stratified holdout) the
/// embedded news corpus must keep its held-out accuracy above a floor. A change to the featurizer, trainer or
/// defaults that loses accuracy fails here.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class EmbeddedCorpusQualityTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Topic_HeldOutAccuracy_AtLeast085()
    {
        var model = _tmp["topic.zip"];
        var r = await CliHarness.RunOkAsync("train", "--json", "--quiet", "--model", model);
        var json = r.Json();
        // 432 documents, 72 per topic; round(72 * 0.2) = 14 held out per topic.
        Assert.Equal(84, json.GetProperty("examples").GetInt32());
        Assert.Equal(6, json.GetProperty("per_class").GetArrayLength());
        var accuracy = json.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy >= 0.85, $"held-out topic accuracy {accuracy:F4} fell below 0.85\n{r.Stdout}");
        Assert.True(File.Exists(model));
    }

    [Fact]
    public async Task Region_HeldOutAccuracy_AtLeast080()
    {
        var model = _tmp["region.zip"];
        var r = await CliHarness.RunOkAsync("train", "--label", "region", "--json", "--quiet", "--model", model);
        var json = r.Json();
        // 7 regions of 60 or 62 documents; round(62 * 0.2) = 12 and round(60 * 0.2) = 12 held out each.
        Assert.Equal(84, json.GetProperty("examples").GetInt32());
        Assert.Equal(7, json.GetProperty("per_class").GetArrayLength());
        var accuracy = json.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy >= 0.80, $"held-out region accuracy {accuracy:F4} fell below 0.80\n{r.Stdout}");
    }
}
