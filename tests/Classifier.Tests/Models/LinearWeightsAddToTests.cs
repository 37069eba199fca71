using System.Runtime.Intrinsics.X86;
using Classifier.Core.Models;

namespace Classifier.Tests.Models;

/// <summary>
/// z += W x over int8 rows, for every number of classes the vector paths treat differently (fewer than 8, whole blocks
/// of 8, a tail after them, more than 32): the same bits as the arithmetic stated by hand, so that scoring's output never
/// changes with the path. Whole blocks of eight classes multiply-add in one rounding (where the processor has FMA); the
/// classes after them multiply, then add.
/// </summary>
public sealed class LinearWeightsAddToTests
{
    public static TheoryData<int, int> Cases()
    {
        var cases = new TheoryData<int, int>();
        foreach (var classes in new[] { 1, 2, 7, 8, 9, 16, 20, 23, 24, 31, 32, 33, 90 })
            cases.Add(classes, 300);
        // Documents with no feature, and with fewer features than the rows are asked for ahead.
        foreach (var count in new[] { 0, 1, 5, 31 })
            cases.Add(20, count);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Int8Rows_AddUp_BitForBit_AsStatedByHand(int classes, int count)
    {
        const int features = 500;
        var random = new Random(classes);
        // Whole numbers in [-127, 127] with a ±127 in every row: each feature's scale is exactly 1, so the stored int8
        // weights are these numbers and the expected sums below need no quantization of their own.
        var q = new int[features, classes];
        var byClass = Enumerable.Range(0, classes).Select(_ => new float[features]).ToArray();
        for (int f = 0; f < features; f++)
        {
            for (int c = 0; c < classes; c++) q[f, c] = random.Next(-127, 128);
            q[f, random.Next(classes)] = random.Next(2) == 0 ? 127 : -127;
            for (int c = 0; c < classes; c++) byClass[c][f] = q[f, c];
        }
        var weights = LinearWeights.From(byClass, features, WeightPrecision.Int8);
        for (int c = 0; c < classes; c++) Assert.Equal(q[0, c], weights[0, c]);

        // A document: features anywhere, in no order, values with many significant bits; z starts at the biases.
        var touched = Enumerable.Range(0, count).Select(_ => random.Next(features)).Distinct().ToArray();
        var values = touched.Select(_ => (float)(random.NextDouble() * 0.3 - 0.05)).ToArray();
        var bias = Enumerable.Range(0, classes).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

        var z = (float[])bias.Clone();
        weights.AddTo(z, touched, values, touched.Length);

        var expected = (float[])bias.Clone();
        var fused = Avx2.IsSupported && Fma.IsSupported;
        var wholeBlocks = classes / 8 * 8;
        for (int i = 0; i < touched.Length; i++)
        {
            var v = values[i] * 1f;
            for (int c = 0; c < classes; c++)
            {
                float w = q[touched[i], c];
                expected[c] = fused && c < wholeBlocks ? MathF.FusedMultiplyAdd(w, v, expected[c]) : expected[c] + v * w;
            }
        }
        for (int c = 0; c < classes; c++) Assert.Equal(BitConverter.SingleToInt32Bits(expected[c]), BitConverter.SingleToInt32Bits(z[c]));
    }

    /// <summary>
    /// .ci/run runs these tests again with AVX2 turned off, for the scalar path: the runtime must have honoured that, or
    /// the pass would run the vector path again and prove nothing new (.NET 10 ignores DOTNET_EnableFMA=0 alone).
    /// </summary>
    [SkippableFact]
    public void WhereAvx2IsTurnedOff_TheRuntimeHasNeitherAvx2NorFma()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0", "runs where DOTNET_EnableAVX2=0 (.ci/run's last pass)");
        Assert.False(Avx2.IsSupported);
        Assert.False(Fma.IsSupported);
    }
}
