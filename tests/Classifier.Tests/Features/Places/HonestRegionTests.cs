using Classifier.Core.Models;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Features.Places;

/// <summary>
/// The embedded corpus's region model on new text (issue "Regions from every clue, with honest confidence"): clues carry
/// the region where no place is named, a document with no clue gets no confident region, and an article about two
/// regions gives the second real probability. Seed 1, as `classifier train --label region` trains it.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class HonestRegionTests : IClassFixture<HonestRegionTests.RegionModel>
{
    public sealed class RegionModel : IDisposable
    {
        private readonly TempDirectory _tmp = new();
        public string Path { get; }
        public ClassifierModel Model { get; }

        public RegionModel()
        {
            Path = _tmp["region.zip"];
            CliHarness.RunOkAsync("train", "--label", "region", "--model", Path, "--quiet").GetAwaiter().GetResult();
            Model = ModelFile.Load(Path);
        }

        public void Dispose() => _tmp.Dispose();
    }

    private readonly RegionModel _region;

    public HonestRegionTests(RegionModel region) => _region = region;

    [Fact]
    public void AnEarningsReportThatNamesNoPlace_IsNorthAmericanByItsCurrency()
    {
        var p = _region.Model.Predict("Shr 53 cts vs 85 cts\nNet 2,033,425 dlrs vs 3,718,325 dlrs\nRevs 21.5 mln dlrs vs 19.6 mln dlrs");
        Assert.Equal("north-america", p.Label);
    }

    [Fact]
    public void ADocumentWithNoClue_GetsNearlyTheLabelDistribution()
    {
        var p = _region.Model.Predict("The company said quarterly results would be released next week, and analysts expect higher sales.");
        // 62 of 432 training documents are the largest share: 0.9 * 62/432 + 0.1 at most.
        Assert.True(p.Score <= NoClueFallback.PriorShare * 62 / 432 + (1 - NoClueFallback.PriorShare) + 1e-6, $"top probability {p.Score}");
        Assert.True(p.All.Min(l => l.Score) >= NoClueFallback.PriorShare * 60 / 432 - 1e-6);
    }

    [Fact]
    public void AnArticleAboutTwoRegions_GivesTheSecondRealProbability()
    {
        var p = _region.Model.Predict(File.ReadAllText(CliHarness.Fixture("russia-mali.txt")));
        Assert.Equal("russia-central-asia", p.Label);
        Assert.Equal("africa", p.All[1].Label);
        Assert.True(p.All[1].Score >= 0.1, $"africa got {p.All[1].Score}");
    }

    [Fact]
    public void NoRegion_GetsCertainty_FromAFewHundredArticles()
    {
        foreach (var text in new[] { "Farmers in Punjab blocked highways to demand guaranteed prices for wheat", "The Bundesbank held rates in Frankfurt as the mark rose against the dollar." })
            Assert.True(_region.Model.Predict(text).Score < 0.9995, text);
    }

    [Fact]
    public async Task Explain_ListsTheCluesAndWhatThePlaceFeaturesAdd()
    {
        const string text = "Net profit rose to 5.3 mln dlrs, or 53 cts a share, as the Bundesbank watched from Frankfurt.";
        var e = Classifier.Core.Explain.ModelExplainer.For(_region.Model).Explain(text, 5);
        Assert.Equal([("dlrs", "currency"), ("cts", "currency"), ("Bundesbank", "authority"), ("Frankfurt", "city")],
            e.Places.Select(m => (m.Text, m.Kind.ToString().ToLowerInvariant())).ToList());
        // Place features are listed with the words by default, and the lead adds up to its parts.
        Assert.Contains(e.Towards.Concat(e.Away), t => t.IsPlace && t.Term == "place: United States (Northern America)");
        Assert.NotEqual(0, e.PlaceTotal);
        Assert.Equal(Math.Log(e.Probability / e.RunnerUpProbability), e.Margin, 3);
        var r = await CliHarness.RunOkAsync("explain", "-m", _region.Path, text);
        Assert.Contains("Places and clues in the text:", r.Stdout);
        Assert.Matches(@"Bundesbank\s+authority\s+Germany \(DE\)\s+europe", r.Stdout);
        // A text with no clue says why its probabilities are the label distribution's, and no log-odds identity is claimed.
        var none = ModelExplainerFor().Explain("The company said quarterly results would be released next week.", 3);
        Assert.True(none.NoClue);
        Assert.False(none.IsLogOdds);
    }

    private Classifier.Core.Explain.ModelExplainer ModelExplainerFor() => Classifier.Core.Explain.ModelExplainer.For(_region.Model);

    [Fact]
    public void ATopicModel_KeepsItsOwnProbabilities_ForADocumentWithNoClue()
    {
        // The fallback is for region models only: a topic has nothing to do with places.
        using var tmp = new TempDirectory();
        var topic = tmp["topic.zip"];
        CliHarness.RunOkAsync("train", "--places", "true", "--model", topic, "--quiet").GetAwaiter().GetResult();
        var model = ModelFile.Load(topic);
        Assert.True(model.Featurizer.PlaceFeatureCount > 0);
        Assert.Null(model.Fallback);
        Assert.NotNull(_region.Model.Fallback);
    }
}
