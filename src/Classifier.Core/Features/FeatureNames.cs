using System.Collections;
using System.Text;

namespace Classifier.Core.Features;

/// <summary>
/// The readable names of a vocabulary's features ("new york", "[ ne]"), held as one block of UTF-8 with an offset
/// per feature: no object per feature, and the model file stores the block as it is. A name becomes a string only
/// when asked for (explanations, reports). Null stands for a feature without a name.
/// </summary>
public sealed class FeatureNames : IReadOnlyList<string?>
{
    private readonly byte[] _utf8;
    private readonly int[] _start; // Count + 1 offsets; an empty name is null

    private FeatureNames(byte[] utf8, int[] start)
    {
        _utf8 = utf8;
        _start = start;
    }

    public int Count => _start.Length - 1;

    public string? this[int index]
    {
        get
        {
            var bytes = Utf8(index);
            return bytes.IsEmpty ? null : Encoding.UTF8.GetString(bytes);
        }
    }

    public ReadOnlySpan<byte> Utf8(int index) => new(_utf8, _start[index], _start[index + 1] - _start[index]);

    /// <summary><paramref name="count"/> features without names (a vocabulary named later): 4 bytes a feature, no array of nulls.</summary>
    public static FeatureNames None(int count) => new(Array.Empty<byte>(), new int[count + 1]);

    public static FeatureNames From(IReadOnlyList<string?> names)
    {
        var start = new int[names.Count + 1];
        var total = 0L;
        for (int i = 0; i < names.Count; i++)
        {
            total += names[i] is { } n ? Encoding.UTF8.GetByteCount(n) : 0;
            if (total > int.MaxValue) throw new InvalidOperationException("feature names exceed 2 GB");
            start[i + 1] = (int)total;
        }
        var utf8 = new byte[total];
        for (int i = 0; i < names.Count; i++)
            if (names[i] is { } n) Encoding.UTF8.GetBytes(n, utf8.AsSpan(start[i]));
        return new FeatureNames(utf8, start);
    }

    /// <summary>The names of the features <paramref name="keep"/>, in that order.</summary>
    public FeatureNames Subset(IReadOnlyList<int> keep)
    {
        var start = new int[keep.Count + 1];
        for (int i = 0; i < keep.Count; i++) start[i + 1] = start[i] + _start[keep[i] + 1] - _start[keep[i]];
        var utf8 = new byte[start[^1]];
        for (int i = 0; i < keep.Count; i++) Utf8(keep[i]).CopyTo(utf8.AsSpan(start[i]));
        return new FeatureNames(utf8, start);
    }

    /// <summary>The length of each name (7-bit encoded), then the block.</summary>
    public void Write(BinaryWriter w)
    {
        for (int i = 0; i < Count; i++) w.Write7BitEncodedInt(_start[i + 1] - _start[i]);
        w.Write(_utf8.Length);
        w.Write(_utf8);
    }

    public static FeatureNames Read(BinaryReader r, int count)
    {
        var start = new int[count + 1];
        for (int i = 0; i < count; i++)
        {
            var length = r.Read7BitEncodedInt();
            if (length < 0 || (long)start[i] + length > int.MaxValue) throw new InvalidDataException("feature name lengths are inconsistent");
            start[i + 1] = start[i] + length;
        }
        var total = r.ReadInt32();
        if (total != start[count] || total > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException("feature name block is inconsistent");
        var utf8 = new byte[total];
        r.BaseStream.ReadExactly(utf8);
        return new FeatureNames(utf8, start);
    }

    public IEnumerator<string?> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
