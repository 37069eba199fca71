using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>
/// Texts are counted once (CountingPass) and every vocabulary and vector is drawn from the counts. These tests hold
/// the counts to what featurizing the texts gives, and a fold's vocabulary to its training rows alone.
/// </summary>
public sealed class CountedCorpusTests
{
    /// <summary>
    /// Enough documents for several chunks of the counting pass (they start at 256 and double), with shared words,
    /// words of a few documents each, and held-out rows that hold words found nowhere else.
    /// </summary>
    private static readonly List<string> Texts = Enumerable.Range(0, 6000).Select(i =>
        $"Report {i % 89} on {(i % 3 == 0 ? "goals and matches" : i % 3 == 1 ? "shares and banks" : "doctors and clinics")} " +
        $"from region{i % 41} with tag{i % 577} and Ünïcödé wörds {(i % 5 == 0 ? $"onlyheldout{i}" : "")}").ToList();

    /// <summary>Rows of the test fold: every fifth, the only ones that hold "onlyheldout" words.</summary>
    private static readonly List<int> TestRows = Enumerable.Range(0, Texts.Count).Where(i => i % 5 == 0).ToList();
    private static readonly List<int> TrainRows = Enumerable.Range(0, Texts.Count).Where(i => i % 5 != 0).ToList();

    private static CountedCorpus Count(int threads, FeaturizerOptions? options = null) =>
        CountingPass.Run(Texts, options ?? new FeaturizerOptions(), threads, CancellationToken.None);

    /// <summary>Each feature's hash and document frequency.</summary>
    private static Dictionary<ulong, int> Vocabulary(TextFeaturizer f) =>
        f.Hashes().Select((h, i) => (h, i)).ToDictionary(x => x.h, x => f.DocumentFrequencies[x.i]);

    [Fact]
    public void AFoldsVocabulary_IsTheVocabularyOfItsTrainingTextsAlone()
    {
        var corpus = Count(threads: 2);
        var (fold, _) = corpus.Vocabulary(TrainRows, new FeaturizerOptions(), threads: 2, CancellationToken.None);
        var alone = TextFeaturizer.Fit(TrainRows.Select(i => Texts[i]).ToList(), new FeaturizerOptions(), threads: 1, names: false);

        Assert.Equal(Vocabulary(alone), Vocabulary(fold));
        // IDF counts the fold's training documents, not the whole set.
        Assert.Equal(TrainRows.Count, fold.Documents);
        // A word only the held-out rows have is not a feature; one the training rows have is.
        Assert.False(fold.TryGetFeature(NgramExtractor.HashOfName("onlyheldout5", isWord: true), out _));
        Assert.True(fold.TryGetFeature(NgramExtractor.HashOfName("tag1", isWord: true), out _));
        // The whole set's vocabulary has it: the fold's is not the whole set's with a filter on top.
        var (whole, _) = corpus.Vocabulary(null, new FeaturizerOptions(), threads: 2, CancellationToken.None);
        Assert.True(whole.TryGetFeature(NgramExtractor.HashOfName("onlyheldout5", isWord: true), out _));
    }

    [Fact]
    public void VectorsFromCounts_EqualTheVectorsOfTheTexts_ForTrainingAndHeldOutRows()
    {
        var corpus = Count(threads: 2);
        var options = new FeaturizerOptions();
        var (fold, featureOf) = corpus.Vocabulary(TrainRows, options, threads: 2, CancellationToken.None);
        var train = corpus.Vectors(TrainRows, fold, featureOf, threads: 2, CancellationToken.None);
        var test = corpus.VectorsFor(fold, TestRows, threads: 2, CancellationToken.None);
        var ws = fold.CreateWorkspace();
        void Same(string text, SparseMatrix x, int row)
        {
            var v = fold.Transform(text, ws);
            Assert.Equal(v.Indices, x.Indices(row).ToArray());
            var stored = x.Values(row);
            var step = v.Values.Max() / ushort.MaxValue;
            for (int i = 0; i < v.Count; i++) Assert.True(Math.Abs(v.Values[i] - stored[i]) <= step, $"{text}: {v.Values[i]} stored as {stored[i]}");
        }
        for (int k = 0; k < TrainRows.Count; k += 37) Same(Texts[TrainRows[k]], train, k);
        for (int k = 0; k < TestRows.Count; k += 11) Same(Texts[TestRows[k]], test, k);
    }

    [Fact]
    public void WeighingInPlace_GivesTheSameVectors_AsWeighingIntoANewStore()
    {
        var options = new FeaturizerOptions { WordNgrams = 3, CharNgramMin = 3, CharNgramMax = 4 };
        var kept = Count(threads: 2, options);
        var (f, featureOf) = kept.Vocabulary(null, options, threads: 2, CancellationToken.None);
        var copy = kept.Vectors(null, f, featureOf, threads: 2, CancellationToken.None);
        var consumed = Count(threads: 2, options);
        var inPlace = consumed.Vectors(null, f, featureOf, threads: 2, CancellationToken.None, consume: true);
        Assert.True(consumed.Spent);
        Assert.Throws<InvalidOperationException>(() => consumed.Vocabulary(null, options, 1, CancellationToken.None));
        Assert.Equal(copy.Entries, inPlace.Entries);
        for (int r = 0; r < copy.Rows; r++)
        {
            Assert.Equal(copy.Indices(r).ToArray(), inPlace.Indices(r).ToArray());
            Assert.Equal(copy.Values(r), inPlace.Values(r));
        }
    }

    [Fact]
    public void Counting_DoesNotDependOnTheNumberOfThreads()
    {
        var one = Count(threads: 1);
        var two = Count(threads: 2);
        Assert.Equal(one.Hashes, two.Hashes);
        Assert.Equal(one.Kinds, two.Kinds);
        for (int r = 0; r < one.Rows; r++)
        {
            Assert.Equal(one.Counts.Indices(r).ToArray(), two.Counts.Indices(r).ToArray());
            Assert.Equal(one.Counts.Values(r), two.Counts.Values(r));
        }
    }

    [Fact]
    public void FeaturesAreNamedFromTheCounts_AsFromTheTexts()
    {
        var options = new FeaturizerOptions { WordNgrams = 2 };
        var corpus = Count(threads: 2, options);
        var (f, _) = corpus.Vocabulary(null, options, threads: 2, CancellationToken.None);
        var named = corpus.Names.Named(f);
        var fromTexts = f.WithNames(Texts, threads: 1, CancellationToken.None);
        for (int i = 0; i < f.Dimension; i++) Assert.Equal(fromTexts.FeatureNames[i], named.FeatureNames[i]);
        Assert.Contains("goals and", named.FeatureNames);
    }

    [Fact]
    public void CrossValidation_ThreadsOneAndTwo_GiveTheSameFolds()
    {
        var data = LabeledDataset.Of(Texts.Select((t, i) => (t, (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var one = CrossValidation.Run(data, 3, new FeaturizerOptions(), new TrainerOptions { Threads = 1 });
        var two = CrossValidation.Run(data, 3, new FeaturizerOptions(), new TrainerOptions { Threads = 2 });
        Assert.Equal(one.Folds.Select(f => f.LogLoss), two.Folds.Select(f => f.LogLoss));
        Assert.Equal(one.PooledProbabilities, two.PooledProbabilities);
    }
}
