namespace Classifier.Core.Features;

/// <summary>
/// Sorts a document's term ids, with their counts beside them, by a least-significant-digit radix sort: 8 bits a
/// pass, as many passes as the largest id needs. Counting sorts each document's couple of thousand distinct ids once;
/// the library's introspective sort of the two spans took about a tenth of a training run's samples (its comparisons
/// branch at random on such keys), this sort under 2 %, as its passes do not branch on the data. Ids are distinct
/// here, so whether equal keys keep their order does not matter (below <see cref="Small"/> keys the library's sort,
/// which does not keep it, is used).
/// </summary>
internal sealed class RadixSort
{
    /// <summary>Below this many ids the library's sort is as fast, and needs no scratch.</summary>
    private const int Small = 64;

    private int[] _keys = new int[1 << 11];
    private ushort[] _values = new ushort[1 << 11];
    private readonly int[] _counts = new int[256];

    /// <summary>Sorts <paramref name="keys"/> (non-negative) ascending, moving <paramref name="values"/> with them.</summary>
    public void Sort(Span<int> keys, Span<ushort> values)
    {
        var n = keys.Length;
        if (values.Length != n) throw new ArgumentException("one value per key", nameof(values));
        var max = 0;
        foreach (var k in keys)
        {
            if (k < 0) throw new ArgumentOutOfRangeException(nameof(keys), "keys must not be negative");
            max |= k;
        }
        if (n < Small)
        {
            keys.Sort(values);
            return;
        }
        if (_keys.Length < n)
        {
            _keys = new int[Math.Max(n, _keys.Length * 2)];
            _values = new ushort[_keys.Length];
        }
        var scratchKeys = _keys.AsSpan(0, n);
        var scratchValues = _values.AsSpan(0, n);
        // Each pass reads one pair of spans and writes the other; inScratch says where the latest order is.
        var inScratch = false;
        for (int shift = 0; shift < 32 && (max >> shift) != 0; shift += 8)
        {
            var fromKeys = inScratch ? scratchKeys : keys;
            var fromValues = inScratch ? scratchValues : values;
            var toKeys = inScratch ? keys : scratchKeys;
            var toValues = inScratch ? values : scratchValues;
            var counts = _counts.AsSpan();
            counts.Clear();
            foreach (var k in fromKeys) counts[(k >> shift) & 0xFF]++;
            var sum = 0;
            for (int d = 0; d < 256; d++)
            {
                var c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++)
            {
                var k = fromKeys[i];
                var at = counts[(k >> shift) & 0xFF]++;
                toKeys[at] = k;
                toValues[at] = fromValues[i];
            }
            inScratch = !inScratch;
        }
        if (inScratch)
        {
            scratchKeys.CopyTo(keys);
            scratchValues.CopyTo(values);
        }
    }
}
