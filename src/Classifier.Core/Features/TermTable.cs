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
    private readonly List<ulong> _keys = new();

    public int Count => _keys.Count;

    /// <summary>Each term's hash, by id.</summary>
    public List<ulong> Keys => _keys;

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

    /// <summary>The id of <paramref name="key"/>, added with the next id if new; <paramref name="added"/> says which.</summary>
    public int GetOrAdd(ulong key, out bool added)
    {
        if ((_keys.Count + 1) * 2 > _slots.Length) Grow();
        var mask = _slots.Length - 1;
        var slot = (int)(key & (ulong)mask);
        while (true)
        {
            ref var s = ref _slots[slot];
            if (s.Value == 0)
            {
                _keys.Add(key);
                s = new Slot { Key = key, Value = _keys.Count };
                added = true;
                return _keys.Count - 1;
            }
            if (s.Key == key)
            {
                added = false;
                return s.Value - 1;
            }
            slot = (slot + 1) & mask;
        }
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
