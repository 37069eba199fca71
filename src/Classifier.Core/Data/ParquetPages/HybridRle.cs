namespace Classifier.Core.Data.ParquetPages;

/// <summary>
/// Parquet's RLE / bit-packing hybrid, the encoding of definition levels and of dictionary indices: runs, each either one
/// value repeated (header: count × 2, then the value in whole bytes) or groups of eight values packed in
/// <c>bitWidth</c> bits each, least significant bit first (header: groups × 2 + 1).
/// </summary>
internal static class HybridRle
{
    /// <summary>Decodes <paramref name="into"/>.Length values of <paramref name="bitWidth"/> bits; returns the bytes read.</summary>
    /// <exception cref="InvalidDataException">The data ends first, or a width is out of range.</exception>
    public static int Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> into)
    {
        if (bitWidth is < 0 or > 32) throw new InvalidDataException($"a bit width of {bitWidth}");
        var pos = 0;
        var n = 0;
        var valueBytes = (bitWidth + 7) / 8;
        while (n < into.Length)
        {
            var header = ReadVarint(data, ref pos);
            if ((header & 1) == 0)
            {
                var count = header >> 1;
                if (valueBytes > data.Length - pos) throw new InvalidDataException("a run cut short");
                var value = 0;
                for (int b = 0; b < valueBytes; b++) value |= data[pos + b] << (8 * b);
                pos += valueBytes;
                var take = (int)Math.Min(count, (ulong)(into.Length - n));
                into.Slice(n, take).Fill(value);
                n += take;
            }
            else
            {
                var groups = header >> 1;
                // Each group of eight values takes bitWidth bytes; compared before multiplying, so that no product wraps.
                if (bitWidth > 0 && groups > (ulong)(data.Length - pos) / (ulong)bitWidth) throw new InvalidDataException("packed values cut short");
                var bytes = (int)(groups * (ulong)bitWidth);
                // Packed groups may run past the last value wanted (the page's padding): only what is there is read.
                var wanted = (ulong)(into.Length - n);
                var values = groups >= (wanted + 7) / 8 ? (int)wanted : (int)(groups * 8);
                Unpack(data.Slice(pos, bytes), bitWidth, into.Slice(n, values));
                pos += bytes;
                n += values;
            }
        }
        return pos;
    }

    private static void Unpack(ReadOnlySpan<byte> packed, int bitWidth, Span<int> into)
    {
        if (bitWidth == 0)
        {
            into.Clear();
            return;
        }
        var mask = bitWidth == 32 ? ulong.MaxValue >> 32 : (1UL << bitWidth) - 1;
        long bit = 0;
        for (int i = 0; i < into.Length; i++, bit += bitWidth)
        {
            // Gather the (at most five) bytes that hold this value.
            var first = (int)(bit >> 3);
            ulong word = 0;
            for (int b = 0; b < 5 && first + b < packed.Length; b++) word |= (ulong)packed[first + b] << (8 * b);
            into[i] = (int)((word >> (int)(bit & 7)) & mask);
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw new InvalidDataException("a run header cut short");
            var b = data[pos++];
            v |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new InvalidDataException("a run header longer than ten bytes");
    }
}
