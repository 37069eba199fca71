namespace Classifier.Core.Features;

/// <summary>
/// A read-only map from n-gram hash to feature index, built once. Open addressing with linear probing over one flat
/// array of (key, value) slots, so that a look-up touches one cache line, not one in a key array and another in a
/// value array: about five times faster than Dictionary for the millions of look-ups that featurizing does.
/// Keys are already well-mixed hashes, so their low bits index the table directly. A slot is 12 bytes, packed.
/// </summary>
/// <remarks>
/// In front of the table sits a one-bit-per-key filter of 8 bits per key or more (at least 8 KB), indexed by the key's
/// high bits: a key that was never added usually finds its bit clear there, in a bitmap small enough to stay in the
/// core's cache, and never touches the table (a few MB for 200,000 features, so a probe there is a trip to memory).
/// Most word bigrams of a document are not in a vocabulary, so this spares most of scoring's slowest look-ups.
/// An index made lazily keeps only its keys (8 bytes each) until the first look-up: training makes a vocabulary of
/// every n-gram (1.4 million on 20 Newsgroups, a 48 MB table) that is only weighed and pruned, never looked up.
/// </remarks>
internal sealed class HashIndex
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
    private struct Slot
    {
        public ulong Key;
        public int Value; // feature + 1; 0 = empty
    }

    private Slot[]? _slots;
    private ulong[]? _filter;
    private int _filterShift;
    private readonly ulong[] _keys;

    public int Count { get; }

    /// <param name="lazy">Build the table at the first look-up (the keys must then be known to be distinct).</param>
    public HashIndex(IReadOnlyList<ulong> keysInIndexOrder, bool lazy = false)
    {
        _keys = keysInIndexOrder as ulong[] ?? keysInIndexOrder.ToArray();
        Count = _keys.Length;
        if (!lazy) Build();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private Slot[] Build()
    {
        var capacity = 16;
        while (capacity < Count * 2) capacity <<= 1;
        var slots = new Slot[capacity];
        var mask = capacity - 1;
        // The filter's size in bits: a power of two, 8 bits a key or more (a false pass for about one absent key in nine).
        var bits = 1 << 16;
        while (bits < Count * 8L) bits <<= 1;
        var filter = new ulong[bits / 64];
        var shift = 64 - System.Numerics.BitOperations.Log2((uint)bits);
        for (int i = 0; i < Count; i++)
        {
            var k = _keys[i];
            var slot = (int)(k & (ulong)mask);
            while (slots[slot].Value != 0)
            {
                if (slots[slot].Key == k) throw new ArgumentException("duplicate key");
                slot = (slot + 1) & mask;
            }
            slots[slot] = new Slot { Key = k, Value = i + 1 };
            var bit = k >> shift;
            filter[bit >> 6] |= 1UL << (int)(bit & 63);
        }
        _filterShift = shift;
        System.Threading.Volatile.Write(ref _filter, filter);
        // Racing threads may each build one; they are equal, and whichever lands is used.
        System.Threading.Volatile.Write(ref _slots, slots);
        return slots;
    }

    public bool TryGetValue(ulong key, out int value)
    {
        var slots = System.Threading.Volatile.Read(ref _slots) ?? Build();
        // Written before the table (Build), so whoever sees the table sees the filter too.
        var bit = key >> _filterShift;
        if ((System.Threading.Volatile.Read(ref _filter)![bit >> 6] & (1UL << (int)(bit & 63))) == 0)
        {
            value = -1;
            return false;
        }
        var slot = (int)(key & (ulong)(slots.Length - 1));
        while (true)
        {
            ref var s = ref slots[slot];
            if (s.Value == 0) { value = -1; return false; }
            if (s.Key == key) { value = s.Value - 1; return true; }
            slot = (slot + 1) & (slots.Length - 1);
        }
    }

    /// <summary>Keys ordered by their index, the form the model file stores.</summary>
    public ulong[] KeysInIndexOrder() => (ulong[])_keys.Clone();
}
