using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>
/// The packed layout of the store (<see cref="PackedRows"/>): a block is one byte array, and a row's start is a byte
/// offset in it. Chosen when the training text is large (<see cref="PackAboveChars"/>): there the store is most of the
/// peak (five sixths at 1 GB), and its entries shrink from 6 bytes to about 3. Smaller corpora keep the plain layout,
/// whose inner loop is a little faster and whose values are finer.
/// </summary>
internal sealed partial class SparseMatrix
{
    /// <summary>Training text (in characters) above which counting packs the store: about 0.5 GB of plain store.</summary>
    public const long PackAboveChars = 50_000_000;

    private PackedBlocks? _packed;
    /// <summary>Whether the packed values are counts (a store of counts) or one-byte weights (a store of vectors).</summary>
    private bool _packedCounts;

    /// <summary>Whether rows are packed (see <see cref="PackedRows"/>).</summary>
    public bool IsPacked => _packed is not null;

    private SparseMatrix(PackedBlocks packed, bool counts, float[] scale, int[] block, int[] start, int[] length, int columns)
        : this([], [], scale, block, start, length, columns)
    {
        _packed = packed;
        _packedCounts = counts;
    }

    /// <summary>A packed store of counts, from blocks of consecutive rows: their bytes, and each block's rows' entry counts and byte lengths.</summary>
    internal static SparseMatrix OfPackedCounts(PackedBlocks data, IReadOnlyList<(int[] Lengths, int[] ByteLengths)> blocks, int rows, int columns)
    {
        var (block, start, length, scale) = CountsLayout(blocks, rows);
        return new SparseMatrix(data, counts: true, scale, block, start, length, columns);
    }

    /// <summary>Whether the packed rows live in a temporary file (see <see cref="PackedBlocks"/>).</summary>
    public bool IsSpilled => _packed?.IsSpilled == true;

    /// <summary>Reads a spilled store's blocks <paramref name="blocks"/> once for every thread (see <see cref="PackedBlocks.Hold(IReadOnlyList{int}, int)"/>).</summary>
    public void HoldBlocks(IReadOnlyList<int>? blocks, int threads = 1) => _packed?.Hold(blocks, threads);

    /// <summary>
    /// Reads the bytes of a spilled store's <paramref name="rows"/> once for every thread (see <see cref="PackedBlocks.HoldRanges"/>):
    /// rows of a block that lie within <see cref="HoldGapBytes"/> of each other are read together, gap included.
    /// </summary>
    /// <param name="rows">In increasing order (a row out of order within a block is refused).</param>
    public void HoldRows(IReadOnlyList<int> rows, int threads = 1)
    {
        if (_packed is not { IsSpilled: true }) return;
        var ranges = new List<PackedBlocks.Range>();
        foreach (var row in rows)
        {
            var k = _block[row];
            var start = _start[row];
            var end = row + 1 < _block.Length && _block[row + 1] == k ? _start[row + 1] : _packed.Length(k);
            if (ranges.Count > 0 && ranges[^1] is var last && last.Block == k && start - (last.Start + last.Length) <= HoldGapBytes)
            {
                if (start < last.Start) throw new ArgumentException("rows in increasing order", nameof(rows));
                ranges[^1] = last with { Length = Math.Max(end, last.Start + last.Length) - last.Start };
            }
            else
                ranges.Add(new PackedBlocks.Range(k, start, end - start));
        }
        _packed.HoldRanges(ranges, threads);
    }

    /// <summary>
    /// Rows of a block this close are read in one piece: a read of its own costs a system call, about what copying a few
    /// kilobytes from the file cache does.
    /// </summary>
    private const int HoldGapBytes = 4096;

    /// <summary>Lets go of the blocks <see cref="HoldBlocks"/> read, and of their buffers.</summary>
    public void ReleaseHeldBlocks() => _packed?.ReleaseHeld();

    /// <summary>The block that holds <paramref name="row"/>: the solver visits a packed store's rows a block at a time.</summary>
    public int BlockOf(int row) => _block[row];

    /// <summary>Closes a spilled store's temporary file (its space goes back to the system); a store in memory has nothing to close.</summary>
    public void Dispose() => _packed?.Dispose();

    /// <summary>Packs one block of rows of counts (their ids increasing): the bytes, and each row's byte length.</summary>
    internal static (byte[] Data, int[] ByteLengths) PackCounts(ReadOnlySpan<int> ids, ReadOnlySpan<ushort> counts, ReadOnlySpan<int> lengths)
    {
        var bytes = new ByteWriter(ids.Length * 3);
        var byteLengths = new int[lengths.Length];
        var at = 0;
        for (int j = 0; j < lengths.Length; j++)
        {
            var before = bytes.Count;
            PackedRows.AppendCounts(bytes, ids.Slice(at, lengths[j]), counts.Slice(at, lengths[j]));
            byteLengths[j] = bytes.Count - before;
            at += lengths[j];
        }
        return (bytes.ToArray(), byteLengths);
    }

    /// <summary>Bytes the rows take (not counting the per-row bookkeeping of 16 bytes).</summary>
    public long Bytes
    {
        get
        {
            if (_packed is null) return Entries * 6;
            return _packed.Bytes;
        }
    }

    /// <summary>One room per thread for the packed row being read: its ids, and its counts (in Quantized) or weights (in Values).</summary>
    [ThreadStatic] private static RowScratch? _unpacked;

    /// <summary>A packed row's ids (and counts or weights) in this thread's room, valid until its next read.</summary>
    private RowScratch Unpack(int row)
    {
        var u = _unpacked ??= new RowScratch();
        var n = _length[row];
        u.Fit(n);
        var data = RowBytes(row, out var pos);
        if (_packedCounts) PackedRows.ReadCounts(data, pos, n, u.Ids, u.Quantized);
        else
        {
            PackedRows.ReadWeights(data, pos, n, u.Ids, u.Values);
            for (int i = 0; i < n; i++) u.Values[i] *= _scale[row];
        }
        return u;
    }

    /// <summary>The bytes of a packed row: the array that holds them, and where they start in it (see <see cref="PackedBlocks.GetRow"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte[] RowBytes(int row, out int pos)
    {
        var k = _block[row];
        return _packed!.GetRow(k, _start[row], out pos);
    }

    private double PackedDot(int row, float[] w)
    {
        ref var d = ref MemoryMarshal.GetArrayDataReference(RowBytes(row, out var pos));
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref var levels = ref MemoryMarshal.GetArrayDataReference(PackedRows.Levels);
        double s0 = 0, s1 = 0;
        var id = 0;
        var n = _length[row];
        var p = 0;
        for (; p + 2 <= n; p += 2)
        {
            id += (int)PackedRows.ReadGap(ref d, ref pos);
            s0 += Unsafe.Add(ref levels, Unsafe.Add(ref d, pos++)) * Unsafe.Add(ref w0, id);
            id += (int)PackedRows.ReadGap(ref d, ref pos);
            s1 += Unsafe.Add(ref levels, Unsafe.Add(ref d, pos++)) * Unsafe.Add(ref w0, id);
        }
        if (p < n)
        {
            id += (int)PackedRows.ReadGap(ref d, ref pos);
            s0 += Unsafe.Add(ref levels, Unsafe.Add(ref d, pos++)) * Unsafe.Add(ref w0, id);
        }
        return (s0 + s1) * _scale[row];
    }

    /// <summary>
    /// Each class's margin on a packed row, <paramref name="bias"/>[c] plus the row's dot with class c's weights, from
    /// weights laid feature by feature (<paramref name="byFeature"/>[id × classes + c]): one reading of the row and one
    /// run of adjacent weights an entry, where <see cref="Dot"/> class by class decodes the row and gathers from a
    /// class's array each time. The sums are <see cref="PackedDot"/>'s, term for term and in its order (even entries in
    /// one sum, odd in another), so each margin has the same bits as <c>bias[c] + Dot(row, weights[c])</c>.
    /// </summary>
    /// <param name="odd">Scratch of <paramref name="classes"/> doubles.</param>
    internal void PackedMargins(int row, float[] byFeature, int classes, float[] bias, Span<double> into, Span<double> odd)
    {
        ref var d = ref MemoryMarshal.GetArrayDataReference(RowBytes(row, out var pos));
        ref var levels = ref MemoryMarshal.GetArrayDataReference(PackedRows.Levels);
        var even = into[..classes];
        odd = odd[..classes];
        even.Clear();
        odd.Clear();
        var id = 0;
        for (int p = 0, n = _length[row]; p < n; p++)
        {
            id += (int)PackedRows.ReadGap(ref d, ref pos);
            var level = Unsafe.Add(ref levels, Unsafe.Add(ref d, pos++));
            var w = new ReadOnlySpan<float>(byFeature, id * classes, classes);
            var sum = (p & 1) == 0 ? even : odd;
            for (int c = 0; c < w.Length; c++) sum[c] += level * w[c];
        }
        var scale = _scale[row];
        for (int c = 0; c < classes; c++) even[c] = bias[c] + (even[c] + odd[c]) * scale;
    }

    private void PackedAddTo(int row, float[] w, float scale)
    {
        ref var d = ref MemoryMarshal.GetArrayDataReference(RowBytes(row, out var pos));
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref var levels = ref MemoryMarshal.GetArrayDataReference(PackedRows.Levels);
        var f = scale * _scale[row];
        var id = 0;
        for (int p = 0, n = _length[row]; p < n; p++)
        {
            id += (int)PackedRows.ReadGap(ref d, ref pos);
            Unsafe.Add(ref w0, id) += f * Unsafe.Add(ref levels, Unsafe.Add(ref d, pos++));
        }
    }

    private double PackedSquaredNorm(int row)
    {
        var data = RowBytes(row, out var pos);
        double s = 0;
        for (int p = 0, n = _length[row]; p < n; p++)
        {
            PackedRows.ReadGap(data, ref pos);
            double v = PackedRows.Levels[data[pos++]];
            s += v * v;
        }
        return s * _scale[row] * _scale[row];
    }

    /// <summary>
    /// A packed store of vectors from this packed store of counts, for <paramref name="rows"/> (null: all, in order), as
    /// <see cref="Weighed"/> makes a plain one. With <paramref name="inPlace"/> each block of counts is replaced by its
    /// vectors as soon as they are made, so that the two exist side by side for one block at a time.
    /// </summary>
    private SparseMatrix PackedWeighed(IReadOnlyList<int>? rows, int[] featureOf, TextFeaturizer featurizer, int threads, CancellationToken cancel,
        bool inPlace)
    {
        var n = rows?.Count ?? Rows;
        // In place, blocks stay as they are (a block's rows are those it held); else new blocks of consecutive rows.
        var groups = inPlace ? RowsOfBlocks().Select(l => l.ToArray()).ToArray()
            : Enumerable.Range(0, (n + VectorBlockRows - 1) / VectorBlockRows)
                .Select(k => Enumerable.Range(k * VectorBlockRows, Math.Min(VectorBlockRows, n - k * VectorBlockRows)).ToArray()).ToArray();
        var data = new byte[groups.Length][];
        var done = 0;
        var scale = inPlace ? _scale : new float[n];
        var start = inPlace ? _start : new int[n];
        var length = inPlace ? _length : new int[n];
        var block = inPlace ? _block : new int[n];
        Parallel.For(0, groups.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel }, k =>
        {
            var bytes = new ByteWriter();
            var scratch = new RowScratch();
            foreach (var r in groups[k])
            {
                var source = inPlace ? r : rows?[r] ?? r;
                var u = Unpack(source);
                var m = WeighRow(u.Ids.AsSpan(0, _length[source]), u.Quantized.AsSpan(0, _length[source]), featureOf, featurizer, scratch, out _);
                float max = 0;
                foreach (var v in scratch.Values.AsSpan(0, m)) max = Math.Max(max, v);
                block[r] = k;
                start[r] = bytes.Count;
                length[r] = m;
                scale[r] = max;
                PackedRows.AppendWeights(bytes, scratch.Ids.AsSpan(0, m), scratch.Values.AsSpan(0, m), max);
            }
            if (!inPlace)
            {
                data[k] = bytes.ToArray();
                return;
            }
            _packed!.Replace(k, bytes.Written);
            // A block of counts dies as its vectors take its place, but the collector would let dead blocks pile up (they
            // are large objects, collected only in full collections): on 1 GB the two stores stood side by side, about
            // 8.5 GB at the peak. A full collection every 32 blocks (of 1,024 rows) frees them as the pass goes, at a few
            // milliseconds each: arrays of bytes hold no references to follow.
            if (Interlocked.Increment(ref done) % CollectEveryBlocks == 0) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        });
        if (!inPlace) return new SparseMatrix(PackedBlocks.InMemory(data), counts: false, scale, block, start, length, featurizer.Dimension);
        _packedCounts = false;
        Columns = featurizer.Dimension;
        Entries = 0;
        for (int r = 0; r < Rows; r++) Entries += _length[r];
        return this;
    }

    /// <summary>Blocks weighed in place between two full collections (see <see cref="PackedWeighed"/>).</summary>
    private const int CollectEveryBlocks = 32;

    /// <summary>
    /// <see cref="Restrict"/> for a packed store of vectors, in place as for the plain store: the kept ids are renumbered
    /// in order, so no gap grows and a row never takes more bytes than it had; rows of a block lie in order, so writing
    /// forward never overwrites a row not yet read. A block left with less than three quarters of its bytes is copied
    /// to one of its size, so the final solve does not carry what pruning freed.
    /// </summary>
    private void PackedRestrict(int[] newId, FeatureBlocks newBlocks, int columns, int threads, CancellationToken cancel)
    {
        if (_packedCounts) throw new InvalidOperationException("a store of counts is weighed before it is pruned");
        var rowsOfBlock = RowsOfBlocks();
        Parallel.For(0, _packed!.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel }, k =>
        {
            var data = _packed.Get(k);
            var write = 0;
            var ids = new int[256];
            var v = new float[256];
            var bytes = new ByteWriter();
            foreach (var r in rowsOfBlock[k])
            {
                var u = Unpack(r);
                var count = _length[r];
                if (ids.Length < count) (ids, v) = (new int[count * 2], new float[count * 2]);
                var kept = 0;
                for (int p = 0; p < count; p++)
                {
                    var id = newId[u.Ids[p]];
                    if (id < 0) continue;
                    ids[kept] = id;
                    v[kept++] = u.Values[p];
                }
                newBlocks.Normalize(ids.AsSpan(0, kept), v.AsSpan(0, kept));
                float max = 0;
                foreach (var x in v.AsSpan(0, kept)) max = Math.Max(max, x);
                bytes.Clear();
                PackedRows.AppendWeights(bytes, ids.AsSpan(0, kept), v.AsSpan(0, kept), max);
                bytes.CopyTo(data.AsSpan(write));
                _start[r] = write;
                _length[r] = kept;
                _scale[r] = max;
                write += bytes.Count;
            }
            _packed.Replace(k, data, write);
        });
        Columns = columns;
        Entries = 0;
        for (int r = 0; r < Rows; r++) Entries += _length[r];
    }
}
