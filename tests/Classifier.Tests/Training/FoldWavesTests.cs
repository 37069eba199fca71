using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Training;
using Classifier.Core.Tuning;

namespace Classifier.Tests.Training;

/// <summary>Folds side by side: which run together, on how many threads, in what order the results come, and what a failure throws.</summary>
public sealed class FoldWavesTests
{
    private static string Describe(IEnumerable<(int[] Folds, int ThreadsEach)> plan) =>
        string.Join(" ", plan.Select(w => $"[{string.Join(",", w.Folds)}]x{w.ThreadsEach}"));

    [Theory]
    [InlineData(5, 2, 2, false, "[0,1]x1 [2,3]x1 [4]x2")]
    [InlineData(3, 2, 2, false, "[0,1]x1 [2]x2")]
    [InlineData(4, 2, 2, false, "[0,1]x1 [2,3]x1")]
    [InlineData(3, 1, 1, false, "[0]x1 [1]x1 [2]x1")]
    [InlineData(5, 3, 3, false, "[0,1,2]x1 [3,4]x1")]
    [InlineData(2, 8, 8, false, "[0,1]x4")]
    [InlineData(1, 2, 2, false, "[0]x2")]
    [InlineData(2, 0, 2, false, "[0]x1 [1]x1")]
    // Fewer at once than threads (the memory holds two): two a wave, the threads shared out.
    [InlineData(5, 8, 2, false, "[0,1]x4 [2,3]x4 [4]x8")]
    // One at a time (a packed store): each fold alone on all the threads.
    [InlineData(3, 2, 1, false, "[0]x2 [1]x2 [2]x2")]
    // The remainder first (tune): the wave of fewer folds leads, the waves themselves unchanged.
    [InlineData(3, 2, 2, true, "[0]x2 [1,2]x1")]
    [InlineData(9, 2, 2, true, "[0]x2 [1,2]x1 [3,4]x1 [5,6]x1 [7,8]x1")]
    [InlineData(5, 3, 3, true, "[0,1]x1 [2,3,4]x1")]
    [InlineData(5, 8, 2, true, "[0]x8 [1,2]x4 [3,4]x4")]
    // Nothing left over, or no more folds than at once: the plan as without.
    [InlineData(4, 2, 2, true, "[0,1]x1 [2,3]x1")]
    [InlineData(1, 2, 2, true, "[0]x2")]
    [InlineData(3, 2, 1, true, "[0]x2 [1]x2 [2]x2")]
    public void Plan_FillsTheThreads_AndGivesTheSmallerWaveAllOfThem_LastOrFirst(int folds, int threads, int atOnce, bool remainderFirst, string expected)
    {
        Assert.Equal(expected, Describe(FoldWaves.Plan(folds, threads, atOnce, remainderFirst)));
        var waves = FoldWaves.Plan(folds, threads, atOnce, remainderFirst).Select(w => (w.Folds.Length, w.ThreadsEach)).Order();
        Assert.Equal(FoldWaves.Plan(folds, threads, atOnce).Select(w => (w.Folds.Length, w.ThreadsEach)).Order(), waves);
    }

    [Fact]
    public void APackedCorpus_RunsOneFoldAtATime_APlainOneSideBySide()
    {
        var texts = Enumerable.Range(0, 40).Select(i => $"word{i % 5} other{i % 3}").ToArray();
        Assert.Equal(1, FoldWaves.AtOnce(CountingPass.Run(texts, new FeaturizerOptions(), 1, CancellationToken.None, pack: true), texts, threads: 2));
        Assert.Equal(2, FoldWaves.AtOnce(CountingPass.Run(texts, new FeaturizerOptions(), 1, CancellationToken.None, pack: false), texts, threads: 2));
    }

    [Theory]
    [InlineData(false, 22_000_000, 24_000_000_000, 2, 2)]
    [InlineData(false, 22_000_000, 24_000_000_000, 8, 8)]
    [InlineData(true, 22_000_000, 24_000_000_000, 2, 1)]
    // 20 Newsgroups' 22 M characters: about 0.38 GB a fold by the estimate, so two need 0.75 GB and three 1.13 GB.
    [InlineData(false, 22_000_000, 700_000_000, 8, 1)]
    [InlineData(false, 22_000_000, 800_000_000, 8, 2)]
    [InlineData(false, 22_000_000, 1_200_000_000, 8, 3)]
    [InlineData(false, 22_000_000, 100_000_000, 8, 1)]
    public void AtOnce_AsManyFoldsAsThreadsAndTheMemoryAvailableHold(bool packed, long chars, long available, int threads, int atOnce) =>
        Assert.Equal(atOnce, FoldWaves.AtOnce(packed, chars, available, threads));

    [Fact]
    public void RunAll_ReturnsEachFoldsResultInItsPlace_WithItsShareOfTheThreads()
    {
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var results = FoldWaves.RunAll(5, new TrainerOptions { Threads = 2 }, (f, o, _) =>
        {
            seen[f] = o.Threads;
            Thread.Sleep(10 * (5 - f));
            return f * 10;
        }, CancellationToken.None, atOnce: 2);
        Assert.Equal([0, 10, 20, 30, 40], results);
        Assert.Equal([1, 1, 1, 1, 2], Enumerable.Range(0, 5).Select(f => seen[f]).ToArray());
    }

    [Fact]
    public void AFoldThatFails_ThrowsItsOwnException_AndStopsTheOthers()
    {
        var stopped = false;
        var e = Assert.Throws<InputException>(() => FoldWaves.Run([0, 1], 1, new TrainerOptions(), (f, _, token) =>
        {
            if (f == 1) throw new InputException("fold 1 has one class");
            // Fold 0 waits to be told to stop: it is, because fold 1 failed.
            stopped = token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            token.ThrowIfCancellationRequested();
            return 0;
        }, CancellationToken.None));
        Assert.Equal("fold 1 has one class", e.Message);
        Assert.True(stopped);
    }

    /// <summary>Three topics of words, a tenth of the labels flipped, so that folds and trials score below 1 and a difference would show.</summary>
    internal static LabeledDataset Noisy(int count)
    {
        var random = new Random(4);
        var words = new[] { "goals matches striker keeper", "shares banks rates bonds", "doctors clinics patients nurses" };
        var texts = new List<(string, string)>();
        for (int i = 0; i < count; i++)
        {
            var c = i % 3;
            var own = words[c].Split(' ');
            var text = string.Join(' ', Enumerable.Range(0, 6).Select(_ => random.NextDouble() < 0.35 ? own[random.Next(own.Length)] : $"w{random.Next(60)}"));
            texts.Add((text, $"c{(random.NextDouble() < 0.1 ? random.Next(3) : c)}"));
        }
        return LabeledDataset.Of(texts);
    }

    [Fact]
    public void CrossValidation_GivesTheSameFoldsOnOneThreadAsOnTwo()
    {
        var data = Noisy(300);
        // Five folds: on two threads, the first four run two at a time on one thread each, the fifth alone on both.
        CrossValidation.Result Run(int threads) => CrossValidation.Run(data, 5, new FeaturizerOptions(), new TrainerOptions { Threads = threads });
        var (one, two) = (Run(1), Run(2));
        Assert.Equal(one.Folds.Select(f => f.Accuracy), two.Folds.Select(f => f.Accuracy));
        Assert.Equal(one.PooledRows, two.PooledRows);
        Assert.Equal(one.PooledProbabilities.SelectMany(p => p), two.PooledProbabilities.SelectMany(p => p));
        Assert.Contains(one.Folds, f => f.Accuracy < 1);
    }

    // 3 folds, repeated 3 times below 2,000 documents: 9 runs, the first alone on both threads (see FoldWaves.Plan's
    // remainderFirst). 4 folds once: the first beside the second, which solves from a copy of its warm start.
    [Theory]
    [InlineData(3, null)]
    [InlineData(4, 1)]
    public void Tune_TriesAndScoresTheSameOnOneThreadAsOnTwo_PrunedTrialsIncluded(int folds, int? repeats)
    {
        var data = Noisy(240);
        TuneResult Run(int threads) => Tuner.Run(data, new FeaturizerOptions(), new TrainerOptions { Threads = threads },
            new TuneOptions(TuneMetric.Accuracy, Folds: folds, TimeBudget: null, MaxTrials: 14, Repeats: repeats));
        var (one, two) = (Run(1), Run(2));
        string Describe(TuneResult r) => string.Join("\n", r.Trials.Select(t => $"{t.Settings} {t.Status} {string.Join(",", t.FoldScores)}"));
        Assert.Equal(Describe(one), Describe(two));
        Assert.Equal(one.BestSettings, two.BestSettings);
        // A pruned trial keeps its first fold's score only, as one fold at a time would.
        Assert.Contains(one.Trials, t => t.Status == TuneTrial.Pruned);
        Assert.All(two.Trials.Where(t => t.Status == TuneTrial.Pruned), t => Assert.Single(t.FoldScores));
    }
}
