namespace Classifier.Core.Training;

/// <summary>
/// The byte blocks of a packed store (<see cref="PackedRows"/>): in memory, or spilled to a <see cref="SpillFile"/>
/// when the store would not fit under --max-memory. A spilled block is read whole into a buffer of the reading
/// thread's own, one of two that serve that thread's next reads; the solver reads a group of blocks once for all its
/// threads (see <see cref="Hold(IReadOnlyList{int}, int)"/> and <see cref="DualCoordinateSvm"/>), so each block is read
/// at most once per pass, and of a group mostly shrunk away only the rows still visited (<see cref="HoldRanges"/>).
/// Reading copies from the system's file cache, which the kernel can give back under pressure, unlike the process's own memory.
/// </summary>
internal sealed class PackedBlocks : IDisposable
{
    private readonly byte[][]? _memory;
    private readonly SpillFile? _file;
    private readonly long[] _offset;
    private readonly int[] _length;
    /// <summary>Per block, how often it was rewritten: a thread's copy of an older version is read again.</summary>
    private readonly int[] _version;

    private PackedBlocks(byte[][]? memory, SpillFile? file, long[] offset, int[] length)
    {
        _memory = memory;
        _file = file;
        _offset = offset;
        _length = length;
        _version = new int[length.Length];
    }

    public static PackedBlocks InMemory(byte[][] blocks) =>
        new(blocks, null, new long[blocks.Length], blocks.Select(b => b.Length).ToArray());

    /// <summary>Blocks already appended to <paramref name="file"/>, at <paramref name="offset"/>s, of <paramref name="length"/>s bytes.</summary>
    public static PackedBlocks Spilled(SpillFile file, long[] offset, int[] length) => new(null, file, offset, length);

    public int Count => _length.Length;

    /// <summary>Whether the blocks live in a file.</summary>
    public bool IsSpilled => _file is not null;

    /// <summary>The bytes of all blocks.</summary>
    public long Bytes
    {
        get
        {
            long total = 0;
            foreach (var l in _length) total += l;
            return total;
        }
    }

    /// <summary>
    /// Block <paramref name="k"/>'s bytes (its first <see cref="Length"/> of them). Of a spilled block, the copy held for
    /// every thread while the solver holds it whole, else this thread's copy: valid until the thread has read
    /// <see cref="Cached.Slots"/> other blocks, and writable (see <see cref="Replace(int, byte[], int)"/>).
    /// </summary>
    public byte[] Get(int k)
    {
        if (_memory is not null) return _memory[k];
        if (_heldWhole && Held(k) is { } held) return held;
        var c = _cache.Value!;
        for (int i = 0; i < Cached.Slots; i++)
            if (c.Block[i] == k && c.Version[i] == _version[k]) return c.Buffer[i];
        var slot = c.Next;
        c.Next = (slot + 1) % Cached.Slots;
        // An eighth more than the block, not twice: a thread holds Slots of these.
        if (c.Buffer[slot].Length < _length[k]) c.Buffer[slot] = new byte[_length[k] + _length[k] / 8];
        // Marked empty while it is filled: a failed read leaves no slot that claims the block.
        c.Block[slot] = -1;
        _file!.Read(_offset[k], c.Buffer[slot].AsSpan(0, _length[k]));
        (c.Block[slot], c.Version[slot]) = (k, _version[k]);
        return c.Buffer[slot];
    }

    /// <summary>
    /// The bytes of a row that lies at <paramref name="start"/> in block <paramref name="k"/>: the array that holds them,
    /// and where they start in it (<paramref name="offset"/>). In memory, or when the block is held
    /// (<see cref="Hold(IReadOnlyList{int}, int)"/>, <see cref="HoldRanges"/>), the block's bytes at their place; else
    /// this thread's copy of the whole block. A block held in part serves only the rows its ranges
    /// cover: the solver holds the rows it is about to visit, and visits no other.
    /// </summary>
    public byte[] GetRow(int k, int start, out int offset)
    {
        offset = start;
        if (_memory is not null) return _memory[k];
        if (Held(k) is { } held) return held;
        return Get(k);
    }

    /// <summary>
    /// Reads blocks <paramref name="ks"/> of a spilled store once, for every thread to use until the next call (null:
    /// none): the solver holds a group's blocks while all its threads visit the group, so that the group is read once
    /// a pass, not once a thread. Not to be called while a thread reads blocks; a store in memory ignores it.
    /// </summary>
    /// <param name="threads">How many threads read at once: a read is a copy from the system's file cache, work for a core.</param>
    public void Hold(IReadOnlyList<int>? ks, int threads = 1) =>
        Hold(ks?.Select(k => new Range(k, 0, _length[k])).ToList() ?? [], whole: true, threads);

    /// <summary>
    /// As <see cref="Hold(IReadOnlyList{int}, int)"/>, but only the byte <paramref name="ranges"/> of their blocks are
    /// read, each once: the rows of a group that some problem of the solver still visits. Each block is held at its place
    /// in a buffer of its whole length, so that a row's bytes are where <see cref="GetRow"/> looks; the bytes between
    /// the ranges are not read, and a whole-block <see cref="Get"/> reads the block again rather than trust them.
    /// </summary>
    /// <param name="ranges">Increasing by block, then start; within a block, not overlapping.</param>
    public void HoldRanges(IReadOnlyList<Range> ranges, int threads = 1) => Hold(ranges, whole: false, threads);

    /// <summary>Bytes <see cref="Start"/> to <see cref="Start"/> + <see cref="Length"/> of block <see cref="Block"/>.</summary>
    public readonly record struct Range(int Block, int Start, int Length);

    private void Hold(IReadOnlyList<Range> ranges, bool whole, int threads)
    {
        if (_file is null) return;
        _heldSlot ??= Enumerable.Repeat(-1, Count).ToArray();
        foreach (var k in _heldBlocks) _heldSlot[k] = -1;
        _heldBlocks = ranges.Select(r => r.Block).Distinct().ToArray();
        _heldWhole = whole;
        for (int i = 0; i < _heldBlocks.Length; i++)
        {
            var k = _heldBlocks[i];
            if (_held.Count <= i) _held.Add([]);
            if (_held[i].Length < _length[k]) _held[i] = new byte[_length[k] + _length[k] / 8];
        }
        // Marked only once read: a failed read leaves no block that claims to be held.
        var slotOf = new Dictionary<int, int>(_heldBlocks.Length);
        for (int i = 0; i < _heldBlocks.Length; i++) slotOf[_heldBlocks[i]] = i;
        Parallel.For(0, ranges.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, j =>
        {
            var r = ranges[j];
            _file.Read(_offset[r.Block] + r.Start, _held[slotOf[r.Block]].AsSpan(r.Start, r.Length));
        });
        for (int i = 0; i < _heldBlocks.Length; i++) _heldSlot[_heldBlocks[i]] = i;
    }

    /// <summary>Lets go of what <see cref="Hold"/> read, buffers included (they are kept from one group to the next).</summary>
    public void ReleaseHeld()
    {
        Hold([], whole: true, threads: 1);
        _held.Clear();
    }

    private int[]? _heldSlot;
    private int[] _heldBlocks = [];
    /// <summary>Whether the held blocks were read whole, or only the ranges of <see cref="HoldRanges"/>.</summary>
    private bool _heldWhole;
    private readonly List<byte[]> _held = [];

    private byte[]? Held(int k) => _heldSlot is { } slot && slot[k] >= 0 ? _held[slot[k]] : null;

    /// <summary>A rewritten block's held copy is stale: it is read again from the file.</summary>
    private void Unhold(int k)
    {
        if (_heldSlot is { } slot) slot[k] = -1;
    }

    /// <summary>Block <paramref name="k"/>'s length in bytes.</summary>
    public int Length(int k) => _length[k];

    /// <summary>
    /// Puts the first <paramref name="length"/> bytes of <paramref name="data"/> in block <paramref name="k"/>'s place. In memory, <paramref name="data"/> itself becomes the block, copied to its
    /// size when it would carry more than a quarter unused. Blocks are rewritten by one thread each, and no other thread
    /// reads a block while it is rewritten.
    /// </summary>
    public void Replace(int k, byte[] data, int length)
    {
        if (_memory is not null)
        {
            _memory[k] = length < data.Length / 4 * 3 ? data.AsSpan(0, length).ToArray() : data;
            _length[k] = length;
            return;
        }
        Overwrite(k, data.AsSpan(0, length));
        Unhold(k);
        var version = Interlocked.Increment(ref _version[k]);
        // This thread's copy is the new content when it is what was written.
        if (_cache.IsValueCreated && _cache.Value is { } c)
            for (int i = 0; i < Cached.Slots; i++)
                if (c.Block[i] == k && ReferenceEquals(c.Buffer[i], data)) c.Version[i] = version;
    }

    /// <summary>As <see cref="Replace(int, byte[], int)"/>, copying <paramref name="data"/>.</summary>
    public void Replace(int k, ReadOnlySpan<byte> data)
    {
        if (_memory is not null)
        {
            _memory[k] = data.ToArray();
            _length[k] = data.Length;
            return;
        }
        Overwrite(k, data);
        Unhold(k);
        Interlocked.Increment(ref _version[k]);
    }

    /// <summary>
    /// Writes a spilled block's new bytes over its old ones, or at the file's end when they are longer: a block of
    /// weights is nearly always shorter than its counts (rare terms drop out, values take one byte), but a row's words
    /// and characters, interleaved among the terms, are laid end to end among the features, and that can lengthen a gap.
    /// </summary>
    private void Overwrite(int k, ReadOnlySpan<byte> data)
    {
        if (data.Length <= _length[k]) _file!.Write(_offset[k], data);
        else _offset[k] = _file!.Append(data);
        _length[k] = data.Length;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _cache.Dispose();
    }

    /// <summary>
    /// Each thread's copies of this store's blocks: owned by the store, so that they go with it (a thread-static cache
    /// kept a pool thread's copies, up to 16 blocks, alive after training).
    /// </summary>
    private readonly ThreadLocal<Cached> _cache = new(() => new Cached());

    /// <summary>A thread's copies of the spilled blocks it read last, replaced oldest first.</summary>
    private sealed class Cached
    {
        /// <summary>
        /// Two: a thread reads rows in order outside the solver (norms, weighing, pruning, margins), the block it rewrites
        /// and the next; the solver shares a group's blocks instead (see <see cref="Hold"/>). Sixteen a thread, as the
        /// first version kept, were up to 110 MB a thread at 1 GB.
        /// </summary>
        public const int Slots = 2;

        /// <summary>Each slot's block (-1: none).</summary>
        public readonly int[] Block = [-1, -1];
        public readonly int[] Version = new int[Slots];
        public readonly byte[][] Buffer = Enumerable.Range(0, Slots).Select(_ => Array.Empty<byte>()).ToArray();
        public int Next;
    }
}
