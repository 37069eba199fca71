using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>The one store of training vectors: what featurizing puts in, row subsets, and pruning in place.</summary>
public sealed class SparseMatrixTests
{
    private static readonly string[] Texts = Enumerable.Range(0, 5000)
        .Select(i => $"document {i % 97} about {(i % 3 == 0 ? "goals and matches" : i % 3 == 1 ? "shares and banks" : "doctors and clinics")} number {i % 13}")
        .ToArray();

    [Fact]
    public void Featurize_StoresEveryDocumentsVector_AcrossBlocks()
    {
        var f = TextFeaturizer.Fit(Texts, new FeaturizerOptions(), threads: 2);
        var x = SparseMatrix.Featurize(f, Texts, threads: 2, CancellationToken.None);
        Assert.Equal(Texts.Length, x.Rows);
        var ws = f.CreateWorkspace();
        long entries = 0;
        for (int i = 0; i < Texts.Length; i += 7)
        {
            var v = f.Transform(Texts[i], ws);
            Assert.Equal(v.Indices, x.Indices(i).ToArray());
            AssertStoredValues(v.Values, x.Values(i));
        }
        for (int i = 0; i < x.Rows; i++) entries += x.Indices(i).Length;
        Assert.Equal(entries, x.Entries);
    }

    /// <summary>
    /// Stored values are 16-bit fractions of the row's largest: within half a step of 1/65,535 of it, plus the float
    /// rounding of step × count, so one step is the bound checked.
    /// </summary>
    private static void AssertStoredValues(float[] expected, float[] stored)
    {
        Assert.Equal(expected.Length, stored.Length);
        var step = expected.Max() / ushort.MaxValue;
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - stored[i]) <= step, $"{i}: {expected[i]} stored as {stored[i]}");
    }

    [Fact]
    public void Values_AreStoredToWithinHalfAStep_AsWorkedByHand()
    {
        // Largest 0.5, so the step is 0.5 / 65535; 0.25 is 32767.5 steps and rounds to 32768 (to even), 0.1 to 13107.
        var x = new SparseMatrix([new SparseVector([0, 3, 7], [0.5f, 0.25f, 0.1f])], 8);
        var step = 0.5f / ushort.MaxValue;
        Assert.Equal([0.5f, 32768 * step, 13107 * step], x.Values(0));
        Assert.Equal(0.5 * 0.5 + (32768 * step) * (32768 * step) + (13107 * step) * (13107 * step), x.SquaredNorm(0), 6);
        var w = new float[8];
        w[0] = 1; w[3] = 2; w[7] = 4;
        Assert.Equal(0.5 + 2 * 32768 * step + 4 * 13107 * step, x.Dot(0, w), 5);
    }

    [Fact]
    public void TrainingOnRowNumbers_EqualsTrainingOnACopyOfThoseRows()
    {
        var f = TextFeaturizer.Fit(Texts, new FeaturizerOptions { CharNgramMin = 3, CharNgramMax = 3 }, threads: 1);
        var x = SparseMatrix.Featurize(f, Texts, threads: 1, CancellationToken.None);
        var rows = Enumerable.Range(0, x.Rows).Where(i => i % 4 != 0).ToArray();
        var positive = rows.Select(i => i % 3 == 0).ToArray();
        var options = new DualCoordinateSvm.Options(1.0, 50, 0.1, 3);
        var copy = new SparseMatrix(rows.Select(x.Row).ToList(), x.Columns);
        var a = DualCoordinateSvm.Train(copy, positive, options);
        var b = DualCoordinateSvm.Train(x, positive, options, rows: rows);
        // The copy stores the same 16-bit values again; its scale may differ in the last bit.
        Assert.Equal(a.Bias, b.Bias, 4);
        for (int j = 0; j < a.Weights.Length; j++) Assert.Equal(a.Weights[j], b.Weights[j], 4);
    }

    [Fact]
    public void RestrictInPlace_EqualsRestrictingEachVector()
    {
        var f = TextFeaturizer.Fit(Texts, new FeaturizerOptions(), threads: 1);
        var x = SparseMatrix.Featurize(f, Texts, threads: 2, CancellationToken.None);
        var before = Enumerable.Range(0, x.Rows).Select(x.Row).ToList();
        var keep = Enumerable.Range(0, f.Dimension).Where(i => i % 5 != 2).ToArray();
        var newId = Enumerable.Repeat(-1, f.Dimension).ToArray();
        for (int i = 0; i < keep.Length; i++) newId[keep[i]] = i;
        var blocks = f.Blocks.Restricted(keep);
        x.Restrict(newId, blocks, keep.Length, threads: 2, CancellationToken.None);
        Assert.Equal(keep.Length, x.Columns);
        for (int i = 0; i < x.Rows; i++)
        {
            var expected = TextFeaturizer.Restrict(before[i], newId, blocks);
            Assert.Equal(expected.Indices, x.Indices(i).ToArray());
            AssertStoredValues(expected.Values, x.Values(i));
        }
    }
}
