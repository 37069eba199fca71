using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Classifier.Core.Models;

/// <summary>
/// The weight matrix of a linear model, feature-major (all classes of one feature side by side, so a document's
/// feature touches one short run of memory), stored at a chosen precision. Quantized weights keep one scale per
/// feature, the largest magnitude of its row over 127 (int8) or 32767 (int16), so every feature keeps its own
/// resolution however large or small its weights are. Immutable and thread-safe.
/// </summary>
internal sealed class LinearWeights
{
    private readonly sbyte[]? _q8;
    private readonly short[]? _q16;
    private readonly float[]? _f32;
    private readonly float[] _scale;

    public int Features { get; }
    public int Classes { get; }
    public WeightPrecision Precision { get; }

    private LinearWeights(int features, int classes, WeightPrecision precision, float[] scale, sbyte[]? q8, short[]? q16, float[]? f32)
    {
        Features = features;
        Classes = classes;
        Precision = precision;
        _scale = scale;
        _q8 = q8;
        _q16 = q16;
        _f32 = f32;
    }

    /// <summary>Stores <paramref name="byClass"/>[class][feature] at <paramref name="precision"/>.</summary>
    public static LinearWeights From(IReadOnlyList<float[]> byClass, int features, WeightPrecision precision)
    {
        var k = byClass.Count;
        var scale = new float[precision == WeightPrecision.Float32 ? 0 : features];
        sbyte[]? q8 = precision == WeightPrecision.Int8 ? new sbyte[(long)features * k] : null;
        short[]? q16 = precision == WeightPrecision.Int16 ? new short[(long)features * k] : null;
        float[]? f32 = precision == WeightPrecision.Float32 ? new float[(long)features * k] : null;
        var levels = precision == WeightPrecision.Int8 ? 127f : 32767f;
        for (int f = 0; f < features; f++)
        {
            if (f32 is not null)
            {
                for (int c = 0; c < k; c++) f32[(long)f * k + c] = byClass[c][f];
                continue;
            }
            float max = 0;
            for (int c = 0; c < k; c++) max = Math.Max(max, Math.Abs(byClass[c][f]));
            var s = max / levels;
            scale[f] = s;
            if (s == 0) continue;
            for (int c = 0; c < k; c++)
            {
                var q = MathF.Round(byClass[c][f] / s);
                if (q8 is not null) q8[(long)f * k + c] = (sbyte)q;
                else q16![(long)f * k + c] = (short)q;
            }
        }
        return new LinearWeights(features, k, precision, scale, q8, q16, f32);
    }

    /// <summary>The weight of <paramref name="feature"/> for class <paramref name="c"/>, as the model uses it.</summary>
    public float this[int feature, int c] => Precision switch
    {
        WeightPrecision.Int8 => _q8![(long)feature * Classes + c] * _scale[feature],
        WeightPrecision.Int16 => _q16![(long)feature * Classes + c] * _scale[feature],
        _ => _f32![(long)feature * Classes + c],
    };

    /// <summary>How many features ahead <see cref="AddTo(float[], int[], float[], int)"/> asks for weight rows.</summary>
    private const int PrefetchDistance = 32;

    /// <summary>z[c] += value × weight[feature, c] for every class.</summary>
    public void AddTo(Span<float> z, int feature, float value)
    {
        var k = Classes;
        switch (Precision)
        {
            case WeightPrecision.Int8:
            {
                var v = value * _scale[feature];
                var row = new ReadOnlySpan<sbyte>(_q8, feature * k, k);
                for (int c = 0; c < row.Length; c++) z[c] += v * row[c];
                break;
            }
            case WeightPrecision.Int16:
            {
                var v = value * _scale[feature];
                var row = new ReadOnlySpan<short>(_q16, feature * k, k);
                for (int c = 0; c < row.Length; c++) z[c] += v * row[c];
                break;
            }
            default:
            {
                var row = new ReadOnlySpan<float>(_f32, feature * k, k);
                for (int c = 0; c < row.Length; c++) z[c] += value * row[c];
                break;
            }
        }
    }

    /// <summary>z += W x for the sparse x given as <paramref name="features"/>[i] with <paramref name="values"/>[i], i below <paramref name="count"/>.</summary>
    public unsafe void AddTo(float[] z, int[] features, float[] values, int count)
    {
        if (Precision != WeightPrecision.Int8 || !Avx2.IsSupported)
        {
            for (int i = 0; i < count; i++) AddTo(z, features[i], values[i]);
            return;
        }
        var k = Classes;
        if (k >= 8 && k <= 32)
        {
            AddToInRegisters(z, features, values, count);
            return;
        }
        // int8 rows, eight classes at a time: widen eight bytes to eight ints to eight floats, multiply-add into z.
        ref var q = ref MemoryMarshal.GetArrayDataReference(_q8!);
        ref var zr = ref MemoryMarshal.GetArrayDataReference(z);
        ref var scale = ref MemoryMarshal.GetArrayDataReference(_scale);
        for (int i = 0; i < count; i++)
        {
            if (i + PrefetchDistance < count) PrefetchRow(ref q, ref scale, features[i + PrefetchDistance], k);
            var f = features[i];
            var v = values[i] * Unsafe.Add(ref scale, f);
            ref var row = ref Unsafe.Add(ref q, (nint)f * k);
            var vv = Vector256.Create(v);
            int c = 0;
            for (; c + 8 <= k; c += 8)
            {
                ref var zc = ref Unsafe.Add(ref zr, c);
                MultiplyAdd(Widen(ref row, c), vv, Vector256.LoadUnsafe(ref zc)).StoreUnsafe(ref zc);
            }
            for (; c < k; c++) Unsafe.Add(ref zr, c) += v * Unsafe.Add(ref row, c);
        }
    }

    /// <summary>
    /// <see cref="AddTo(float[], int[], float[], int)"/> for 8 to 32 classes, with z held in registers for the whole
    /// document instead of written back after every feature, as the general loop does (there each feature waits on the
    /// store of the one before). The same arithmetic in the same order, so the same bits: whole blocks of eight classes
    /// multiply-add as in the general loop, and the classes after them, which it adds one at a time (a multiply, then an
    /// add), are added here as the row's last eight lanes at once, the lanes already in a whole block left out when z
    /// is written back.
    /// </summary>
    private unsafe void AddToInRegisters(float[] z, int[] features, float[] values, int count)
    {
        var k = Classes;
        int blocks = k / 8, tailAt = k - 8;
        var tail = k % 8 != 0;
        ref var q = ref MemoryMarshal.GetArrayDataReference(_q8!);
        ref var zr = ref MemoryMarshal.GetArrayDataReference(z);
        ref var scale = ref MemoryMarshal.GetArrayDataReference(_scale);
        var a0 = Vector256.LoadUnsafe(ref zr);
        var a1 = blocks > 1 ? Vector256.LoadUnsafe(ref zr, 8) : default;
        var a2 = blocks > 2 ? Vector256.LoadUnsafe(ref zr, 16) : default;
        var a3 = blocks > 3 ? Vector256.LoadUnsafe(ref zr, 24) : default;
        var last = Vector256.LoadUnsafe(ref zr, (nuint)tailAt);
        for (int i = 0; i < count; i++)
        {
            if (i + PrefetchDistance < count) PrefetchRow(ref q, ref scale, features[i + PrefetchDistance], k);
            var f = features[i];
            var vv = Vector256.Create(values[i] * Unsafe.Add(ref scale, f));
            ref var row = ref Unsafe.Add(ref q, (nint)f * k);
            a0 = MultiplyAdd(Widen(ref row, 0), vv, a0);
            if (blocks > 1) a1 = MultiplyAdd(Widen(ref row, 8), vv, a1);
            if (blocks > 2) a2 = MultiplyAdd(Widen(ref row, 16), vv, a2);
            if (blocks > 3) a3 = MultiplyAdd(Widen(ref row, 24), vv, a3);
            if (tail) last = Avx.Add(last, Avx.Multiply(Widen(ref row, tailAt), vv));
        }
        a0.StoreUnsafe(ref zr);
        if (blocks > 1) a1.StoreUnsafe(ref zr, 8);
        if (blocks > 2) a2.StoreUnsafe(ref zr, 16);
        if (blocks > 3) a3.StoreUnsafe(ref zr, 24);
        for (int c = blocks * 8; c < k; c++) z[c] = last.GetElement(c - tailAt);
    }

    /// <summary>
    /// Asks for the weight row of <paramref name="feature"/> (its first and last cache lines: a row of up to 64 classes
    /// spans at most two) and its scale. The rows a document touches lie anywhere in a few MB of weights: asked for
    /// <see cref="PrefetchDistance"/> features ahead, their cache misses overlap the work on the features before
    /// instead of following it.
    /// </summary>
    private static unsafe void PrefetchRow(ref sbyte q, ref float scale, int feature, int k)
    {
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref q, (nint)feature * k)));
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref q, (nint)feature * k + k - 1)));
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref scale, feature)));
    }

    /// <summary>Eight int8 weights from <paramref name="row"/>[<paramref name="at"/>], as floats.</summary>
    private static Vector256<float> Widen(ref sbyte row, int at) =>
        Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(
            Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref row, at)))).AsSByte()));

    private static Vector256<float> MultiplyAdd(Vector256<float> w, Vector256<float> v, Vector256<float> acc) =>
        Fma.IsSupported ? Fma.MultiplyAdd(w, v, acc) : Avx.Add(acc, Avx.Multiply(w, v));

    /// <summary>Arrays go out as their bytes, little-endian as on every platform .NET runs on here, so loading is one read each.</summary>
    public void Write(BinaryWriter w)
    {
        w.Write((byte)Precision);
        w.Write(Features);
        w.Write(Classes);
        w.Write(MemoryMarshal.AsBytes(_scale.AsSpan()));
        if (_q8 is not null) w.Write(MemoryMarshal.AsBytes(_q8.AsSpan()));
        if (_q16 is not null) w.Write(MemoryMarshal.AsBytes(_q16.AsSpan()));
        if (_f32 is not null) w.Write(MemoryMarshal.AsBytes(_f32.AsSpan()));
    }

    // One reader per element type, not a generic one: MemoryMarshal.AsBytes<T> over each type was compiled in each new
    // process (ReadyToRun does not hold those instantiations), and `predict` is a new process per call.
    private static unsafe float[] ReadFloats(BinaryReader r, long count)
    {
        var a = new float[count];
        fixed (float* p = a) r.BaseStream.ReadExactly(new Span<byte>(p, checked((int)(count * sizeof(float)))));
        return a;
    }

    private static unsafe sbyte[] ReadSbytes(BinaryReader r, long count)
    {
        var a = new sbyte[count];
        fixed (sbyte* p = a) r.BaseStream.ReadExactly(new Span<byte>(p, checked((int)count)));
        return a;
    }

    private static unsafe short[] ReadShorts(BinaryReader r, long count)
    {
        var a = new short[count];
        fixed (short* p = a) r.BaseStream.ReadExactly(new Span<byte>(p, checked((int)(count * sizeof(short)))));
        return a;
    }

    public static LinearWeights Read(BinaryReader r)
    {
        var precision = (WeightPrecision)r.ReadByte();
        if (precision is not (WeightPrecision.Int8 or WeightPrecision.Int16 or WeightPrecision.Float32)) throw new InvalidDataException($"unknown weight precision {(int)precision}");
        var features = r.ReadInt32();
        var classes = r.ReadInt32();
        var total = (long)features * classes;
        if (features < 0 || classes < 1 || classes > 100_000 || total * precision.Bytes() > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException("weight sizes are inconsistent");
        var scale = ReadFloats(r, precision == WeightPrecision.Float32 ? 0 : features);
        var q8 = precision == WeightPrecision.Int8 ? ReadSbytes(r, total) : null;
        var q16 = precision == WeightPrecision.Int16 ? ReadShorts(r, total) : null;
        var f32 = precision == WeightPrecision.Float32 ? ReadFloats(r, total) : null;
        foreach (var x in scale) Finite(x);
        if (f32 is not null) foreach (var x in f32) Finite(x);
        return new LinearWeights(features, classes, precision, scale, q8, q16, f32);
    }

    private static void Finite(float x)
    {
        if (!float.IsFinite(x)) throw new InvalidDataException("a weight is not a finite number");
    }
}
