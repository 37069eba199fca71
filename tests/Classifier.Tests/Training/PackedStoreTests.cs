using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>
/// The packed store of large corpora (PackedRows): the same rows as the plain store, each weight within one step of
/// 2^(1/24) of its plain value, and the solver's products within that too.
/// </summary>
public sealed class PackedStoreTests
{
    private static readonly List<string> Texts = Enumerable.Range(0, 3000).Select(i =>
        $"Report {i % 89} on {(i % 3 == 0 ? "goals and matches" : i % 3 == 1 ? "shares and banks" : "doctors and clinics")} " +
        $"from region{i % 41} with tag{i % 577} and Ünïcödé wörds {new string('x', i % 7 + 1)} {(i % 5 == 0 ? $"rare{i}" : "")}").ToList();

    /// <summary>Half a step of 2^(1/24) either way, and a little for rounding.</summary>
    private static readonly double Tolerance = Math.Pow(2, 0.5 / 24) - 1 + 1e-5;

    [Fact]
    public void Gaps_RoundTrip_InTwoBytes_OrSixFromTheLongGapOn()
    {
        var bytes = new ByteWriter();
        uint[] gaps = [0, 1, 255, 256, 65_534, 65_535, 65_536, int.MaxValue];
        foreach (var g in gaps) PackedRows.WriteGap(bytes, g);
        // 2 + 2 + 2 + 2 + 2 + 6 + 6 + 6 bytes.
        Assert.Equal(28, bytes.Count);
        var data = bytes.ToArray();
        var pos = 0;
        foreach (var g in gaps) Assert.Equal(g, PackedRows.ReadGap(data, ref pos));
        Assert.Equal(data.Length, pos);
    }

    [Fact]
    public void Counts_RoundTrip_Exactly()
    {
        var bytes = new ByteWriter();
        int[] ids = [0, 7, 70_000, 70_001];
        ushort[] counts = [1, 254, 255, 65_535];
        PackedRows.AppendCounts(bytes, ids, counts);
        // Gaps 2 + 2 + 6 + 2 bytes; counts 1 + 1 + 3 + 3.
        Assert.Equal(20, bytes.Count);
        var readIds = new int[4];
        var readCounts = new ushort[4];
        PackedRows.ReadCounts(bytes.ToArray(), 0, 4, readIds, readCounts);
        Assert.Equal(ids, readIds);
        Assert.Equal(counts, readCounts);
    }

    [Fact]
    public void WeightCodes_AreStepsOf2ToTheOneTwentyFourthBelowTheRowsLargest()
    {
        Assert.Equal(0, PackedRows.Code(1f, 1f));
        Assert.Equal(24, PackedRows.Code(0.5f, 1f));
        Assert.Equal(48, PackedRows.Code(0.25f, 2f / 2f * 1f));
        Assert.Equal(255, PackedRows.Code(1e-9f, 1f));
        Assert.Equal(0.5f, PackedRows.Levels[24], 6);
        Assert.Throws<ArgumentException>(() => PackedRows.AppendCounts(new ByteWriter(), [3, 2], [1, 1]));
    }

    [Fact]
    public void PackedVectors_HoldThePlainOnesRows_WithinAStep_InPlaceOrNot_AndAfterPruning()
    {
        var options = new FeaturizerOptions();
        var plainCorpus = CountingPass.Run(Texts, options, threads: 2, CancellationToken.None, pack: false);
        var packedCorpus = CountingPass.Run(Texts, options, threads: 2, CancellationToken.None, pack: true);
        Assert.True(packedCorpus.Counts.IsPacked);
        Assert.False(plainCorpus.Counts.IsPacked);
        // The counts are exact: the same ids and counts, so the same vocabulary.
        for (int r = 0; r < Texts.Count; r += 13)
        {
            Assert.Equal(plainCorpus.Counts.Indices(r).ToArray(), packedCorpus.Counts.Indices(r).ToArray());
            Assert.Equal(plainCorpus.Counts.Values(r), packedCorpus.Counts.Values(r));
        }
        var rows = Enumerable.Range(0, Texts.Count).Where(i => i % 4 != 0).ToList();
        var (f, featureOf) = plainCorpus.Vocabulary(rows, options, threads: 2, CancellationToken.None);
        var (g, packedFeatureOf) = packedCorpus.Vocabulary(rows, options, threads: 2, CancellationToken.None);
        Assert.Equal(featureOf, packedFeatureOf);
        Assert.Equal(f.Hashes(), g.Hashes());

        var plain = plainCorpus.Vectors(rows, f, featureOf, threads: 2, CancellationToken.None);
        var packed = packedCorpus.Vectors(rows, f, featureOf, threads: 2, CancellationToken.None);
        Assert.True(packed.IsPacked);
        Assert.True(packed.Bytes < plain.Bytes * 0.6, $"{packed.Bytes} bytes packed against {plain.Bytes}");
        SameRows(plain, packed);

        // Consumed in place (all rows), then pruned to a few features: still the plain store's rows, within a step.
        var (all, allOf) = plainCorpus.Vocabulary(null, options, threads: 2, CancellationToken.None);
        var plainAll = plainCorpus.Vectors(null, all, allOf, threads: 2, CancellationToken.None, consume: true);
        var packedAll = packedCorpus.Vectors(null, all, allOf, threads: 2, CancellationToken.None, consume: true);
        SameRows(plainAll, packedAll);
        var keep = Enumerable.Range(0, all.Dimension).Where(i => i % 3 == 0).ToArray();
        FeaturePruning.Restrict(plainAll, all, keep, threads: 2, CancellationToken.None);
        FeaturePruning.Restrict(packedAll, all, keep, threads: 2, CancellationToken.None);
        Assert.Equal(keep.Length, packedAll.Columns);
        // Pruning weighs the packed values again: two roundings, and each row normalised again from rounded values.
        SameRows(plainAll, packedAll, steps: 3);
    }

    [Fact]
    public void APackedStoresTraining_HalfPrecisionCalibration_IsTheSameWithOneThreadOrTwo_AndAccurate()
    {
        var options = new FeaturizerOptions();
        var labels = Enumerable.Range(0, Texts.Count).Select(i => i % 3).ToArray();
        OneVersusRestSvm.Result Fit(int threads, bool pack)
        {
            var corpus = CountingPass.Run(Texts, options, threads, CancellationToken.None, pack: pack);
            var (f, featureOf) = corpus.Vocabulary(null, options, threads, CancellationToken.None);
            var x = corpus.Vectors(null, f, featureOf, threads, CancellationToken.None);
            Assert.Equal(pack, x.IsPacked);
            // A budget below the vocabulary, so that the half-precision weights choose what is kept.
            // Ranked by the class-at-a-time solver on both stores, so that only the precision of the weights differs.
            return OneVersusRestSvm.Train(x, labels, 3, f, new TrainerOptions { Threads = threads }, budget: f.Dimension / 2, CancellationToken.None,
                classAtATime: true);
        }
        var one = Fit(1, pack: true);
        var two = Fit(2, pack: true);
        Assert.NotNull(one.Keep);
        Assert.Equal(one.Keep, two.Keep);
        Assert.Equal(one.Bias, two.Bias);
        for (int c = 0; c < 3; c++) Assert.Equal(one.Weights[c], two.Weights[c]);
        // The plain store (single-precision weights) keeps nearly the same features.
        var plain = Fit(2, pack: false);
        Assert.True(plain.Keep!.Intersect(one.Keep!).Count() >= 0.95 * plain.Keep!.Length, $"half-precision ranks keep what single precision keeps: {plain.Keep!.Intersect(one.Keep!).Count()} of {plain.Keep!.Length}");
    }

    [Fact]
    public void TrainAll_GivingEachClassToACallback_SolvesIntoAClearedArrayEachTime()
    {
        var options = new FeaturizerOptions();
        var corpus = CountingPass.Run(Texts, options, threads: 1, CancellationToken.None, pack: true);
        var (f, featureOf) = corpus.Vocabulary(null, options, threads: 1, CancellationToken.None);
        var x = corpus.Vectors(null, f, featureOf, threads: 1, CancellationToken.None);
        var labels = Enumerable.Range(0, Texts.Count).Select(i => i % 4).ToArray();
        var o = new TrainerOptions { Threads = 1 };
        var (returned, bias) = OneVersusRestSvm.TrainAll(x, labels, 4, o, CancellationToken.None);
        var given = new float[4][];
        var arrays = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        var (none, keptBias) = OneVersusRestSvm.TrainAll(x, labels, 4, o, CancellationToken.None, keep: (c, w) =>
        {
            arrays.Add(w);
            given[c] = (float[])w.Clone();
        });
        // One thread: one array, used for all four classes, and each class's weights as if solved into a new one.
        Assert.Single(arrays);
        Assert.All(none, Assert.Null);
        Assert.Equal(bias, keptBias);
        for (int c = 0; c < 4; c++) Assert.Equal(returned[c], given[c]);
    }

    /// <summary>The same ids; values, dot products, squared norms and additions within the packed layout's tolerance.</summary>
    private static void SameRows(SparseMatrix plain, SparseMatrix packed, int steps = 1)
    {
        var tolerance = steps * Tolerance;
        Assert.Equal(plain.Rows, packed.Rows);
        Assert.Equal(plain.Entries, packed.Entries);
        var w = Enumerable.Range(0, plain.Columns).Select(j => (float)Math.Sin(j * 0.37) + 0.5f).ToArray();
        for (int r = 0; r < plain.Rows; r += 7)
        {
            Assert.Equal(plain.Indices(r).ToArray(), packed.Indices(r).ToArray());
            var a = plain.Values(r);
            var b = packed.Values(r);
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= tolerance * a[i] + 1e-4f * a.Max(), $"row {r}: {a[i]} packed as {b[i]}");
            // Weights that are all positive: the product's error is bounded by the values' relative error.
            var positive = w.Select(Math.Abs).ToArray();
            Assert.True(Math.Abs(plain.Dot(r, positive) - packed.Dot(r, positive)) <= (tolerance + 1e-3) * plain.Dot(r, positive) + 1e-6);
            Assert.True(Math.Abs(plain.SquaredNorm(r) - packed.SquaredNorm(r)) <= 3 * tolerance * plain.SquaredNorm(r) + 1e-6);
            var into = new float[plain.Columns];
            var intoPacked = new float[plain.Columns];
            plain.AddTo(r, into, 2f);
            packed.AddTo(r, intoPacked, 2f);
            for (int j = 0; j < into.Length; j++) Assert.True(Math.Abs(into[j] - intoPacked[j]) <= tolerance * Math.Abs(into[j]) + 1e-4f);
        }
    }

    [Fact]
    public void HeldMargins_OfAPackedStore_AreEachClassesDot_BitForBit_OnOneThreadOrTwo()
    {
        var options = new FeaturizerOptions();
        var corpus = CountingPass.Run(Texts, options, threads: 2, CancellationToken.None, pack: true);
        var (f, featureOf) = corpus.Vocabulary(null, options, threads: 2, CancellationToken.None);
        var x = corpus.Vectors(null, f, featureOf, threads: 2, CancellationToken.None, consume: true);
        Assert.True(x.IsPacked);
        var random = new Random(5);
        // Three classes (an odd count), weights of both signs and of many scales, so that the order of the sums shows.
        var weights = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, x.Columns)
            .Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 3)))).ToArray()).ToArray();
        float[] bias = [0.25f, -1.5f, 3e-3f];
        var rows = Enumerable.Range(0, x.Rows).Where(i => i % 4 != 1).ToList();
        foreach (var threads in new[] { 1, 2 })
        {
            var held = OneVersusRestSvm.HeldMargins(x, rows, weights, bias, threads, CancellationToken.None);
            Assert.Equal(rows.Count, held.Length);
            for (int k = 0; k < rows.Count; k++)
            {
                var one = OneVersusRestSvm.Margins(x, rows[k], weights, bias);
                for (int c = 0; c < 3; c++)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(one[c]), BitConverter.DoubleToInt64Bits(held[k][c]));
            }
        }
    }
}
