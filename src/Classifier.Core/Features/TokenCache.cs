using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Classifier.Core.Features;

/// <summary>
/// One thread's table of the tokens it has seen: for each, its word unigram feature and its character n-gram features,
/// so that a token costs one look-up instead of one per n-gram (fastText precomputes subword ids per word the same
/// way). Keys are the tokens' 64-bit hashes; a slot holds everything but the id list, so a hit reads one cache line
/// and one run of ids. The table fills as documents stream by and starts again when it is full, so its memory stays
/// bounded (about 10 MB, or 22 MB for a batch scorer's worker) however many distinct tokens a run meets.
/// </summary>
internal sealed class TokenCache
{
    /// <summary>Tokens held before the table starts again: enough for the working vocabulary of a news archive.</summary>
    public const int MaxTokens = 1 << 17;
    /// <summary>
    /// Character n-gram ids held in all by a batch scorer's cache, 16 MB. At 1 M ids (4 MB) the 20 Newsgroups test
    /// set's tokens (about 15 ids each) filled it and it started again every few thousand documents; at 4 M,
    /// featurizing took about 8 % less time. A scorer has one cache a worker for the whole run, so this is paid once.
    /// </summary>
    public const int LargeMaxIds = 1 << 22;

    /// <summary>
    /// Ids held by every other cache, 4 MB: training and evaluation make a workspace per parallel task, each with its
    /// own cache, and at 16 MB each they lifted 20 Newsgroups training's peak by 18 MB for no measurable gain.
    /// </summary>
    public const int DefaultMaxIds = 1 << 20;

    private readonly int _maxIds;

    public TokenCache(int maxIds = DefaultMaxIds) => _maxIds = maxIds;

    /// <summary>Tokens longer than this are not cached (their ids are computed each time): a run of thousands of Han characters is one token.</summary>
    public const int MaxTokenLength = 1024;

    private struct Slot
    {
        public ulong Key;
        public int Start;
        public int Unigram;
        public int Length;
        public bool Used;
    }

    // Starts small and doubles, so that a thread that featurizes one document pays for a small table.
    private Slot[] _slots = new Slot[1 << 10];
    private int[] _ids = new int[1 << 12];
    private int _count;
    private int _used;
    private int Mask => _slots.Length - 1;

    public int Count => _count;

    /// <summary>The token's unigram feature (-1: none) and the run of its character n-gram ids in <see cref="Ids"/>.</summary>
    public bool TryGet(ulong key, out int unigram, out int start, out int length)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var slot = (int)(key & (ulong)mask);
        while (true)
        {
            ref var s = ref slots[slot];
            if (!s.Used) { unigram = start = length = 0; return false; }
            if (s.Key == key) { unigram = s.Unigram; start = s.Start; length = s.Length; return true; }
            slot = (slot + 1) & mask;
        }
    }

    public int[] Ids => _ids;

    /// <summary>
    /// How many tokens ahead a loop over a document's tokens asks for a token's slot (<see cref="PrefetchSlot"/>) and for
    /// its ids (<see cref="PrefetchIds"/>): the slot's line has come by the time its ids are asked for. 16 and 8 were
    /// slower (docs/benchmarks.md, "Scoring at 3.7× fastText").
    /// </summary>
    public const int SlotAhead = 8, IdsAhead = 4;

    /// <summary>Asks for the cache line of <paramref name="key"/>'s home slot, without waiting for it.</summary>
    public unsafe void PrefetchSlot(ulong key)
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref _slots[(int)(key & (ulong)(_slots.Length - 1))]));
    }

    /// <summary>
    /// Asks for the first and last cache lines of <paramref name="key"/>'s ids (most tokens' ids fit in one or two) if
    /// its home slot holds it: best a few tokens after <see cref="PrefetchSlot"/>, when that line has come.
    /// </summary>
    public unsafe void PrefetchIds(ulong key)
    {
        ref var s = ref _slots[(int)(key & (ulong)(_slots.Length - 1))];
        if (!Sse.IsSupported || s.Key != key || !s.Used || s.Length == 0) return;
        Sse.Prefetch0(Unsafe.AsPointer(ref _ids[s.Start]));
        Sse.Prefetch0(Unsafe.AsPointer(ref _ids[s.Start + s.Length - 1]));
    }

    /// <summary>Adds a token; returns where its ids start in <see cref="Ids"/> (which may be a new array).</summary>
    public int Add(ulong key, int unigram, ReadOnlySpan<int> charIds)
    {
        if (charIds.Length > _maxIds) throw new ArgumentException("too many ids for one token", nameof(charIds));
        if (_count == MaxTokens || _used + charIds.Length > _maxIds) Reset();
        if ((_count + 1) * 2 > _slots.Length) Grow();
        var start = _used;
        var end = start + charIds.Length;
        if (end > _ids.Length) Array.Resize(ref _ids, Math.Min(_maxIds, Math.Max(end, _ids.Length * 2)));
        charIds.CopyTo(_ids.AsSpan(start));
        Insert(new Slot { Key = key, Start = start, Unigram = unigram, Length = charIds.Length, Used = true });
        _used = end;
        _count++;
        return start;
    }

    private void Insert(Slot entry)
    {
        var mask = Mask;
        var slot = (int)(entry.Key & (ulong)mask);
        while (_slots[slot].Used) slot = (slot + 1) & mask;
        _slots[slot] = entry;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        foreach (var s in old) if (s.Used) Insert(s);
    }

    private void Reset()
    {
        Array.Clear(_slots);
        _count = 0;
        _used = 0;
    }
}
