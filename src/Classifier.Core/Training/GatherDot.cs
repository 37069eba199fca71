using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Classifier.Core.Training;

/// <summary>
/// The dot product of a stored row (ids and 16-bit values) with a weight vector: the solvers' inner loop, where training
/// spends most of its time. With AVX2 it fetches eight weights at once by their ids (a gather) and multiplies-adds them
/// in single precision, eight lanes to a register; without it, one entry at a time in double precision.
/// </summary>
/// <remarks>
/// The two ways sum in different orders and precisions, so they differ in the last digits (a relative 1e-6 on rows of
/// thousands of entries). That is far inside the solver's tolerance, but a model trained on a machine without AVX2 is not
/// byte for byte the one trained with it. On one machine, every run takes the same way, so the same seed still gives
/// the same model whatever the thread count. Measured on 20 Newsgroups: the solves took about 12 % less time.
/// </remarks>
internal static class GatherDot
{
    /// <summary>Whether <see cref="Dot"/> gathers (false: the scalar loop).</summary>
    public static bool Gathers { get; } = Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Σ values[p] · w[ids[p]]; every id must index <paramref name="w"/> (the caller checks the row's bounds once).</summary>
    public static double Dot(ReadOnlySpan<int> ids, ReadOnlySpan<ushort> values, float[] w) =>
        Gathers ? Gathered(ids, values, w) : Scalar(ids, values, w);

    /// <summary>
    /// Four running sums, not one, so that each addition need not wait for the last (a dependency chain of floating-point
    /// adds bounded it); the weight read skips its bounds check, every id being below the weights' length by construction.
    /// </summary>
    public static double Scalar(ReadOnlySpan<int> ids, ReadOnlySpan<ushort> values, float[] w)
    {
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var p = 0;
        for (; p + 4 <= ids.Length; p += 4)
        {
            s0 += values[p] * Unsafe.Add(ref w0, ids[p]);
            s1 += values[p + 1] * Unsafe.Add(ref w0, ids[p + 1]);
            s2 += values[p + 2] * Unsafe.Add(ref w0, ids[p + 2]);
            s3 += values[p + 3] * Unsafe.Add(ref w0, ids[p + 3]);
        }
        for (; p < ids.Length; p++) s0 += values[p] * Unsafe.Add(ref w0, ids[p]);
        return s0 + s1 + (s2 + s3);
    }

    /// <summary>
    /// Sixteen entries a step in two independent sums, so that one gather's wait overlaps the other's. The lanes add up in
    /// a fixed order, and the last few entries one by one.
    /// </summary>
    public static unsafe double Gathered(ReadOnlySpan<int> ids, ReadOnlySpan<ushort> values, float[] w)
    {
        if (values.Length != ids.Length) throw new ArgumentException("one value per id", nameof(values));
        var n = ids.Length;
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var p = 0;
        fixed (int* ip = ids)
        fixed (ushort* vp = values)
        fixed (float* wp = w)
        {
            for (; p + 16 <= n; p += 16)
            {
                var g0 = Avx2.GatherVector256(wp, Avx.LoadVector256(ip + p), 4);
                var g1 = Avx2.GatherVector256(wp, Avx.LoadVector256(ip + p + 8), 4);
                a0 = Fma.MultiplyAdd(g0, Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(vp + p)), a0);
                a1 = Fma.MultiplyAdd(g1, Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(vp + p + 8)), a1);
            }
            double s = Vector256.Sum(a0 + a1);
            for (; p < n; p++) s += vp[p] * wp[ip[p]];
            return s;
        }
    }
}
