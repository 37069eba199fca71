namespace Classifier.Core.Data.ParquetPages;

/// <summary>
/// A reader of Thrift's compact protocol, the encoding of Parquet's page headers: enough to read a struct's integer and
/// boolean fields and to skip any other field, nested or not. Every read checks the bounds: a damaged header gives an
/// <see cref="InvalidDataException"/>, never a read past the end.
/// </summary>
internal ref struct CompactThrift(ReadOnlySpan<byte> data)
{
    public const byte Stop = 0, True = 1, False = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11,
        Struct = 12;

    /// <summary>Deeper than this is not a page header but damage (and would exhaust the stack).</summary>
    private const int MaxDepth = 16;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _depth;

    /// <summary>Bytes read so far.</summary>
    public int Position { get; private set; }

    /// <summary>Told each field of a struct: its id and type. It must read or skip the field's value.</summary>
    public delegate void Field(ref CompactThrift reader, short id, byte type);

    /// <summary>Reads a struct's fields up to its stop byte, handing each to <paramref name="field"/>.</summary>
    public void ReadStruct(Field field)
    {
        Enter();
        short id = 0;
        while (true)
        {
            var header = ReadByte();
            var type = (byte)(header & 0x0F);
            if (type == Stop) break;
            var delta = header >> 4;
            id = delta != 0 ? (short)(id + delta) : (short)ZigZag(ReadVarint());
            field(ref this, id, type);
        }
        _depth--;
    }

    /// <summary>A 32-bit integer field's value (zigzag varint).</summary>
    public int ReadInt()
    {
        var v = ZigZag(ReadVarint());
        if (v is < int.MinValue or > int.MaxValue) throw new InvalidDataException("a page header's integer out of range");
        return (int)v;
    }

    /// <summary>Skips a value of the given type.</summary>
    public void Skip(byte type)
    {
        switch (type)
        {
            case True or False: break; // a struct field's boolean is in its type
            case Byte: Advance(1); break;
            case I16 or I32 or I64: ReadVarint(); break;
            case Double: Advance(8); break;
            case Binary: Advance(Length(ReadVarint())); break;
            case List or Set:
            {
                Enter();
                var header = ReadByte();
                long count = header >> 4;
                if (count == 15) count = (long)Math.Min(ReadVarint(), (ulong)int.MaxValue);
                var element = (byte)(header & 0x0F);
                for (long i = 0; i < count; i++)
                    if (element is True or False) Advance(1); // a list's booleans are a byte each
                    else Skip(element);
                _depth--;
                break;
            }
            case Map:
            {
                var count = ReadVarint();
                if (count == 0) break;
                Enter();
                var types = ReadByte();
                for (ulong i = 0; i < count; i++)
                {
                    SkipElement((byte)(types >> 4));
                    SkipElement((byte)(types & 0x0F));
                }
                _depth--;
                break;
            }
            case Struct: ReadStruct((ref CompactThrift t, short _, byte fieldType) => t.Skip(fieldType)); break;
            default: throw new InvalidDataException($"a page header with an unknown field type {type}");
        }
    }

    /// <summary>One level deeper into nested structs, lists, sets or maps: a damaged header must not exhaust the stack.</summary>
    private void Enter()
    {
        if (++_depth > MaxDepth) throw new InvalidDataException("a page header nested too deep");
    }

    private void SkipElement(byte type)
    {
        if (type is True or False) Advance(1);
        else Skip(type);
    }

    private byte ReadByte()
    {
        if (Position >= _data.Length) throw new InvalidDataException("a page header cut short");
        return _data[Position++];
    }

    private ulong ReadVarint()
    {
        ulong v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            v |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new InvalidDataException("a page header's integer longer than ten bytes");
    }

    private static long ZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

    private int Length(ulong n) => n <= (ulong)(_data.Length - Position) ? (int)n : throw new InvalidDataException("a page header cut short");

    private void Advance(int n)
    {
        if (n > _data.Length - Position) throw new InvalidDataException("a page header cut short");
        Position += n;
    }
}
