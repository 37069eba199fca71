using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Classifier.Core.Training;

/// <summary>
/// A plain row against the weights of several classes at once (see <see cref="LockstepSvm"/>), stored feature by
/// feature: the weights of feature j for classes 0 … stride − 1 are w[j·stride …]. One row entry then reads one run of
/// adjacent floats (a cache line for 16 classes) where separate class-major vectors cost one scattered read a class.
/// </summary>
internal sealed partial class SparseMatrix
{
    /// <summary>Classes (lanes) a feature's run of weights may hold: a multiple of 4 up to 16.</summary>
    public static int InterleavedStride(int classes) => classes <= 0 || classes > 16
        ? throw new ArgumentOutOfRangeException(nameof(classes), "1 to 16 classes")
        : (classes + 3) & ~3;

    /// <summary>
    /// dots[c] = Σ values[p] · w[ids[p]·stride + c] for each lane c of <paramref name="stride"/> (4, 8, 12 or 16), for a
    /// row of a plain store. Each lane sums in single precision, alternating two sums, in a fixed order.
    /// </summary>
    public void DotInterleaved(int row, float[] w, int stride, Span<float> dots)
    {
        if (_packed is not null) throw new InvalidOperationException("interleaved weights need a plain store");
        if ((long)w.Length < (long)Columns * stride || dots.Length < stride) throw new ArgumentException("one run of weights per column");
        var ids = new ReadOnlySpan<int>(_ids[_block[row]], _start[row], _length[row]);
        var values = new ReadOnlySpan<ushort>(_values[_block[row]], _start[row], _length[row]);
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
        var scale = _scale[row];
        // Two sums a lane, taking entries in turn, so that each fused multiply-add need not wait for the one before.
        Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        int p = 0, n = ids.Length;
        switch (stride)
        {
            case 4:
                for (; p + 1 < n; p += 2)
                {
                    a0 = Fma(Load(ref w0, ids[p], 0), values[p], a0);
                    b0 = Fma(Load(ref w0, ids[p + 1], 0), values[p + 1], b0);
                }
                for (; p < n; p++) a0 = Fma(Load(ref w0, ids[p], 0), values[p], a0);
                break;
            case 8:
                for (; p + 1 < n; p += 2)
                {
                    ref var r = ref Unsafe.Add(ref w0, ids[p] * 8);
                    ref var s = ref Unsafe.Add(ref w0, ids[p + 1] * 8);
                    a0 = Fma(Vector128.LoadUnsafe(ref r), values[p], a0);
                    a1 = Fma(Vector128.LoadUnsafe(ref r, 4), values[p], a1);
                    b0 = Fma(Vector128.LoadUnsafe(ref s), values[p + 1], b0);
                    b1 = Fma(Vector128.LoadUnsafe(ref s, 4), values[p + 1], b1);
                }
                for (; p < n; p++)
                {
                    ref var r = ref Unsafe.Add(ref w0, ids[p] * 8);
                    a0 = Fma(Vector128.LoadUnsafe(ref r), values[p], a0);
                    a1 = Fma(Vector128.LoadUnsafe(ref r, 4), values[p], a1);
                }
                break;
            default:
                for (; p < n; p++)
                {
                    // Lanes 8 to 15 of stride 12 or 16; one sum a lane (the chain is broken by the lanes themselves).
                    ref var r = ref Unsafe.Add(ref w0, ids[p] * stride);
                    var v = values[p];
                    a0 = Fma(Vector128.LoadUnsafe(ref r), v, a0);
                    a1 = Fma(Vector128.LoadUnsafe(ref r, 4), v, a1);
                    a2 = Fma(Vector128.LoadUnsafe(ref r, 8), v, a2);
                    if (stride == 16) a3 = Fma(Vector128.LoadUnsafe(ref r, 12), v, a3);
                }
                break;
        }
        ref var d0 = ref MemoryMarshal.GetReference(dots);
        ((a0 + b0) * scale).StoreUnsafe(ref d0);
        if (stride >= 8) ((a1 + b1) * scale).StoreUnsafe(ref d0, 4);
        if (stride >= 12) ((a2 + b2) * scale).StoreUnsafe(ref d0, 8);
        if (stride >= 16) ((a3 + b3) * scale).StoreUnsafe(ref d0, 12);
    }

    /// <summary>w[ids[p]·stride + c] += values[p] · delta[c] for every lane, for a row of a plain store (ids in a row are distinct).</summary>
    public void AddToInterleaved(int row, float[] w, int stride, ReadOnlySpan<float> delta)
    {
        if (_packed is not null) throw new InvalidOperationException("interleaved weights need a plain store");
        if ((long)w.Length < (long)Columns * stride || delta.Length < stride) throw new ArgumentException("one run of weights per column");
        var ids = new ReadOnlySpan<int>(_ids[_block[row]], _start[row], _length[row]);
        var values = new ReadOnlySpan<ushort>(_values[_block[row]], _start[row], _length[row]);
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref var e0 = ref MemoryMarshal.GetReference(delta);
        var scale = _scale[row];
        var chunks = stride / 4;
        Span<Vector128<float>> d = stackalloc Vector128<float>[4];
        for (int k = 0; k < chunks; k++) d[k] = Vector128.LoadUnsafe(ref e0, (nuint)(4 * k)) * scale;
        for (int p = 0; p < ids.Length; p++)
        {
            ref var r = ref Unsafe.Add(ref w0, ids[p] * stride);
            float v = values[p];
            for (int k = 0; k < chunks; k++)
            {
                ref var at = ref Unsafe.Add(ref r, 4 * k);
                Vector128.FusedMultiplyAdd(d[k], Vector128.Create(v), Vector128.LoadUnsafe(ref at)).StoreUnsafe(ref at);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Load(ref float w0, int id, int offset) => Vector128.LoadUnsafe(ref Unsafe.Add(ref w0, id * 4 + offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fma(Vector128<float> w, ushort value, Vector128<float> sum) =>
        Vector128.FusedMultiplyAdd(w, Vector128.Create((float)value), sum);
}
