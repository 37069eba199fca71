namespace Classifier.Core.Features;

/// <summary>
/// One document's term counts while it is counted: a small open-addressing table keyed by term id, sized to the
/// document, not to the vocabulary. It replaced a dense array of a count per term, where each of a document's distinct
/// terms cost a cache miss to count and another to read back and clear (on 1 GB of text the array is 80 MB a thread,
/// and a document has about 2,000 distinct terms); this table stays in the first levels of the cache.
/// </summary>
internal sealed class DocumentCounts
{
    private int[] _keys = new int[1 << 12]; // term + 1; 0 = empty
    private ushort[] _values = new ushort[1 << 12];
    private int[] _used = new int[1 << 11]; // the slots filled, in order
    private ushort[] _drainValues = new ushort[1 << 11];
    private readonly RadixSort _sort = new();
    private int _count;
    private int _shift = 32 - 12;

    /// <summary>Distinct terms counted since the last <see cref="Drain"/>.</summary>
    public int Count => _count;

    /// <summary>Adds <paramref name="count"/> to <paramref name="term"/>'s count, which saturates at 65,535.</summary>
    public void Add(int term, int count)
    {
        if (term < 0) throw new ArgumentOutOfRangeException(nameof(term), "term ids are not negative");
        var keys = _keys;
        var mask = keys.Length - 1;
        var key = term + 1;
        var slot = Home(key);
        while (true)
        {
            var k = keys[slot];
            if (k == key)
            {
                _values[slot] = (ushort)Math.Min(ushort.MaxValue, _values[slot] + count);
                return;
            }
            if (k == 0) break;
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        _values[slot] = (ushort)Math.Min(ushort.MaxValue, count);
        _used[_count++] = slot;
        if (_count * 2 >= keys.Length) Grow();
    }

    /// <summary>Writes the terms counted, in increasing id order, with their counts, and empties the table for the next document.</summary>
    public void Drain(List<int> terms, List<ushort> counts)
    {
        if (_count == 0) return;
        var ids = new Span<int>(_used, 0, _count);
        if (_drainValues.Length < _count) _drainValues = new ushort[_used.Length];
        var values = _drainValues.AsSpan(0, _count);
        for (int i = 0; i < ids.Length; i++)
        {
            var slot = ids[i];
            values[i] = _values[slot];
            ids[i] = _keys[slot] - 1;
            _keys[slot] = 0;
        }
        _sort.Sort(ids, values);
        for (int i = 0; i < ids.Length; i++)
        {
            terms.Add(ids[i]);
            counts.Add(values[i]);
        }
        _count = 0;
    }

    /// <summary>A key's first slot: the top bits of a multiplicative (Fibonacci) hash, as many as the table has slots.</summary>
    private int Home(int key) => (int)((uint)key * 0x9E3779B1u >> _shift);

    private void Grow()
    {
        var oldKeys = _keys;
        var oldValues = _values;
        _keys = new int[oldKeys.Length * 2];
        _values = new ushort[oldKeys.Length * 2];
        _shift--;
        Array.Resize(ref _used, _keys.Length / 2);
        var mask = _keys.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            var old = _used[i];
            var key = oldKeys[old];
            var slot = Home(key);
            while (_keys[slot] != 0) slot = (slot + 1) & mask;
            _keys[slot] = key;
            _values[slot] = oldValues[old];
            _used[i] = slot;
        }
    }
}
