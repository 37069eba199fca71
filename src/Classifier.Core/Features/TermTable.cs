namespace Classifier.Core.Features;

/// <summary>
/// The counting pass's map from n-gram hash to term id, ids given in order of insertion. Open addressing with linear
/// probing over one array of (key, id) slots of 12 bytes, as <see cref="HashIndex"/>, but growing: many threads may look up while
/// no one adds, and one thread adds between those phases (the pass alternates them chunk by chunk).
/// </summary>
internal sealed class TermTable
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
    private struct Slot
    {
        public ulong Key;
        public int Value; // term + 1; 0 = empty
    }

    private Slot[] _slots = new Slot[1 << 16];
    // The keys by id live only in the slots (each holds its key and id): a list of them beside the table cost another
    // 8 to 16 bytes a term (512 MB at the end of counting 1 GB of text), for a copy wanted only once counting is done.
    private int _count;

    public int Count => _count;

    public bool TryGet(ulong key, out int term)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var slot = (int)(key & (ulong)mask);
        while (true)
        {
            ref var s = ref slots[slot];
            if (s.Value == 0) { term = -1; return false; }
            if (s.Key == key) { term = s.Value - 1; return true; }
            slot = (slot + 1) & mask;
        }
    }

    /// <summary>
    /// Asks the processor for the cache line where a look-up of <paramref name="key"/> starts, a few look-ups ahead of
    /// it: the table outgrows the cache (hundreds of MB on 1 GB of text), and a document's word bigrams are mostly
    /// found at random places in it, each a miss that would otherwise be waited for in turn. A hint only: it never faults.
    /// </summary>
    public unsafe void Prefetch(ulong key)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        var slots = _slots;
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(System.Runtime.CompilerServices.Unsafe.AsPointer(ref slots[(int)(key & (ulong)(slots.Length - 1))]));
    }

    /// <summary>The id of <paramref name="key"/>, added with the next id if new; <paramref name="added"/> says which.</summary>
    public int GetOrAdd(ulong key, out bool added)
    {
        if ((_count + 1) * 2 > _slots.Length) Grow();
        var mask = _slots.Length - 1;
        var slot = (int)(key & (ulong)mask);
        while (true)
        {
            ref var s = ref _slots[slot];
            if (s.Value == 0)
            {
                s = new Slot { Key = key, Value = ++_count };
                added = true;
                return _count - 1;
            }
            if (s.Key == key)
            {
                added = false;
                return s.Value - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// <summary>
    /// Each term's hash, by id, read out of the slots; the table is empty afterwards. With <paramref name="collect"/>
    /// (a large corpus), the slots (24 to 48 bytes a term) are collected once the array is filled, so that the next
    /// stage does not start with both.
    /// </summary>
    public ulong[] TakeKeys(bool collect)
    {
        var keys = new ulong[_count];
        foreach (var s in _slots)
            if (s.Value != 0) keys[s.Value - 1] = s.Key;
        _slots = new Slot[1 << 4];
        _count = 0;
        if (collect) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        return keys;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var s in old)
        {
            if (s.Value == 0) continue;
            var slot = (int)(s.Key & (ulong)mask);
            while (_slots[slot].Value != 0) slot = (slot + 1) & mask;
            _slots[slot] = s;
        }
    }
}
