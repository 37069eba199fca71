using Classifier.Core.Features;

namespace Classifier.Tests.Features;

public sealed class TextFeaturizerTests
{
    private static readonly string[] Corpus =
    [
        "New York hosts the marathon; runners from New York and Boston take part.",
        "The bank in New York raised interest rates on Monday.",
        "Doctors in Boston opened a new hospital ward for the patients.",
        "The striker scored twice and the team won the derby.",
        "Investors sold shares as the market fell in London.",
    ];

    private static TextFeaturizer Fit(FeaturizerOptions? options = null, IReadOnlyList<string>? texts = null) =>
        TextFeaturizer.Fit(texts ?? Corpus, options ?? new FeaturizerOptions(), threads: 1);

    private static double Norm(SparseVector v) => Math.Sqrt(v.Values.Sum(x => (double)x * x));

    private static void AssertStrictlyIncreasing(SparseVector v)
    {
        for (int i = 1; i < v.Count; i++)
            Assert.True(v.Indices[i] > v.Indices[i - 1], $"index {v.Indices[i]} at {i} does not follow {v.Indices[i - 1]}");
    }

    [Fact]
    public void Transform_IndicesStrictlyIncreasing_AndNormOneWithBothBlocks()
    {
        var f = Fit();
        var ws = f.CreateWorkspace();
        foreach (var text in Corpus.Append("New York bank marathon hospital"))
        {
            var v = f.Transform(text, ws);
            Assert.Equal(v.Indices.Length, v.Values.Length);
            Assert.True(v.Count > 0);
            AssertStrictlyIncreasing(v);
            Assert.All(v.Indices, i => Assert.InRange(i, 0, f.Dimension - 1));
            // Both blocks present: word features (below WordFeatureCount) and character features (at or above).
            Assert.Contains(v.Indices, i => i < f.WordFeatureCount);
            Assert.Contains(v.Indices, i => i >= f.WordFeatureCount);
            Assert.Equal(1.0, Norm(v), 5);
            // Each block carries half of the squared norm.
            var wordSq = v.Indices.Select((idx, k) => idx < f.WordFeatureCount ? (double)v.Values[k] * v.Values[k] : 0).Sum();
            Assert.Equal(0.5, wordSq, 5);
        }
    }

    [Fact]
    public void Transform_SameTextGivesSameVector_WithFreshOrReusedWorkspace()
    {
        var f = Fit();
        var ws = f.CreateWorkspace();
        var a = f.Transform(Corpus[1], ws);
        f.Transform(Corpus[3], ws); // dirty the workspace in between
        var b = f.Transform(Corpus[1], ws);
        var c = f.Transform(Corpus[1], f.CreateWorkspace());
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Values, b.Values);
        Assert.Equal(a.Indices, c.Indices);
        Assert.Equal(a.Values, c.Values);
    }

    [Fact]
    public void Fit_IsIndependentOfThreadCount()
    {
        var one = TextFeaturizer.Fit(Corpus, new FeaturizerOptions(), threads: 1);
        var four = TextFeaturizer.Fit(Corpus, new FeaturizerOptions(), threads: 4);
        Assert.Equal(one.Dimension, four.Dimension);
        Assert.Equal(one.FeatureNames, four.FeatureNames);
        var v1 = one.Transform(Corpus[0], one.CreateWorkspace());
        var v4 = four.Transform(Corpus[0], four.CreateWorkspace());
        Assert.Equal(v1.Indices, v4.Indices);
        Assert.Equal(v1.Values, v4.Values);
    }

    [Fact]
    public void WriteRead_RoundTrip_GivesIdenticalVectorsAndNames()
    {
        var f = Fit(new FeaturizerOptions { WordNgrams = 2, CharNgramMin = 3, CharNgramMax = 4, RemoveStopWords = true });
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) f.Write(w);
        stream.Position = 0;
        var g = TextFeaturizer.Read(new BinaryReader(stream));

        Assert.Equal(f.Options, g.Options);
        Assert.Equal(f.Dimension, g.Dimension);
        Assert.Equal(f.WordFeatureCount, g.WordFeatureCount);
        Assert.Equal(f.FeatureNames, g.FeatureNames);
        Assert.Equal(f.DocumentFrequencies, g.DocumentFrequencies);
        var wf = f.CreateWorkspace();
        var wg = g.CreateWorkspace();
        foreach (var text in Corpus.Append("an unseen text about New York hospitals"))
        {
            var a = f.Transform(text, wf);
            var b = g.Transform(text, wg);
            Assert.Equal(a.Indices, b.Indices);
            Assert.Equal(a.Values, b.Values);
        }
    }

    [Fact]
    public void Read_RejectsSettingsThatAreNotJsonOrOutOfRange()
    {
        foreach (var settings in new[] { "not json", "{\"word_ngrams\": 9}" })
        {
            using var stream = new MemoryStream();
            using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) w.Write(settings);
            stream.Position = 0;
            Assert.ThrowsAny<Exception>(() => TextFeaturizer.Read(new BinaryReader(stream)));
            stream.Position = 0;
            var e = Record.Exception(() => TextFeaturizer.Read(new BinaryReader(stream)));
            Assert.True(e is InvalidDataException or System.Text.Json.JsonException, $"{e?.GetType()}: {e?.Message}");
        }
    }

    [Fact]
    public void WordBigrams_AppearInFeatureNames_OnlyWhenWordNgramsIsTwo()
    {
        var bigrams = Fit(new FeaturizerOptions { WordNgrams = 2 });
        Assert.Contains("new york", bigrams.FeatureNames);
        Assert.Contains("york", bigrams.FeatureNames);
        Assert.Contains("interest rates", bigrams.FeatureNames);
        // Character n-grams are named in brackets, padded with a space at word edges.
        Assert.Contains("[ ne]", bigrams.FeatureNames);

        var unigrams = Fit(new FeaturizerOptions { WordNgrams = 1 });
        Assert.DoesNotContain("new york", unigrams.FeatureNames);
        Assert.Contains("new", unigrams.FeatureNames);
        Assert.True(unigrams.WordFeatureCount < bigrams.WordFeatureCount);
    }

    [Fact]
    public void CharNgramsOff_GivesOnlyWordFeatures_WithNormOne()
    {
        var f = Fit(new FeaturizerOptions { CharNgramMin = 0, CharNgramMax = 0 });
        Assert.False(f.Options.CharNgramsEnabled);
        Assert.Equal(f.WordFeatureCount, f.Dimension);
        Assert.All(f.FeatureNames, n => Assert.False(n!.StartsWith('['), $"character feature {n}"));
        var v = f.Transform(Corpus[0], f.CreateWorkspace());
        Assert.All(v.Indices, i => Assert.True(i < f.WordFeatureCount));
        AssertStrictlyIncreasing(v);
        Assert.Equal(1.0, Norm(v), 5);
    }

    [Fact]
    public void StopWords_RemovedOnlyWhenAsked()
    {
        var kept = Fit(new FeaturizerOptions { CharNgramMin = 0, CharNgramMax = 0, RemoveStopWords = false });
        Assert.Contains("the", kept.FeatureNames);
        Assert.Contains("in", kept.FeatureNames);
        Assert.Contains("the bank", kept.FeatureNames);

        var removed = Fit(new FeaturizerOptions { CharNgramMin = 0, CharNgramMax = 0, RemoveStopWords = true });
        Assert.DoesNotContain("the", removed.FeatureNames);
        Assert.DoesNotContain("in", removed.FeatureNames);
        Assert.DoesNotContain("and", removed.FeatureNames);
        Assert.DoesNotContain("the bank", removed.FeatureNames);
        Assert.Contains("bank", removed.FeatureNames);
        // Bigrams are made after removal: "bank in new york" yields "bank new".
        Assert.Contains("bank new", removed.FeatureNames);
    }

    [Fact]
    public void TfIdf_Values_MatchHandComputation()
    {
        // Two documents, words only, plain tf: n = 2.
        // apple  df 2 -> idf = ln((1+2)/(1+2)) + 1 = 1
        // banana df 1 -> idf = ln((1+2)/(1+1)) + 1 = ln 1.5 + 1 = 1.405465
        // "apple banana" -> (1 * 1, 1 * 1.405465), norm sqrt(1 + 1.975332) = 1.724915
        //                -> apple 0.579739, banana 0.814802
        var f = Fit(new FeaturizerOptions { WordNgrams = 1, CharNgramMin = 0, CharNgramMax = 0, SublinearTf = false }, ["apple banana", "apple cherry"]);
        Assert.Equal(3, f.Dimension);
        var v = f.Transform("apple banana", f.CreateWorkspace());
        var byName = v.Indices.Select((idx, k) => (Name: f.FeatureNames[idx]!, Value: v.Values[k])).ToDictionary(x => x.Name, x => x.Value);
        Assert.Equal(2, byName.Count);
        Assert.Equal(0.579739, byName["apple"], 5);
        Assert.Equal(0.814802, byName["banana"], 5);
    }

    [Fact]
    public void Tf_CountsRepeatedWords_AndSublinearDampensThem()
    {
        // Weighting tf: idf is 1. "apple apple banana": raw tf (2, 1) / sqrt 5 = (0.894427, 0.447214);
        // sublinear tf (1 + ln 2, 1) = (1.693147, 1) / sqrt(2.866747 + 1) = (0.861037, 0.508542).
        string[] texts = ["apple apple banana", "banana cherry"];
        var raw = Fit(new FeaturizerOptions { WordNgrams = 1, CharNgramMin = 0, CharNgramMax = 0, Weighting = Weighting.Tf, SublinearTf = false }, texts);
        var rv = raw.Transform("apple apple banana", raw.CreateWorkspace());
        Assert.Equal(0.894427, Value(raw, rv, "apple"), 5);
        Assert.Equal(0.447214, Value(raw, rv, "banana"), 5);

        var sub = Fit(new FeaturizerOptions { WordNgrams = 1, CharNgramMin = 0, CharNgramMax = 0, Weighting = Weighting.Tf, SublinearTf = true }, texts);
        var sv = sub.Transform("apple apple banana", sub.CreateWorkspace());
        Assert.Equal(0.861037, Value(sub, sv, "apple"), 5);
        Assert.Equal(0.508542, Value(sub, sv, "banana"), 5);
    }

    private static float Value(TextFeaturizer f, SparseVector v, string name)
    {
        var k = Array.FindIndex(v.Indices, i => f.FeatureNames[i] == name);
        Assert.True(k >= 0, $"feature '{name}' missing from the vector");
        return v.Values[k];
    }

    [Fact]
    public void UnknownText_GivesEmptyVector()
    {
        var f = Fit(new FeaturizerOptions { CharNgramMin = 0, CharNgramMax = 0 });
        var v = f.Transform("zzzz qqqq", f.CreateWorkspace());
        Assert.Equal(0, v.Count);
        Assert.Empty(v.Values);
    }

    [Fact]
    public void SingleLetterWords_AreNotWordFeatures()
    {
        var f = Fit(new FeaturizerOptions { WordNgrams = 1, CharNgramMin = 0, CharNgramMax = 0 }, ["a cat", "a dog"]);
        Assert.Equal(["cat", "dog"], f.FeatureNames.Order());
    }
}
