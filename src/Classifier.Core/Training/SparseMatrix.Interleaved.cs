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
        PlainRow(row, w, stride, dots.Length, out var ids, out var values);
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
        var scale = _scale[row];
        // Two sums a lane, taking entries in turn, so that each fused multiply-add need not wait for the one before.
        ref var d0 = ref MemoryMarshal.GetReference(dots);
        int p = 0, n = ids.Length;
        if (stride == 4)
        {
            Vector128<float> a = default, b = default;
            for (; p + 1 < n; p += 2)
            {
                a = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref Unsafe.Add(ref w0, ids[p] * 4)), Vector128.Create((float)values[p]), a);
                b = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref Unsafe.Add(ref w0, ids[p + 1] * 4)), Vector128.Create((float)values[p + 1]), b);
            }
            if (p < n) a = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref Unsafe.Add(ref w0, ids[p] * 4)), Vector128.Create((float)values[p]), a);
            ((a + b) * scale).StoreUnsafe(ref d0);
            return;
        }
        // Lanes 0-7 in one register; lanes 8-15 (stride 16) or 8-11 (stride 12) in a second.
        Vector256<float> lo = default, loB = default, hi = default, hiB = default;
        var wide = stride == 16;
        for (; p + 1 < n; p += 2)
        {
            ref var r = ref Unsafe.Add(ref w0, ids[p] * stride);
            ref var s = ref Unsafe.Add(ref w0, ids[p + 1] * stride);
            var v = Vector256.Create((float)values[p]);
            var u = Vector256.Create((float)values[p + 1]);
            lo = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r), v, lo);
            loB = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref s), u, loB);
            if (stride == 8) continue;
            hi = Vector256.FusedMultiplyAdd(High(ref r, wide), v, hi);
            hiB = Vector256.FusedMultiplyAdd(High(ref s, wide), u, hiB);
        }
        if (p < n)
        {
            ref var r = ref Unsafe.Add(ref w0, ids[p] * stride);
            var v = Vector256.Create((float)values[p]);
            lo = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r), v, lo);
            if (stride != 8) hi = Vector256.FusedMultiplyAdd(High(ref r, wide), v, hi);
        }
        ((lo + loB) * scale).StoreUnsafe(ref d0);
        if (stride == 8) return;
        var h = (hi + hiB) * scale;
        if (wide) h.StoreUnsafe(ref d0, 8);
        else h.GetLower().StoreUnsafe(ref d0, 8);
    }

    /// <summary>A plain row's ids and values, once the interleaved weights and the caller's buffer of lanes are checked.</summary>
    private void PlainRow(int row, float[] w, int stride, int lanes, out ReadOnlySpan<int> ids, out ReadOnlySpan<ushort> values)
    {
        if (_packed is not null) throw new InvalidOperationException("interleaved weights need a plain store");
        if ((long)w.Length < (long)Columns * stride || lanes < stride) throw new ArgumentException("one run of weights per column");
        ids = new ReadOnlySpan<int>(_ids[_block[row]], _start[row], _length[row]);
        values = new ReadOnlySpan<ushort>(_values[_block[row]], _start[row], _length[row]);
    }

    /// <summary>Lanes 8 on of a feature's run: eight of stride 16, or four of stride 12 (the rest zero, not read past the run).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> High(ref float run, bool wide) =>
        wide ? Vector256.LoadUnsafe(ref run, 8) : Vector256.Create(Vector128.LoadUnsafe(ref run, 8), Vector128<float>.Zero);

    /// <summary>w[ids[p]·stride + c] += values[p] · delta[c] for every lane, for a row of a plain store (ids in a row are distinct).</summary>
    public void AddToInterleaved(int row, float[] w, int stride, ReadOnlySpan<float> delta)
    {
        PlainRow(row, w, stride, delta.Length, out var ids, out var values);
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref var e0 = ref MemoryMarshal.GetReference(delta);
        var scale = _scale[row];
        // The lanes' changes, scaled to the row, in registers: lanes 0-7 (or 0-3), then 8-15 (or 8-11).
        var lo = stride == 4 ? Vector256.Create(Vector128.LoadUnsafe(ref e0) * scale, Vector128<float>.Zero) : Vector256.LoadUnsafe(ref e0) * scale;
        var hi = stride switch
        {
            16 => Vector256.LoadUnsafe(ref e0, 8) * scale,
            12 => Vector256.Create(Vector128.LoadUnsafe(ref e0, 8) * scale, Vector128<float>.Zero),
            _ => Vector256<float>.Zero,
        };
        for (int p = 0; p < ids.Length; p++)
        {
            ref var r = ref Unsafe.Add(ref w0, ids[p] * stride);
            float v = values[p];
            if (stride == 4)
            {
                Vector128.FusedMultiplyAdd(lo.GetLower(), Vector128.Create(v), Vector128.LoadUnsafe(ref r)).StoreUnsafe(ref r);
                continue;
            }
            var vv = Vector256.Create(v);
            Vector256.FusedMultiplyAdd(lo, vv, Vector256.LoadUnsafe(ref r)).StoreUnsafe(ref r);
            if (stride == 16) Vector256.FusedMultiplyAdd(hi, vv, Vector256.LoadUnsafe(ref r, 8)).StoreUnsafe(ref r, 8);
            else if (stride == 12)
            {
                ref var t = ref Unsafe.Add(ref r, 8);
                Vector128.FusedMultiplyAdd(hi.GetLower(), Vector128.Create(v), Vector128.LoadUnsafe(ref t)).StoreUnsafe(ref t);
            }
        }
    }
}
