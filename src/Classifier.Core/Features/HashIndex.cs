using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Classifier.Core.Features;

/// <summary>
/// A read-only map from n-gram hash to feature index, built once. The keys are grouped by their low bits into buckets of
/// about one key each, laid out one after another in a flat array of (key, value) entries, with each bucket's start in
/// a second array (a counting sort, as a compressed sparse row): a look-up reads the bucket's start and end, which sit
/// side by side, and then one or two entries. Keys are already well-mixed hashes, so their low bits are the bucket.
/// </summary>
/// <remarks>
/// Built rather than probed: a model load builds the index for 200,000 features in each new process (`predict`), and an
/// open-addressing table at half load took 6.3 MB, each page touched in random order (about 17 ms of page faults on
/// this machine); these arrays take 3.4 MB, written in two passes. An entry is 12 bytes, packed.
/// In front sits a one-bit-per-key filter of 8 bits per key or more (at least 8 KB), indexed by the key's high bits:
/// a key that was never added usually finds its bit clear there, in a bitmap small enough to stay in the core's cache,
/// and never touches the entries. Most word bigrams of a document are not in a vocabulary, so this spares most of
/// scoring's slowest look-ups.
/// An index made lazily keeps only its keys (8 bytes each) until the first look-up: training makes a vocabulary of
/// every n-gram (1.4 million on 20 Newsgroups) that is only weighed and pruned, never looked up.
/// </remarks>
internal sealed class HashIndex
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
    private struct Entry
    {
        public ulong Key;
        public int Value;
    }

    private sealed class Table(int[] starts, Entry[] entries, ulong[] filter, int filterShift)
    {
        public readonly int[] Starts = starts;
        public readonly Entry[] Entries = entries;
        public readonly ulong[] Filter = filter;
        public readonly int FilterShift = filterShift;
    }

    private Table? _table;
    private readonly ulong[] _keys;

    public int Count { get; }

    /// <param name="lazy">Build the table at the first look-up (the keys must then be known to be distinct).</param>
    public HashIndex(IReadOnlyList<ulong> keysInIndexOrder, bool lazy = false)
    {
        _keys = keysInIndexOrder as ulong[] ?? keysInIndexOrder.ToArray();
        Count = _keys.Length;
        if (!lazy) Build();
    }

    private Table Build()
    {
        var buckets = 16;
        while (buckets < Count) buckets <<= 1;
        var mask = (ulong)(buckets - 1);
        // A counting sort: starts[b] counts bucket b's keys, then (summed) is where the bucket ends; filling each bucket
        // from its end down leaves starts[b] where it begins, and starts[buckets] is the count.
        var starts = new int[buckets + 1];
        foreach (var k in _keys) starts[(int)(k & mask)]++;
        for (int b = 1; b <= buckets; b++) starts[b] += starts[b - 1];
        var entries = new Entry[Count];
        // The filter's size in bits: a power of two, 8 bits a key or more (a false pass for about one absent key in nine).
        var bits = 1 << 16;
        while (bits < Count * 8L) bits <<= 1;
        var filter = new ulong[bits / 64];
        var shift = 64 - System.Numerics.BitOperations.Log2((uint)bits);
        for (int i = Count - 1; i >= 0; i--)
        {
            var k = _keys[i];
            entries[--starts[(int)(k & mask)]] = new Entry { Key = k, Value = i };
            var bit = k >> shift;
            filter[bit >> 6] |= 1UL << (int)(bit & 63);
        }
        for (int b = 0; b < buckets; b++)
            for (int i = starts[b]; i < starts[b + 1] - 1; i++)
                for (int j = i + 1; j < starts[b + 1]; j++)
                    if (entries[i].Key == entries[j].Key) throw new ArgumentException("duplicate key");
        var table = new Table(starts, entries, filter, shift);
        // Racing threads may each build one; they are equal, and whichever lands is used.
        System.Threading.Volatile.Write(ref _table, table);
        return table;
    }

    public bool TryGetValue(ulong key, out int value)
    {
        var t = System.Threading.Volatile.Read(ref _table) ?? Build();
        var bit = key >> t.FilterShift;
        if ((t.Filter[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
        {
            value = -1;
            return false;
        }
        value = InBucket(t, key);
        return value >= 0;
    }

    /// <summary>The value of <paramref name="key"/> from its bucket's entries, or -1 (the filter already passed it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int InBucket(Table t, ulong key)
    {
        var b = (int)(key & (ulong)(t.Starts.Length - 2));
        var entries = t.Entries;
        for (int i = t.Starts[b], end = t.Starts[b + 1]; i < end; i++)
            if (entries[i].Key == key) return entries[i].Value;
        return -1;
    }

    /// <summary>
    /// <see cref="TryGetValue"/> for many keys at once: <paramref name="values"/>[i] is the value of
    /// <paramref name="keys"/>[i], or -1. A document's word bigrams are looked up this way. Each look-up is two or three
    /// reads at random places in a few MB (the filter, the bucket's start, the entry), so one at a time they wait on
    /// memory one after another; here each read is asked for several keys ahead, and the waits overlap. First every key
    /// goes through the filter, and those that pass (about half of a document's bigrams) are then found in the table.
    /// </summary>
    /// <param name="passed">Scratch room for as many indices as there are keys.</param>
    public unsafe void Lookup(ReadOnlySpan<ulong> keys, Span<int> values, Span<int> passed)
    {
        if (values.Length < keys.Length || passed.Length < keys.Length) throw new ArgumentException("room for every key");
        var t = System.Threading.Volatile.Read(ref _table) ?? Build();
        var (filter, shift, starts, entries) = (t.Filter, t.FilterShift, t.Starts, t.Entries);
        var mask = (ulong)(starts.Length - 2);
        const int FilterAhead = 16, StartAhead = 8, EntryAhead = 4;
        int n = keys.Length, c = 0;
        for (int i = 0; i < n; i++)
        {
            if (i + FilterAhead < n && Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref filter[(int)(keys[i + FilterAhead] >> shift >> 6)]));
            var bit = keys[i] >> shift;
            values[i] = -1;
            // Without a branch: whether a bigram is in the vocabulary is a coin toss, and a wrong guess costs more than this.
            passed[c] = i;
            c += (int)((filter[(int)(bit >> 6)] >> (int)(bit & 63)) & 1);
        }
        for (int j = 0; j < c; j++)
        {
            if (Sse.IsSupported)
            {
                if (j + StartAhead < c) Sse.Prefetch0(Unsafe.AsPointer(ref starts[(int)(keys[passed[j + StartAhead]] & mask)]));
                if (j + EntryAhead < c)
                {
                    var ahead = starts[(int)(keys[passed[j + EntryAhead]] & mask)];
                    if (ahead < entries.Length) Sse.Prefetch0(Unsafe.AsPointer(ref entries[ahead]));
                }
            }
            var i = passed[j];
            values[i] = InBucket(t, keys[i]);
        }
    }

    /// <summary>Keys ordered by their index, the form the model file stores.</summary>
    public ulong[] KeysInIndexOrder() => (ulong[])_keys.Clone();
}
