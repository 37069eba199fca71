using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>
/// --max-memory: the packed store written to a temporary file (SpillFile, PackedBlocks) gives the model of the store
/// kept in memory, leaves no file behind, and refuses a folder or a limit it cannot work with in one line.
/// </summary>
public sealed class SpilledStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("classifier-spill-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Enough documents for more blocks (of up to 1,024) than one group of visits holds.</summary>
    private const int Documents = 20_000;

    /// <summary>Sorted by label, as many files are: the solver's groups of blocks must mix the classes.</summary>
    private static readonly List<string> Texts = Enumerable.Range(0, Documents).Select(i => i * 3 / Documents).Select((c, i) =>
        $"Report {i % 89} on {(c == 0 ? "goals and matches" : c == 1 ? "shares and banks" : "doctors and clinics")} " +
        $"from region{i % 41} with tag{i % 577} {(i % 5 == 0 ? $"rare{i}" : "")} and {(i % 7 == 0 ? "banks" : "goals")}").ToList();

    private static readonly int[] Labels = Enumerable.Range(0, Documents).Select(i => i * 3 / Documents).ToArray();

    [Fact]
    public void SpillFile_AppendsReadsAndRewrites_AndHasNoNameInItsFolder()
    {
        using var file = SpillFile.Create(_folder, expectedBytes: 1000);
        if (!OperatingSystem.IsWindows()) Assert.Empty(Directory.GetFiles(_folder));
        Assert.Equal(0, file.Append([1, 2, 3]));
        Assert.Equal(3, file.Append([4, 5, 6, 7]));
        file.Write(1, [9, 9]);
        var read = new byte[7];
        file.Read(0, read);
        Assert.Equal(new byte[] { 1, 9, 9, 4, 5, 6, 7 }, read);
        Assert.Equal(7, file.Length);
        Assert.Throws<IOException>(() => file.Read(5, new byte[3]));
    }

    [Fact]
    public void SpillFile_IsRefused_InAMissingFolder_OrWithoutTheSpaceItNeeds()
    {
        var missing = Path.Combine(_folder, "nope");
        Assert.Contains($"--temp-dir {missing}: no such folder", Assert.Throws<InputException>(() => SpillFile.Create(missing, 1)).Message);
        var e = Assert.Throws<InputException>(() => SpillFile.Create(_folder, long.MaxValue / 2));
        Assert.StartsWith($"--temp-dir {_folder}: not enough free disk space for the training store spilled to disk: it needs about ", e.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Blocks_ReadBackAsWritten_AndARewrittenBlockIsReadAgain_EvenOnAnotherThreadThatHeldIt()
    {
        using var file = SpillFile.Create(_folder, 0);
        var data = Enumerable.Range(0, 40).Select(k => Enumerable.Range(0, 100 + k).Select(i => (byte)(i * k)).ToArray()).ToArray();
        var blocks = PackedBlocks.Spilled(file, data.Select(d => file.Append(d)).ToArray(), data.Select(d => d.Length).ToArray());
        // More blocks than a thread keeps: each read in turn, twice, is each block's bytes.
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < data.Length; k++) Assert.Equal(data[k], blocks.Get(k).AsSpan(0, blocks.Length(k)).ToArray());
        byte[]? other = null;
        OnAnotherThread(() => blocks.Get(3));
        blocks.Replace(3, [7, 7]);
        Assert.Equal(new byte[] { 7, 7 }, blocks.Get(3).AsSpan(0, 2).ToArray());
        OnAnotherThread(() => other = blocks.Get(3).AsSpan(0, blocks.Length(3)).ToArray());
        Assert.Equal(new byte[] { 7, 7 }, other);
        // Longer than it was: the block moves to the file's end, its neighbours untouched.
        blocks.Replace(5, Enumerable.Repeat((byte)1, 500).ToArray());
        Assert.Equal(500, blocks.Get(5).AsSpan(0, blocks.Length(5)).ToArray().Count(b => b == 1));
        Assert.Equal(data[6], blocks.Get(6).AsSpan(0, blocks.Length(6)).ToArray());
    }

    [Fact]
    public void HeldBlocks_ServeEveryReadUntilReleased_ReadByTwoThreads()
    {
        using var file = SpillFile.Create(_folder, 0);
        var data = Enumerable.Range(0, 10).Select(k => Enumerable.Range(0, 200).Select(i => (byte)(i + 13 * k + 1)).ToArray()).ToArray();
        var blocks = PackedBlocks.Spilled(file, data.Select(d => file.Append(d)).ToArray(), data.Select(d => d.Length).ToArray());
        blocks.Hold([4, 1, 9], threads: 2);
        // The file zeroed behind the store's back: what is read now comes from the held copies.
        file.Write(0, new byte[file.Length]);
        foreach (var k in new[] { 4, 1, 9 }) Assert.Equal(data[k], blocks.Get(k).AsSpan(0, blocks.Length(k)).ToArray());
        blocks.ReleaseHeld();
        Assert.All(blocks.Get(4).AsSpan(0, blocks.Length(4)).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void HeldRanges_AreReadAtTheirPlaceInTheBlock_AndAWholeBlockIsStillReadWhole()
    {
        using var file = SpillFile.Create(_folder, 0);
        var data = Enumerable.Range(0, 10).Select(k => Enumerable.Range(0, 200).Select(i => (byte)(i + 13 * k + 1)).ToArray()).ToArray();
        var blocks = PackedBlocks.Spilled(file, data.Select(d => file.Append(d)).ToArray(), data.Select(d => d.Length).ToArray());
        blocks.HoldRanges([new(2, 10, 20), new(2, 50, 5), new(7, 40, 30)], threads: 2);
        // The held copy of block 2 lacks the bytes between its ranges: a whole-block read does not use it. (On another
        // thread, whose copy of the block then stays there, so that the reads below can only come from the hold.)
        byte[]? whole = null;
        OnAnotherThread(() => whole = blocks.Get(2).AsSpan(0, blocks.Length(2)).ToArray());
        Assert.Equal(data[2], whole);
        file.Write(0, new byte[file.Length]);
        void Row(int k, int start, int length, byte[] expected)
        {
            var bytes = blocks.GetRow(k, start, out var at);
            Assert.Equal(expected, bytes.AsSpan(at, length).ToArray());
        }
        // From the held ranges, the file being zeroed.
        Row(2, 10, 20, data[2][10..30]);
        Row(2, 50, 5, data[2][50..55]);
        Row(7, 40, 30, data[7][40..70]);
        blocks.ReleaseHeld();
        Row(7, 40, 30, new byte[30]);
    }

    [Fact]
    public void HeldRows_OfASpilledStore_AreTheRowsOfTheStoreInMemory_ReadOnceForEveryRead()
    {
        var options = new FeaturizerOptions();
        var memory = CountingPass.Run(Texts, options, threads: 1, CancellationToken.None, pack: true).Counts;
        using var file = SpillFile.Create(_folder, 0);
        var spilled = CountingPass.Run(Texts, options, threads: 1, CancellationToken.None, pack: true, spill: file).Counts;
        // Rows near each other (read in one piece with the gap between) and far apart, in several blocks, and the last row.
        int[] rows = [3, 4, 6, 900, 1500, 1501, 7000, 12345, 19999];
        spilled.HoldRows(rows, threads: 2);
        file.Write(0, new byte[file.Length]);
        foreach (var r in rows)
        {
            Assert.Equal(memory.Indices(r).ToArray(), spilled.Indices(r).ToArray());
            Assert.Equal(memory.Values(r), spilled.Values(r));
        }
        spilled.ReleaseHeldBlocks();
        Assert.Throws<ArgumentException>(() => spilled.HoldRows([6, 4], threads: 1));
    }

    [Fact]
    public void Visits_OfAPackedStore_AreGroupsOfWholeBlocks_EveryRowOnce_AndAPlainStoreIsOneGroup()
    {
        var options = new FeaturizerOptions();
        var packed = CountingPass.Run(Texts, options, threads: 1, CancellationToken.None, pack: true).Counts;
        var rows = Enumerable.Range(0, Texts.Count).Where(i => i % 3 != 0).ToArray();
        var (order, groupStart) = DualCoordinateSvm.Visits(packed, rows.Length, rows, seed: 1);
        Assert.Equal(Enumerable.Range(0, rows.Length), order.Order());
        var blocksSeen = new HashSet<int>();
        for (int g = 0; g + 1 < groupStart.Length; g++)
        {
            var blocks = order[groupStart[g]..groupStart[g + 1]].Select(i => packed.BlockOf(rows[i])).Distinct().ToList();
            Assert.InRange(blocks.Count, 1, DualCoordinateSvm.BlocksPerGroup);
            // A block belongs to one group only.
            Assert.All(blocks, k => Assert.True(blocksSeen.Add(k)));
        }
        Assert.True(groupStart.Length > 2, "the documents span more blocks than one group holds");
        // Groups take blocks from all over the file, not runs of neighbours.
        var first = order[groupStart[0]..groupStart[1]].Select(i => packed.BlockOf(rows[i])).Distinct().Order().ToList();
        Assert.NotEqual(Enumerable.Range(first[0], first.Count), first);
        var plain = CountingPass.Run(Texts, options, threads: 1, CancellationToken.None, pack: false).Counts;
        Assert.Equal([0, rows.Length], DualCoordinateSvm.Visits(plain, rows.Length, rows, seed: 1).GroupStart);
    }

    [Fact]
    public void ASpilledStore_TrainsTheModelOfTheStoreInMemory_OnOneThreadOrTwo()
    {
        var options = new FeaturizerOptions();
        OneVersusRestSvm.Result Fit(int threads, SpillFile? spill)
        {
            var corpus = CountingPass.Run(Texts, options, threads, CancellationToken.None, pack: true, spill: spill);
            Assert.Equal(spill is not null, corpus.Counts.IsSpilled);
            var (f, featureOf) = corpus.Vocabulary(null, options, threads, CancellationToken.None);
            var x = corpus.Vectors(null, f, featureOf, threads, CancellationToken.None, consume: true);
            return OneVersusRestSvm.Train(x, Labels, 3, f, new TrainerOptions { Threads = threads }, budget: f.Dimension / 2, CancellationToken.None);
        }
        var memory = Fit(2, null);
        using (var file = SpillFile.Create(_folder, 0))
        {
            var spilled = Fit(2, file);
            Assert.True(file.Length > 0);
            Same(memory, spilled);
        }
        using (var file = SpillFile.Create(_folder, 0)) Same(memory, Fit(1, file));
        Assert.Empty(Directory.GetFiles(_folder));

        static void Same(OneVersusRestSvm.Result a, OneVersusRestSvm.Result b)
        {
            Assert.Equal(a.Keep, b.Keep);
            Assert.Equal(a.Bias, b.Bias);
            for (int c = 0; c < a.Weights.Length; c++) Assert.Equal(a.Weights[c], b.Weights[c]);
        }
    }

    [Fact]
    public void Training_WithItsStoreOnDisk_SaysSo_TrainsAnAccurateModel_AndLeavesNoFile()
    {
        var data = LabeledDataset.Of(Texts.Select((t, i) => (t, $"c{Labels[i]}")).ToList());
        var (train, test) = Splits.Holdout(data.Labels, 0.2, seed: 1);
        var progress = new List<string>();
        Classifier.Core.Models.ClassifierModel model;
        using (var file = SpillFile.Create(_folder, 0))
            model = ModelTrainer.Fit(data.Subset(train), new FeaturizerOptions(), new TrainerOptions { Threads = 2 },
                new Classifier.Core.Models.DataDescription("toy", "", data.Count, 0, train.Count, 0), new Recorder(progress), CancellationToken.None,
                releaseTexts: false, spill: file);
        Assert.Contains(progress, l => l.Contains("packed, on disk"));
        var (metrics, _) = ModelTrainer.Evaluate(model, data.Subset(test));
        Assert.True(metrics.Accuracy > 0.95, $"accuracy {metrics.Accuracy}");
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Plan_RefusesAnExplicitLimitBelowWhatEvenTheSpilledStoreNeeds_ButOnlyWarnsUnderTheDefault()
    {
        var e = Assert.Throws<InputException>(() => MemoryEstimate.Plan(1_000_000_000, new MemoryLimit { MaxBytes = 1_000_000_000 }));
        Assert.StartsWith("--max-memory 1.0 GB is too small: training on 1.0 GB of text needs about 3.1 GB of memory even with its store on disk", e.Message);
        var plan = MemoryEstimate.Plan(1_000_000_000, new MemoryLimit { MaxBytes = 5_000_000_000, TempDir = _folder });
        Assert.True(plan.Spills);
        Assert.Equal(3.08e9, plan.Bytes, 1e6);
        Assert.Equal(11e9, plan.DiskBytes, 1e6);
        Assert.Equal("1.0 GB of text to train on: more than the 5.0 GB of --max-memory in memory, so its store goes to disk: " +
                     $"about 3.1 GB of memory at the peak and 11.0 GB of disk in {_folder}", plan.Line);
        Assert.Null(plan.Warning);
        Assert.Throws<InputException>(() => MemoryEstimate.Plan(1, new MemoryLimit { TempDir = Path.Combine(_folder, "nope") }));
    }

    [Fact]
    public void Plan_WithTheTextsOnDisk_FollowsThePeaksMeasuredAt100MBAnd3GB_WhereLoadedTextsWouldNotFit()
    {
        var limit = new MemoryLimit { MaxBytes = 4L << 30, TempDir = _folder };
        // 3 GB of synthetic text (2.9 G characters) peaked at 3,898 MiB (4.09e9 bytes) with --max-memory 4G.
        var plan = MemoryEstimate.Plan(2_900_000_000, limit, textsInMemory: false);
        Assert.True(plan.Spills);
        Assert.Equal(4.087e9, plan.Bytes, 0.02e9);
        Assert.Null(plan.Warning);
        // The 100 MB corpus (95.3 M characters) peaked at 599 MiB (0.628e9 bytes) under --max-memory 900M.
        Assert.Equal(0.628e9, MemoryEstimate.Plan(95_300_000, new MemoryLimit { MaxBytes = 900L << 20, TempDir = _folder }, textsInMemory: false).Bytes, 0.01e9);
        // Loaded, the same texts alone would be 5.8 GB: refused in one line.
        var e = Assert.Throws<InputException>(() => MemoryEstimate.Plan(2_900_000_000, limit));
        Assert.Contains("even with its store on disk", e.Message);
    }

    [Fact]
    public void Plan_KeepsTheStoreInMemory_WhenDiskWouldNotHelp_ForAnMlNetTrainer_OrWithNoLimit()
    {
        // 35 M characters: 552.5 MB in memory, 667.5 MB spilled (the fixed part dominates): spilling would make it worse.
        var e = Assert.Throws<InputException>(() => MemoryEstimate.Plan(35_000_000, new MemoryLimit { MaxBytes = 500_000_000 }));
        Assert.StartsWith("--max-memory 500.0 MB is too small: training on 35.0 MB of text needs about 552.5 MB of memory; raise", e.Message);
        Assert.False(MemoryEstimate.Plan(35_000_000, new MemoryLimit { MaxBytes = 600_000_000 }).Spills);
        // ML.NET's trainers copy every row into memory, so their store is never spilled.
        e = Assert.Throws<InputException>(() => MemoryEstimate.Plan(1_000_000_000, new MemoryLimit { MaxBytes = 5_000_000_000 }, canSpill: false));
        Assert.Contains("needs about 9.6 GB of memory (this trainer keeps every row in memory; the svm can put its store on disk)", e.Message);
        // No limit (cross-validate, tune): never spilled, a warning above the memory available.
        var plan = MemoryEstimate.Plan(10_000_000_000, null);
        Assert.False(plan.Spills);
        Assert.StartsWith("training on 10.0 GB of text needs about 95.1 GB of memory, more than the", plan.Warning);
    }

    /// <summary>Runs <paramref name="action"/> on a thread of its own (its own copies of blocks), and waits for it.</summary>
    private static void OnAnotherThread(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        thread.Join();
    }

    private sealed class Recorder(List<string> lines) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            lock (lines) lines.Add(value.Stage);
        }
    }
}
