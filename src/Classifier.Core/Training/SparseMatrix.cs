using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>
/// The training documents' feature vectors, in one store: compressed sparse rows kept in blocks of consecutive rows
/// (one array of 32-bit feature ids and one of 16-bit values per block), 6 bytes a stored feature and 16 a row. A
/// value is stored as a fraction of its row's largest value (so each row keeps 1/65,535 of its own range, about four
/// and a half significant digits, whatever the document's length), and the row keeps that scale. It is filled once by
/// featurizing; the solvers read rows of it, or of a subset of its rows given as row numbers, so holdout and fold
/// splits copy nothing; pruning rewrites it in place. A large corpus's store is packed instead (see
/// SparseMatrix.Packed.cs): about 3 bytes an entry.
/// </summary>
internal sealed partial class SparseMatrix : IDisposable
{
    private readonly int[][] _ids;
    private readonly ushort[][] _values;
    private readonly float[] _scale;
    private readonly int[] _block;
    private readonly int[] _start;
    private readonly int[] _length;

    public int Columns { get; private set; }
    public int Rows => _block.Length;

    /// <summary>Stored features in all (their count, not bytes).</summary>
    public long Entries { get; private set; }

    private SparseMatrix(int[][] ids, ushort[][] values, float[] scale, int[] block, int[] start, int[] length, int columns)
    {
        _ids = ids;
        _values = values;
        _scale = scale;
        _block = block;
        _start = start;
        _length = length;
        Columns = columns;
        for (int r = 0; r < length.Length; r++) Entries += length[r];
    }

    /// <summary>A store of the given vectors (for tests and small inputs).</summary>
    public SparseMatrix(IReadOnlyList<SparseVector> rows, int columns) : this(FromRows(rows), columns)
    {
    }

    private SparseMatrix((int[][], ushort[][], float[], int[], int[], int[]) parts, int columns)
        : this(parts.Item1, parts.Item2, parts.Item3, parts.Item4, parts.Item5, parts.Item6, columns)
    {
    }

    /// <summary>A row's values (never negative: they are weighted counts) as 16-bit fractions of the largest, and the scale that gives them back.</summary>
    private static float Quantize(ReadOnlySpan<float> values, Span<ushort> q)
    {
        float max = 0;
        foreach (var v in values) max = Math.Max(max, Math.Abs(v));
        if (max == 0)
        {
            q.Clear();
            return 0;
        }
        for (int i = 0; i < values.Length; i++) q[i] = (ushort)MathF.Round(Math.Abs(values[i]) / max * ushort.MaxValue);
        return max / ushort.MaxValue;
    }

    private static (int[][], ushort[][], float[], int[], int[], int[]) FromRows(IReadOnlyList<SparseVector> rows)
    {
        var b = new Builder(rows.Count);
        for (int i = 0; i < rows.Count; i++) b.Add(rows[i].Indices, rows[i].Values);
        return b.Parts();
    }

    /// <summary>Featurizes <paramref name="texts"/> in parallel, a block of rows at a time, straight into a store.</summary>
    public static SparseMatrix Featurize(TextFeaturizer featurizer, IReadOnlyList<string> texts, int threads, CancellationToken cancel,
        IProgress<ProgressUpdate>? progress = null)
    {
        const int BlockRows = 2048;
        var blocks = (texts.Count + BlockRows - 1) / BlockRows;
        var parts = new (int[] Ids, ushort[] Values, int[] Lengths)[blocks];
        var scale = new float[texts.Count];
        var done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel };
        Parallel.For(0, blocks, options, featurizer.CreateWorkspace, (k, _, ws) =>
        {
            var from = k * BlockRows;
            var to = Math.Min(texts.Count, from + BlockRows);
            var ids = new List<int>();
            var values = new List<ushort>();
            var lengths = new int[to - from];
            var q = new ushort[256];
            for (int i = from; i < to; i++)
            {
                var v = featurizer.Transform(texts[i], ws);
                if (q.Length < v.Count) q = new ushort[v.Count * 2];
                scale[i] = Quantize(v.Values, q);
                ids.AddRange(v.Indices);
                values.AddRange(q.AsSpan(0, v.Count));
                lengths[i - from] = v.Count;
            }
            parts[k] = (ids.ToArray(), values.ToArray(), lengths);
            var n = Interlocked.Increment(ref done);
            progress?.Report(new ProgressUpdate("featurizing documents", Math.Min(texts.Count, (long)n * BlockRows), texts.Count, Transient: true));
            return ws;
        }, _ => { });
        var block = new int[texts.Count];
        var start = new int[texts.Count];
        var length = new int[texts.Count];
        for (int k = 0; k < blocks; k++)
        {
            var offset = 0;
            for (int j = 0; j < parts[k].Lengths.Length; j++)
            {
                var r = k * BlockRows + j;
                block[r] = k;
                start[r] = offset;
                length[r] = parts[k].Lengths[j];
                offset += length[r];
            }
        }
        return new SparseMatrix(parts.Select(p => p.Ids).ToArray(), parts.Select(p => p.Values).ToArray(), scale, block, start, length, featurizer.Dimension);
    }

    /// <summary>Rows a block of a store made by <see cref="Weighed"/> holds.</summary>
    internal const int VectorBlockRows = 4096;

    /// <summary>
    /// A store of raw counts (scale 1, so a value is the count itself), from blocks of consecutive rows: each block's
    /// ids, counts and rows' lengths.
    /// </summary>
    internal static SparseMatrix OfCounts(IReadOnlyList<(int[] Ids, ushort[] Counts, int[] Lengths)> blocks, int rows, int columns)
    {
        var (block, start, length, scale) = CountsLayout(blocks.Select(b => (b.Lengths, b.Lengths)).ToList(), rows);
        return new SparseMatrix(blocks.Select(b => b.Ids).ToArray(), blocks.Select(b => b.Counts).ToArray(), scale, block, start, length, columns);
    }

    /// <summary>
    /// Where each row of a store of counts lies, from blocks of consecutive rows given as each row's entries and size
    /// (entries in the plain layout, bytes in the packed one); every scale is 1, so a value is the count itself.
    /// </summary>
    private static (int[] Block, int[] Start, int[] Length, float[] Scale) CountsLayout(IReadOnlyList<(int[] Entries, int[] Sizes)> blocks, int rows)
    {
        var block = new int[rows];
        var start = new int[rows];
        var length = new int[rows];
        var r = 0;
        for (int k = 0; k < blocks.Count; k++)
        {
            var offset = 0;
            for (int j = 0; j < blocks[k].Entries.Length; j++)
            {
                block[r] = k;
                start[r] = offset;
                length[r++] = blocks[k].Entries[j];
                offset += blocks[k].Sizes[j];
            }
        }
        var scale = new float[rows];
        Array.Fill(scale, 1f);
        return (block, start, length, scale);
    }

    /// <summary>
    /// A store of weighted vectors made from this store of counts: for each of <paramref name="rows"/> (null: all, in
    /// order), its entries with <paramref name="featureOf"/>[id] ≥ 0, renumbered, weighed and normalised by
    /// <paramref name="featurizer"/> (see <see cref="WeighRow"/>).
    /// </summary>
    internal SparseMatrix Weighed(IReadOnlyList<int>? rows, int[] featureOf, TextFeaturizer featurizer, int threads, CancellationToken cancel)
    {
        if (_packed is not null) return PackedWeighed(rows, featureOf, featurizer, threads, cancel, inPlace: false);
        var n = rows?.Count ?? Rows;
        var count = (n + VectorBlockRows - 1) / VectorBlockRows;
        var ids = new int[count][];
        var values = new ushort[count][];
        var scale = new float[n];
        var start = new int[n];
        var length = new int[n];
        var block = new int[n];
        // Each thread writes its blocks into one buffer of its own, as large as a block's counts (a row has no more entries
        // than counts), then copies each block out once at its exact size. Growing a list for every block instead, in
        // cross-validation (5 folds, and the held-out rows of each), copied every entry about three times into fresh
        // memory: with the page faults, about 7 % of a 20 Newsgroups cross-validation's samples.
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel },
            () => new BlockBuffer(), (k, _, buffer) =>
        {
            var from = k * VectorBlockRows;
            var to = Math.Min(n, from + VectorBlockRows);
            var bound = 0L;
            for (int r = from; r < to; r++) bound += _length[rows?[r] ?? r];
            buffer.Fit(bound);
            var scratch = buffer.Row;
            var written = 0;
            for (int r = from; r < to; r++)
            {
                var source = rows?[r] ?? r;
                var m = WeighRow(Indices(source), new ReadOnlySpan<ushort>(_values[_block[source]], _start[source], _length[source]), featureOf,
                    featurizer, scratch, out scale[r]);
                block[r] = k;
                start[r] = written;
                length[r] = m;
                scratch.Ids.AsSpan(0, m).CopyTo(buffer.Ids.AsSpan(written));
                scratch.Quantized.AsSpan(0, m).CopyTo(buffer.Values.AsSpan(written));
                written += m;
            }
            ids[k] = buffer.Ids.AsSpan(0, written).ToArray();
            values[k] = buffer.Values.AsSpan(0, written).ToArray();
            return buffer;
        }, _ => { });
        return new SparseMatrix(ids, values, scale, block, start, length, featurizer.Dimension);
    }

    /// <summary>
    /// As <see cref="Weighed"/> for every row, in place: each row's vector is written over its counts (it has no more
    /// entries than they), so the counts and the vectors never exist side by side.
    /// </summary>
    internal void WeighInPlace(int[] featureOf, TextFeaturizer featurizer, int threads, CancellationToken cancel)
    {
        _squaredNorms = null;
        if (_packed is not null)
        {
            PackedWeighed(null, featureOf, featurizer, threads, cancel, inPlace: true);
            return;
        }
        var rowsOfBlock = RowsOfBlocks();
        Parallel.For(0, _ids.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel }, k =>
        {
            var ids = _ids[k];
            var values = _values[k];
            var write = 0;
            var scratch = new RowScratch();
            // Rows of a block are stored in order, so compacting forward never overwrites an entry not yet read.
            foreach (var r in rowsOfBlock[k])
            {
                var m = WeighRow(new ReadOnlySpan<int>(ids, _start[r], _length[r]), new ReadOnlySpan<ushort>(values, _start[r], _length[r]),
                    featureOf, featurizer, scratch, out _scale[r]);
                scratch.Ids.AsSpan(0, m).CopyTo(ids.AsSpan(write));
                scratch.Quantized.AsSpan(0, m).CopyTo(values.AsSpan(write));
                _start[r] = write;
                _length[r] = m;
                write += m;
            }
            if (write < ids.Length / 2)
            {
                Array.Resize(ref _ids[k], write);
                Array.Resize(ref _values[k], write);
            }
        });
        Columns = featurizer.Dimension;
        Entries = 0;
        for (int r = 0; r < Rows; r++) Entries += _length[r];
    }

    /// <summary>One thread's room for a block of rows being weighed (see <see cref="Weighed"/>), and for each row of it.</summary>
    private sealed class BlockBuffer
    {
        public int[] Ids = [];
        public ushort[] Values = [];
        public readonly RowScratch Row = new();

        public void Fit(long entries)
        {
            if (Ids.Length >= entries) return;
            if (entries > Array.MaxLength)
                throw new InputException($"a block of {VectorBlockRows:N0} documents holds {entries:N0} n-grams, more than one array can; the documents are too long");
            var size = (int)Math.Min(Array.MaxLength, entries + entries / 4);
            Ids = new int[size];
            Values = new ushort[size];
        }
    }

    /// <summary>One thread's room for a row being weighed.</summary>
    private sealed class RowScratch
    {
        public int[] Ids = new int[256];
        public float[] Values = new float[256];
        public ushort[] Quantized = new ushort[256];

        public void Fit(int length)
        {
            if (Ids.Length >= length) return;
            Ids = new int[length * 2];
            Values = new float[length * 2];
            Quantized = new ushort[length * 2];
        }
    }

    /// <summary>
    /// A row of counts as a vector: its terms with <paramref name="featureOf"/>[term] ≥ 0, renumbered, weighed by
    /// <paramref name="featurizer"/> and normalised block by block, into <paramref name="s"/> (ids and 16-bit values);
    /// returns how many, and the row's scale. Terms come in id order and each block of features keeps term order (see
    /// <see cref="CountedCorpus.Vocabulary"/>), so the word, character and place entries each come out increasing:
    /// laying the blocks end to end sorts the row, with no sort.
    /// </summary>
    private static int WeighRow(ReadOnlySpan<int> terms, ReadOnlySpan<ushort> counts, int[] featureOf, TextFeaturizer featurizer, RowScratch s,
        out float scale)
    {
        var blocks = featurizer.Blocks;
        s.Fit(terms.Length);
        int words = 0, chars = 0, places = 0;
        for (int p = 0; p < terms.Length; p++)
        {
            var f = featureOf[terms[p]];
            if (f < 0) continue;
            if (f < blocks.Words) words++; else if (f < blocks.PlaceStart) chars++; else places++;
        }
        var m = words + chars + places;
        int w = 0, c = words, pl = words + chars;
        for (int p = 0; p < terms.Length; p++)
        {
            var f = featureOf[terms[p]];
            if (f < 0) continue;
            ref var at = ref (f < blocks.Words ? ref w : ref (f < blocks.PlaceStart ? ref c : ref pl));
            s.Ids[at] = f;
            s.Values[at++] = featurizer.Weight(f, counts[p]);
        }
        blocks.Normalize(s.Ids.AsSpan(0, m), s.Values.AsSpan(0, m));
        scale = Quantize(s.Values.AsSpan(0, m), s.Quantized.AsSpan(0, m));
        return m;
    }

    /// <summary>The rows of each block, in order.</summary>
    private List<int>[] RowsOfBlocks()
    {
        var rowsOfBlock = new List<int>[_packed?.Count ?? _ids.Length];
        for (int k = 0; k < rowsOfBlock.Length; k++) rowsOfBlock[k] = new List<int>();
        for (int r = 0; r < Rows; r++) rowsOfBlock[_block[r]].Add(r);
        return rowsOfBlock;
    }

    /// <summary>A row's ids; of a packed row, in a room of this thread's that the next read of a packed row reuses.</summary>
    public ReadOnlySpan<int> Indices(int row) =>
        _packed is not null ? Unpack(row).Ids.AsSpan(0, _length[row]) : new(_ids[_block[row]], _start[row], _length[row]);

    /// <summary>A row's values (as stored: within 1/65,535 of the row's largest value of what featurizing gave).</summary>
    public float[] Values(int row)
    {
        if (_packed is not null)
        {
            var u = Unpack(row);
            return _packedCounts ? Array.ConvertAll(u.Quantized[.._length[row]], c => (float)c) : u.Values.AsSpan(0, _length[row]).ToArray();
        }
        var q = new ReadOnlySpan<ushort>(_values[_block[row]], _start[row], _length[row]);
        var v = new float[q.Length];
        for (int i = 0; i < q.Length; i++) v[i] = q[i] * _scale[row];
        return v;
    }

    /// <summary>One row as a vector of its own (a copy), for the trainers that take vectors.</summary>
    public SparseVector Row(int row) => new(Indices(row).ToArray(), Values(row));

    /// <summary>The row's dot product with <paramref name="w"/> (see <see cref="GatherDot"/>): the solvers' inner loop.</summary>
    public double Dot(int row, float[] w)
    {
        if (w.Length < Columns) throw new ArgumentException("one weight per column", nameof(w));
        if (_packed is not null) return PackedDot(row, w);
        var ids = new ReadOnlySpan<int>(_ids[_block[row]], _start[row], _length[row]);
        var values = new ReadOnlySpan<ushort>(_values[_block[row]], _start[row], _length[row]);
        return GatherDot.Dot(ids, values, w) * _scale[row];
    }

    /// <summary>
    /// Asks the cache for the start of a row (its first ids and values) ahead of its use: the solvers visit rows in a
    /// random order, so each row's first reads otherwise wait on memory before the hardware's own prefetching takes over.
    /// </summary>
    public unsafe void Prefetch(int row)
    {
        if (_packed is not null || !System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        var ids = _ids[_block[row]];
        var values = _values[_block[row]];
        var start = _start[row];
        if ((uint)start >= (uint)ids.Length) return;
        fixed (int* ip = &ids[start])
        fixed (ushort* vp = &values[start])
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(ip);
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(ip + 16);
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(vp);
        }
    }

    public void AddTo(int row, float[] w, float scale)
    {
        if (w.Length < Columns) throw new ArgumentException("one weight per column", nameof(w));
        if (_packed is not null)
        {
            PackedAddTo(row, w, scale);
            return;
        }
        var ids = new ReadOnlySpan<int>(_ids[_block[row]], _start[row], _length[row]);
        var values = new ReadOnlySpan<ushort>(_values[_block[row]], _start[row], _length[row]);
        ref var w0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(w);
        var f = scale * _scale[row];
        for (int p = 0; p < ids.Length; p++) System.Runtime.CompilerServices.Unsafe.Add(ref w0, ids[p]) += f * values[p];
    }

    private double[]? _squaredNorms;
    private readonly Lock _normsLock = new();

    /// <summary>
    /// Each row's squared norm, computed once and kept until the rows change (<see cref="Restrict"/>,
    /// <see cref="WeighInPlace"/>): every class's solve needs all of them, and computing them again for each class was
    /// about 3 of the 54 busy seconds of a 20 Newsgroups cross-validation.
    /// </summary>
    public double[] SquaredNorms()
    {
        lock (_normsLock)
        {
            if (_squaredNorms is { } cached) return cached;
            var norms = new double[Rows];
            for (int r = 0; r < norms.Length; r++) norms[r] = SquaredNorm(r);
            return _squaredNorms = norms;
        }
    }

    public double SquaredNorm(int row)
    {
        if (_packed is not null) return PackedSquaredNorm(row);
        double s = 0;
        foreach (var q in new ReadOnlySpan<ushort>(_values[_block[row]], _start[row], _length[row])) s += (double)q * q;
        return s * _scale[row] * _scale[row];
    }

    /// <summary>
    /// Keeps only the features with <paramref name="newId"/>[old] ≥ 0, renumbered, and normalises each row again
    /// (see <see cref="TextFeaturizer.Restrict"/>), in place: the store never exists twice.
    /// </summary>
    public void Restrict(int[] newId, FeatureBlocks newBlocks, int columns, int threads, CancellationToken cancel)
    {
        _squaredNorms = null;
        if (_packed is not null)
        {
            PackedRestrict(newId, newBlocks, columns, threads, cancel);
            return;
        }
        var rowsOfBlock = RowsOfBlocks();
        Parallel.For(0, _ids.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel }, k =>
        {
            var ids = _ids[k];
            var values = _values[k];
            var write = 0;
            var v = new float[256];
            // Rows of a block are stored in order, so compacting forward never overwrites an entry not yet read.
            foreach (var r in rowsOfBlock[k])
            {
                var from = _start[r];
                var count = _length[r];
                var rowStart = write;
                if (v.Length < count) v = new float[count * 2];
                for (int p = from; p < from + count; p++)
                {
                    var n = newId[ids[p]];
                    if (n < 0) continue;
                    v[write - rowStart] = values[p] * _scale[r];
                    ids[write++] = n;
                }
                var kept = write - rowStart;
                _start[r] = rowStart;
                _length[r] = kept;
                newBlocks.Normalize(ids.AsSpan(rowStart, kept), v.AsSpan(0, kept));
                _scale[r] = Quantize(v.AsSpan(0, kept), values.AsSpan(rowStart, kept));
            }
            if (write < ids.Length / 2)
            {
                // Give back what pruning freed.
                Array.Resize(ref _ids[k], write);
                Array.Resize(ref _values[k], write);
            }
        });
        Columns = columns;
        Entries = 0;
        for (int r = 0; r < Rows; r++) Entries += _length[r];
    }

    /// <summary>Collects rows into blocks, for <see cref="SparseMatrix(IReadOnlyList{SparseVector}, int)"/>.</summary>
    private sealed class Builder(int rows)
    {
        private readonly List<int> _ids = new();
        private readonly List<ushort> _values = new();
        private readonly float[] _scale = new float[rows];
        private readonly int[] _start = new int[rows];
        private readonly int[] _length = new int[rows];
        private int _row;

        public void Add(int[] ids, float[] values)
        {
            var q = new ushort[values.Length];
            _scale[_row] = Quantize(values, q);
            _start[_row] = _ids.Count;
            _length[_row++] = ids.Length;
            _ids.AddRange(ids);
            _values.AddRange(q);
        }

        public (int[][], ushort[][], float[], int[], int[], int[]) Parts() =>
            ([_ids.ToArray()], [_values.ToArray()], _scale, new int[rows], _start, _length);
    }
}
