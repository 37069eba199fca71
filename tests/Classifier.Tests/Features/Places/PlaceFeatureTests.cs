using Classifier.Core.Features;
using Classifier.Core.Features.Places;
using Classifier.Core.Models;
using Classifier.Core.Training;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Features.Places;

/// <summary>Place features in the featurizer: the third block, its weights worked by hand, and a model file round trip.</summary>
public sealed class PlaceFeatureTests
{
    private static readonly FeaturizerOptions WithPlaces = new() { Places = true, CharNgramMax = 0, CharNgramMin = 0, WordNgrams = 1 };

    [Fact]
    public void PlaceFeatures_FormTheLastBlock_NamedByTheirKeys()
    {
        var f = TextFeaturizer.Fit(["Trade with Mali grew", "Trade with Kenya grew"], WithPlaces, threads: 1);
        var names = f.FeatureNames.Skip(f.PlaceFeatureStart).ToHashSet();
        Assert.Equal(["Area:africa", "Place:KE", "Place:ML", "Region:002", "Subregion:011", "Subregion:014"], names.Order(StringComparer.Ordinal));
        Assert.Equal("place: Mali (Western Africa)", PlaceFeatures.Readable("Place:ML"));
        Assert.True(f.FeatureNames.Take(f.PlaceFeatureStart).All(n => n is not null && !n.Contains(':')));
    }

    [Fact]
    public void Weights_WorkedByHand()
    {
        // Two documents, so idf = ln(3 / (1 + df)) + 1: "trade" and the Africa-wide place features are in both (idf 1),
        // Mali's own in one (idf ln 1.5 + 1). Mali is named once in the body: count 2 (the opening), so tf = 1 + ln 2.
        var f = TextFeaturizer.Fit(["Trade with Mali", "Trade with Kenya"], WithPlaces with { PlaceWeight = 2 }, threads: 1);
        var v = f.Transform("Trade with Mali", f.CreateWorkspace());
        var values = v.Indices.Select((id, i) => (Name: f.FeatureNames[id]!, Value: (double)v.Values[i])).ToDictionary(x => x.Name, x => x.Value);
        double tf = 1 + Math.Log(2), rare = Math.Log(1.5) + 1;
        var place = new[] { tf * rare, tf * rare, tf, tf }; // Place:ML, Subregion:011, Region:002, Area:africa
        var placeNorm = Math.Sqrt(place.Sum(x => x * x));
        // Word block norm 1, place block norm 2, then all over sqrt(1 + 4).
        var total = Math.Sqrt(5);
        Assert.Equal(2 / total * tf * rare / placeNorm, values["Place:ML"], 5);
        Assert.Equal(2 / total * tf / placeNorm, values["Area:africa"], 5);
        var wordNorm = Math.Sqrt(values.Where(kv => !kv.Key.Contains(':')).Sum(kv => kv.Value * kv.Value));
        Assert.Equal(1 / total, wordNorm, 5);
    }

    [Fact]
    public void WithoutPlaces_ADocumentFeaturizesAsWithoutTheBlock()
    {
        var texts = new[] { "Trade with Mali grew", "Prices of wheat rose" };
        var on = TextFeaturizer.Fit(texts, WithPlaces, threads: 1);
        var off = TextFeaturizer.Fit(texts, WithPlaces with { Places = false }, threads: 1);
        var a = on.Transform("Prices of wheat rose", on.CreateWorkspace());
        var b = off.Transform("Prices of wheat rose", off.CreateWorkspace());
        Assert.Equal(b.Values, a.Values);
        Assert.Equal(0, off.PlaceFeatureCount);
    }

    [Fact]
    public async Task AModelWithPlaceFeatures_RoundTrips_AndExplainsThemReadably()
    {
        using var tmp = new TempDirectory();
        var model = Path.Combine(tmp.Path, "region.zip");
        await CliHarness.RunOkAsync("train", "--label", "region", "--model", model, "--quiet");
        var loaded = ModelFile.Load(model);
        Assert.True(loaded.Featurizer.Options.Places);
        Assert.True(loaded.Featurizer.PlaceFeatureCount > 0);
        // The model records the gazetteer it was fitted with, so a later version can say when its own differs.
        Assert.Equal(Gazetteer.DefaultDigest, loaded.Featurizer.Options.Gazetteer);
        Assert.Matches("^sha256:[0-9a-f]{16}$", Gazetteer.DefaultDigest);
        Assert.Null(loaded.Featurizer.PlacesWarning);
        using (var copy = new MemoryStream())
        {
            ModelFile.Write(loaded, copy);
            copy.Position = 0;
            var again = ModelFile.Load(copy, "copy");
            Assert.Equal(loaded.Featurizer.PlaceFeatureStart, again.Featurizer.PlaceFeatureStart);
            const string text = "Farmers in Punjab blocked highways to demand guaranteed prices for wheat";
            Assert.Equal(loaded.CreateSession().Predict(text), again.CreateSession().Predict(text));
        }
        // A country the embedded corpus never names still reaches its region through its subregion and region.
        var predict = await CliHarness.RunOkAsync("predict", "-m", model, "Farmers in Punjab blocked highways to demand guaranteed prices for wheat", "--json");
        Assert.Contains("\"asia-pacific\"", predict.Stdout.Split('\n')[0]);
        var explain = await CliHarness.RunOkAsync("explain", "-m", model, "Farmers in Punjab blocked highways to demand guaranteed prices for wheat", "--terms", "all");
        Assert.Contains("place: India (Southern Asia)", explain.Stdout);
        Assert.Contains("area: asia-pacific", explain.Stdout);
    }

    [Fact]
    public async Task PlacesVerb_ListsWhatItRecognises()
    {
        var r = await CliHarness.RunOkAsync("places", "--json", "Farmers in Punjab blocked highways");
        var p = r.Json().GetProperty("places")[0];
        Assert.Equal("Punjab", p.GetProperty("text").GetString());
        Assert.Equal("IN", p.GetProperty("country_code").GetString());
        Assert.Equal("Southern Asia", p.GetProperty("subregion").GetString());
        Assert.Equal("asia-pacific", p.GetProperty("area").GetString());
        var text = await CliHarness.RunOkAsync("places", "Nothing to see here");
        Assert.Equal("No places or clues recognised.\n", text.Stdout);
        var bad = await CliHarness.RunAsync("places");
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task PlacesCanBeTurnedOffForTheEmbeddedRegionModel_AndBadWeightsAreRefused()
    {
        using var tmp = new TempDirectory();
        var model = Path.Combine(tmp.Path, "words.zip");
        await CliHarness.RunOkAsync("train", "--label", "region", "--places", "false", "--model", model, "--quiet");
        Assert.False(ModelFile.Load(model).Featurizer.Options.Places);
        var bad = await CliHarness.RunAsync("train", "--places", "--place-weight", "-1", "--model", Path.Combine(tmp.Path, "x.zip"), "--quiet");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--place-weight", bad.Stderr);
    }
}
