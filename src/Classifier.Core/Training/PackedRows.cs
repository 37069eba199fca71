using System.Runtime.CompilerServices;

namespace Classifier.Core.Training;

/// <summary>
/// The compact layout of a row of the training store, for corpora whose store would not fit comfortably in memory
/// (see <see cref="SparseMatrix"/>): each entry is its id's gap from the previous id (the first from zero) in two
/// bytes, or, for a gap of 65,535 or more, 0xFFFF and then the gap in four; then its value. A row's ids increase, and
/// most gaps are small. Fixed widths keep the solver's loop free of the unpredictable branches of a 7-bit varint,
/// which made the solves twice as slow as the plain layout's (measured on the synthetic 100 MB corpus).
/// Values are either counts (one byte, or 255 and then the count in two: exact) or weights as one byte: the value's
/// distance below the row's largest in steps of 2^(1/24), so every weight keeps its size to within 1.5 %, and weights
/// down to 1/1,600 of the row's largest (well under what tf-idf gives one document) stay apart from zero.
/// </summary>
internal static class PackedRows
{
    /// <summary>Steps per halving of a weight (see <see cref="Levels"/>).</summary>
    private const double StepsPerOctave = 24;

    /// <summary>The fraction of its row's largest weight that each one-byte code stands for: 2^(-code / 24).</summary>
    public static readonly float[] Levels = Enumerable.Range(0, 256).Select(c => (float)Math.Pow(2, -c / StepsPerOctave)).ToArray();

    /// <summary>The code of a weight <paramref name="v"/> in a row whose largest weight is <paramref name="max"/> (both positive).</summary>
    public static byte Code(float v, float max)
    {
        if (!(v > 0) || !(max > 0)) return 255;
        var c = Math.Round(-StepsPerOctave * Math.Log2(v / (double)max));
        return (byte)Math.Clamp(c, 0, 255);
    }

    /// <summary>A gap of this or more is written as this, then the gap in four bytes.</summary>
    private const uint LongGap = 0xFFFF;

    public static void WriteGap(ByteWriter to, uint gap)
    {
        if (gap < LongGap)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(to.Reserve(2), (ushort)gap);
            return;
        }
        var span = to.Reserve(6);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)LongGap);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[2..], gap);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadGap(byte[] data, ref int pos)
    {
        uint g = Unsafe.ReadUnaligned<ushort>(ref data[pos]);
        pos += 2;
        if (g != LongGap) return g;
        g = Unsafe.ReadUnaligned<uint>(ref data[pos]);
        pos += 4;
        return g;
    }

    /// <summary><see cref="ReadGap"/> without bounds checks, for the solver's loop over rows the store wrote itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadGap(ref byte data, ref int pos)
    {
        uint g = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref data, pos));
        pos += 2;
        if (g != LongGap) return g;
        g = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref data, pos));
        pos += 4;
        return g;
    }

    private static void WriteCount(ByteWriter to, ushort count)
    {
        if (count < 255)
        {
            to.Add((byte)count);
            return;
        }
        var span = to.Reserve(3);
        span[0] = 255;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[1..], count);
    }

    private static ushort ReadCount(byte[] data, ref int pos)
    {
        var c = data[pos++];
        if (c < 255) return c;
        var count = Unsafe.ReadUnaligned<ushort>(ref data[pos]);
        pos += 2;
        return count;
    }

    /// <summary>Appends a row of increasing <paramref name="ids"/> with their counts (exact).</summary>
    public static void AppendCounts(ByteWriter to, ReadOnlySpan<int> ids, ReadOnlySpan<ushort> counts)
    {
        var last = 0;
        for (int p = 0; p < ids.Length; p++)
        {
            if (ids[p] < last) throw new ArgumentException("a packed row's ids must increase", nameof(ids));
            WriteGap(to, (uint)(ids[p] - last));
            WriteCount(to, counts[p]);
            last = ids[p];
        }
    }

    /// <summary>Appends a row of increasing <paramref name="ids"/> with their weights as codes below <paramref name="max"/>.</summary>
    public static void AppendWeights(ByteWriter to, ReadOnlySpan<int> ids, ReadOnlySpan<float> weights, float max)
    {
        var last = 0;
        for (int p = 0; p < ids.Length; p++)
        {
            if (ids[p] < last) throw new ArgumentException("a packed row's ids must increase", nameof(ids));
            WriteGap(to, (uint)(ids[p] - last));
            to.Add(Code(weights[p], max));
            last = ids[p];
        }
    }

    /// <summary>Reads <paramref name="n"/> entries of counts from <paramref name="pos"/> into the spans.</summary>
    public static void ReadCounts(byte[] data, int pos, int n, Span<int> ids, Span<ushort> counts)
    {
        var id = 0;
        for (int p = 0; p < n; p++)
        {
            id += (int)ReadGap(data, ref pos);
            ids[p] = id;
            counts[p] = ReadCount(data, ref pos);
        }
    }

    /// <summary>Reads <paramref name="n"/> entries of weights (as fractions of the row's largest) from <paramref name="pos"/>.</summary>
    public static void ReadWeights(byte[] data, int pos, int n, Span<int> ids, Span<float> fractions)
    {
        var id = 0;
        for (int p = 0; p < n; p++)
        {
            id += (int)ReadGap(data, ref pos);
            ids[p] = id;
            fractions[p] = Levels[data[pos++]];
        }
    }
}

/// <summary>A growing array of bytes, written a few at a time (List&lt;byte&gt; checks and versions every byte).</summary>
internal sealed class ByteWriter(int capacity = 1 << 12)
{
    private byte[] _bytes = new byte[Math.Max(16, capacity)];

    public int Count { get; private set; }

    /// <summary>The next <paramref name="n"/> bytes, to write into.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int n)
    {
        if (Count + n > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Count + n));
        var span = _bytes.AsSpan(Count, n);
        Count += n;
        return span;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(byte b) => Reserve(1)[0] = b;

    public byte[] ToArray() => _bytes.AsSpan(0, Count).ToArray();

    public void Clear() => Count = 0;

    public void CopyTo(Span<byte> to) => _bytes.AsSpan(0, Count).CopyTo(to);

    /// <summary>What was written so far (valid until the next write).</summary>
    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Count);
}
