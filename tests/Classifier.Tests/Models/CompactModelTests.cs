using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Models;
using Classifier.Core.Training;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Models;

/// <summary>The compact layout: quantization, pruning, the token cache and the file round trip.</summary>
public sealed class CompactModelTests
{
    /// <summary>The stated tolerance: an int8 model's probabilities are within this of the float32 model's.</summary>
    private const double Int8Tolerance = 0.01;

    private static LabeledDataset TinyNews()
    {
        using var reader = RecordReaders.Open(CliHarness.Fixture("tiny-news.csv"), DataFormat.Auto);
        return DatasetLoader.Load(reader, ["title", "text"], "label");
    }

    private static ClassifierModel Train(LabeledDataset data, CompactOptions compact, FeaturizerOptions? featurizer = null) =>
        ModelTrainer.Fit(data, featurizer ?? new FeaturizerOptions(), new TrainerOptions { Threads = 1, Compact = compact },
            new DataDescription("tiny", "", data.Count, 0, data.Count, 0));

    private static readonly string[] Probes =
    [
        "The striker scored a late goal and the team won the league",
        "Shares fell after the central bank raised interest rates",
        "Doctors at the hospital gave patients a new vaccine",
        "an unrelated sentence about weather and music",
    ];

    [Fact]
    public void LinearWeights_Int8_KeepsOneScalePerFeature_AsWorkedByHand()
    {
        // Feature 0 has weights 1.0 and -0.5 (scale 1/127); feature 1 has 0.25 and 0.1 (scale 0.25/127); feature 2 is all zero.
        float[][] byClass = [[1.0f, 0.25f, 0f], [-0.5f, 0.1f, 0f]];
        var w = LinearWeights.From(byClass, 3, WeightPrecision.Int8);
        Assert.Equal(1.0f, w[0, 0], 6);
        Assert.Equal(-64 / 127f, w[0, 1], 6);        // -0.5 × 127 = -63.5, rounded to even: -64
        Assert.Equal(0.25f, w[1, 0], 6);
        Assert.Equal(51 * 0.25f / 127, w[1, 1], 6);  // 0.1 / (0.25 / 127) = 50.8 → 51
        Assert.Equal(0f, w[2, 0]);
        var z = new float[2];
        w.AddTo(z, 0, 2f);
        Assert.Equal(2f, z[0], 6);
        Assert.Equal(-128 / 127f, z[1], 6);
    }

    [Theory]
    [InlineData(WeightPrecision.Int8, Int8Tolerance)]
    [InlineData(WeightPrecision.Int16, 1e-4)]
    public void QuantizedScores_MatchTheFloatModel_WithinTolerance_AndTopLabelsAgree(WeightPrecision precision, double tolerance)
    {
        var data = TinyNews();
        var exact = Train(data, new CompactOptions { Weights = WeightPrecision.Float32 });
        var compact = Train(data, new CompactOptions { Weights = precision });
        foreach (var text in data.Texts.Concat(Probes))
        {
            var a = exact.CreateSession().Predict(text);
            var b = compact.CreateSession().Predict(text);
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= tolerance, $"{precision}: label {i} {a[i]} vs {b[i]} for '{text}'");
            Assert.Equal(exact.SelectLabels(a), compact.SelectLabels(b));
        }
    }

    [Fact]
    public void Restrict_OfAFullVector_EqualsFeaturizingWithThePrunedVocabulary()
    {
        var data = TinyNews();
        var full = TextFeaturizer.Fit(data.Texts, new FeaturizerOptions(), threads: 1);
        var keep = Enumerable.Range(0, full.Dimension).Where(f => f % 3 != 1).ToArray();
        var pruned = full.Prune(keep);
        Assert.Equal(keep.Count(f => f < full.WordFeatureCount), pruned.WordFeatureCount);
        var newId = new int[full.Dimension];
        Array.Fill(newId, -1);
        for (int i = 0; i < keep.Length; i++) newId[keep[i]] = i;
        foreach (var text in data.Texts.Concat(Probes))
        {
            var restricted = TextFeaturizer.Restrict(full.Transform(text, full.CreateWorkspace()), newId, pruned.Blocks);
            var direct = pruned.Transform(text, pruned.CreateWorkspace());
            Assert.Equal(direct.Indices, restricted.Indices);
            for (int i = 0; i < direct.Count; i++) Assert.Equal(direct.Values[i], restricted.Values[i], 5);
        }
    }

    [Fact]
    public void FeatureBudget_KeepsThatManyFeatures_AndTheModelStillFitsItsData()
    {
        var data = TinyNews();
        var all = Train(data, new CompactOptions { FeatureBudget = 0 });
        var model = Train(data, new CompactOptions { FeatureBudget = 400 });
        Assert.Equal(400, model.Featurizer.Dimension);
        Assert.Equal(new CompactSettings(400, "int8", false, all.Featurizer.Dimension, 400), model.Manifest.Compact);
        Assert.Equal(400, model.Manifest.FeatureCount);
        Assert.All(model.Featurizer.FeatureNames, n => Assert.NotNull(n));
        var session = model.CreateSession();
        var right = data.Texts.Zip(data.Labels).Count(t => model.Labels[model.SelectLabels(session.Predict(t.First))[0]] == t.Second);
        Assert.Equal(data.Count, right);
    }

    [Fact]
    public void TokenCache_GivesTheSameVectorsAsAFreshWorkspace_AlsoAfterItFillsAndStartsAgain()
    {
        var data = TinyNews();
        var f = TextFeaturizer.Fit(data.Texts, new FeaturizerOptions(), threads: 1);
        var busy = f.CreateWorkspace();
        // More distinct tokens than the cache holds, so it starts again in the middle.
        var flood = string.Join(' ', Enumerable.Range(0, TokenCache.MaxTokens + 1000).Select(i => $"w{i:x}"));
        f.Transform(flood, busy);
        foreach (var text in data.Texts.Concat(Probes))
        {
            var a = f.Transform(text, busy);
            var b = f.Transform(text, f.CreateWorkspace());
            Assert.Equal(b.Indices, a.Indices);
            Assert.Equal(b.Values, a.Values);
        }
        Assert.InRange(busy.CacheCount, 1, TokenCache.MaxTokens);
    }

    [Fact]
    public void AClauseLongerThanTheCacheTakes_IsFeaturizedTheSameEveryTime()
    {
        var han = string.Concat(Enumerable.Repeat("经济增长很快股市上涨银行利率", 400)); // 5,600 characters, one token
        var f = TextFeaturizer.Fit([han, "足球比赛冠军", "医院医生患者"], new FeaturizerOptions(), threads: 1);
        var ws = f.CreateWorkspace();
        var a = f.Transform(han, ws);
        var b = f.Transform(han, ws);
        var c = f.Transform(han, f.CreateWorkspace());
        Assert.True(a.Count > 50, $"{a.Count} features");
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Values, b.Values);
        Assert.Equal(a.Indices, c.Indices);
    }

    [Fact]
    public void BoundedCounting_DropsTheRarest_AndDoesNotDependOnTheThreadCount()
    {
        var texts = Enumerable.Range(0, 3000).Select(i => $"common words here and rare{i} name{i % 50} topic{i % 7}").ToList();
        var one = TextFeaturizer.Fit(texts, new FeaturizerOptions(), threads: 1, capacity: 2000);
        var two = TextFeaturizer.Fit(texts, new FeaturizerOptions(), threads: 2, capacity: 2000);
        var exact = TextFeaturizer.Fit(texts, new FeaturizerOptions(), threads: 2);
        Assert.Equal(one.FeatureNames, two.FeatureNames);
        Assert.Equal(one.DocumentFrequencies, two.DocumentFrequencies);
        Assert.True(one.Dimension < exact.Dimension, $"{one.Dimension} of {exact.Dimension}");
        Assert.Contains("common", one.FeatureNames);
        Assert.DoesNotContain("rare17", one.FeatureNames);
        Assert.Contains("rare17", exact.FeatureNames);
    }

    [Fact]
    public void CompactModel_SurvivesItsFile_WithIdenticalScores()
    {
        var data = TinyNews();
        var model = Train(data, new CompactOptions { FeatureBudget = 500 });
        using var stream = new MemoryStream();
        ModelFile.Write(model, stream);
        stream.Position = 0;
        var loaded = ModelFile.Load(stream, "memory");
        Assert.Equal(model.Featurizer.FeatureNames, loaded.Featurizer.FeatureNames);
        Assert.Equal(model.Manifest.Compact, loaded.Manifest.Compact);
        foreach (var text in data.Texts.Concat(Probes))
            Assert.Equal(model.CreateSession().Predict(text), loaded.CreateSession().Predict(text));
    }

    [Fact]
    public void MlNetExport_IsAnOption_AndTheExportedModelScoresLikeTheCompactOne()
    {
        var data = TinyNews();
        byte[] Bytes(ClassifierModel m)
        {
            using var s = new MemoryStream();
            ModelFile.Write(m, s);
            return s.ToArray();
        }
        static string[] Entries(byte[] zip) =>
            new System.IO.Compression.ZipArchive(new MemoryStream(zip)).Entries.Select(e => e.FullName).Order().ToArray();
        var plain = Train(data, new CompactOptions());
        Assert.Equal(["manifest.json", "model.bin"], Entries(Bytes(plain)));

        var exported = Train(data, new CompactOptions { MlNetExport = true });
        var bytes = Bytes(exported);
        Assert.Equal(["manifest.json", "mlnet-model.zip", "model.bin"], Entries(bytes));
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        using var entry = zip.GetEntry("mlnet-model.zip")!.Open();
        var mlnet = MlNetModel.Load(entry, exported.Featurizer.Dimension, seed: 1).CreateSession();
        var session = exported.CreateSession();
        foreach (var text in Probes)
        {
            var x = exported.Featurizer.Transform(text, exported.Featurizer.CreateWorkspace());
            var viaMlNet = mlnet.Scores(x, exported.Labels.Count);
            var compact = session.Predict(text);
            for (int i = 0; i < compact.Length; i++) Assert.Equal(compact[i], viaMlNet[i], 4);
        }
    }

    [Fact]
    public void FeatureNames_GiveBackTheirHashes_SoTheFileNeedsNoHashes()
    {
        var f = TextFeaturizer.Fit(TinyNews().Texts, new FeaturizerOptions { WordNgrams = 3 }, threads: 1);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) f.Write(w);
        stream.Position = 0;
        var r = new BinaryReader(stream);
        var g = TextFeaturizer.Read(r);
        Assert.Equal(0, ExplicitHashCount(stream));
        foreach (var text in Probes) Assert.Equal(f.Transform(text, f.CreateWorkspace()).Indices, g.Transform(text, g.CreateWorkspace()).Indices);
    }

    /// <summary>The count of features stored with an explicit hash: the last int before the end, when there are none.</summary>
    private static int ExplicitHashCount(MemoryStream written) => BitConverter.ToInt32(written.ToArray(), (int)written.Length - 4);
}
