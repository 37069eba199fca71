namespace Classifier.Core.Features;

/// <summary>
/// Non-negative integers in as few bytes as they need: seven bits a byte, low bits first, the high bit set on every byte
/// but the last (the LEB128 coding of Protocol Buffers and DWARF). 0–127 take one byte, up to 16,383 two, up to
/// 2,097,151 three; an int takes at most five.
/// </summary>
internal static class VarInt
{
    /// <summary>Bytes that <paramref name="value"/> takes.</summary>
    public static int Size(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var size = 1;
        for (var v = (uint)value >> 7; v != 0; v >>= 7) size++;
        return size;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="at"/>; returns where the next value goes.</summary>
    public static int Write(byte[] buffer, int at, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var v = (uint)value;
        while (v >= 0x80)
        {
            buffer[at++] = (byte)(v | 0x80);
            v >>= 7;
        }
        buffer[at++] = (byte)v;
        return at;
    }

    /// <summary>Reads the value at <paramref name="at"/>; returns where the next one starts.</summary>
    public static int Read(ReadOnlySpan<byte> buffer, int at, out int value)
    {
        uint v = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 28) throw new FormatException("a coded integer longer than five bytes");
            var b = buffer[at++];
            // The fifth byte holds the top four bits of an int: anything above them would be lost, or make it negative.
            if (shift == 28 && b > 0x07) throw new FormatException("a coded integer above int.MaxValue");
            v |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        value = (int)v;
        return at;
    }
}
