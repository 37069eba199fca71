using System.Globalization;
using Parquet;
using Parquet.Data;
using ColumnChunk = Parquet.Meta.ColumnChunk;
using Parquet.Schema;
using Classifier.Core.Data.ParquetPages;

namespace Classifier.Core.Data;

/// <summary>
/// Apache Parquet, read one row group at a time, so that memory is bounded by a row group, not by the file. The columns
/// are the file's top-level columns of primitive type: strings as they are, numbers, booleans and dates as their
/// invariant text, null as null; a list of primitives (a multi-label `labels` column) as its items joined with ';', as
/// the JSON Lines reader joins a flat array. Structs and maps are not columns. A record's line is its 1-based row number
/// in the file. With <see cref="TakeShard"/>, only the row groups of one shard are read (row group g is in shard
/// (g mod N) + 1), so that shards split a file without reading the rest of it.
/// </summary>
public sealed class ParquetRecordReader : IRecordReader
{
    private readonly Stream _stream;
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private readonly PageBuffers[] _buffers;
    private Scoring.ShardSpec _shard = Scoring.ShardSpec.All;
    /// <summary>Per column, whether it is read (<see cref="UseColumns"/>); a column not read costs nothing, not even its bytes.</summary>
    private bool[] _used;

    public string Source { get; }
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Row groups in the file.</summary>
    public int RowGroupCount => _reader.RowGroupCount;

    /// <summary>Rows in the file, from its footer.</summary>
    public long RowCount { get; }

    /// <summary>Column chunks read so far a page at a time (<see cref="TextColumnPages"/>), not by Parquet.Net (for tests).</summary>
    internal int PagedChunks { get; private set; }

    /// <summary>Row groups read so far (for progress).</summary>
    public int RowGroupsRead { get; private set; }

    public ParquetRecordReader(string path)
    {
        Source = path;
        if (path == "-") throw new InputException("a Parquet file cannot be read from stdin: it is read from its end first; give its path", RecordReaders.StdinName);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            throw new InputException("a Parquet file cannot be read through gzip: it is read from its end first, and compresses its own pages; give the .parquet file", path);
        try
        {
            _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (UnauthorizedAccessException e) { throw new InputException("permission denied", path, inner: e); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new InputException("no such file or folder", path, inner: e); }
        catch (IOException e) { throw new InputException($"cannot read: {e.Message}", path, inner: e); }
        if (!_stream.CanSeek)
        {
            _stream.Dispose();
            throw new InputException("a Parquet file must be a regular file (it is read from its end first), not a pipe or a device", path);
        }
        try
        {
            _reader = ParquetReader.CreateAsync(_stream, Options(new ParquetOptions { TreatByteArrayAsString = true }), leaveStreamOpen: true).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _stream.Dispose();
            throw new InputException($"not a Parquet file, or a damaged one ({Short(e)})", path, inner: e);
        }
        var fields = new List<DataField>();
        var columns = new List<string>();
        foreach (var top in _reader.Schema.Fields)
            if (Flat(top) is { } flat)
            {
                fields.Add(flat);
                columns.Add(top.Name);
            }
        (_fields, Columns) = (fields.ToArray(), columns);
        _buffers = _fields.Select(_ => new PageBuffers()).ToArray();
        _used = _fields.Select(_ => true).ToArray();
        RowCount = _reader.RowGroups.Sum(g => g.RowCount);
    }

    /// <summary>
    /// Parquet.Net keeps its page buffers in pools that by default never give memory back ("indistinguishable from a memory
    /// leak", in the pool's own words): these bounds let the collector free what a row group left behind.
    /// </summary>
    internal static ParquetOptions Options(ParquetOptions options)
    {
        options.MaximumSmallPoolFreeBytes = 8 << 20;
        options.MaximumLargePoolFreeBytes = 32 << 20;
        return options;
    }

    /// <summary>The data field behind a top-level column: itself, or the element of a list of primitives; null for structs and maps.</summary>
    private static DataField? Flat(Field top) => top switch
    {
        DataField d when d.MaxRepetitionLevel == 0 => d,
        ListField { Item: DataField item } when item.MaxRepetitionLevel == 1 => item,
        _ => null,
    };

    /// <summary>The type of a column that does not hold text (say "int32" or "list of double"), or null for a text column.</summary>
    public string? NonTextType(string column)
    {
        var i = Columns.ToList().IndexOf(column);
        if (i < 0) return null;
        var f = _fields[i];
        var type = f.ClrType == typeof(ReadOnlyMemory<char>) || f.ClrType == typeof(string) ? null : TypeName(f.ClrType);
        return f.MaxRepetitionLevel > 0 ? $"list of {type ?? "string"}" : type;
    }

    private static string TypeName(Type t) => t == typeof(int) ? "int32" : t == typeof(long) ? "int64" : t == typeof(double) ? "double" : t == typeof(float) ? "float"
        : t == typeof(bool) ? "boolean" : t == typeof(ReadOnlyMemory<byte>) ? "binary" : t.Name.ToLowerInvariant();

    /// <summary>
    /// Reads only the row groups of <paramref name="shard"/> from now on. Returns true: positions in the input are then
    /// row groups, and the caller must not shard the records again.
    /// </summary>
    public bool TakeShard(Scoring.ShardSpec shard)
    {
        _shard = shard;
        return true;
    }

    public void UseColumns(IReadOnlySet<string> columns) => _used = Columns.Select(columns.Contains).ToArray();

    /// <summary>Column chunks skipped so far, their columns not used (for tests).</summary>
    internal int SkippedChunks { get; private set; }

    public IEnumerable<Record> ReadAll()
    {
        long line = 0;
        for (int g = 0; g < _reader.RowGroupCount; g++)
        {
            var rows = _reader.RowGroups[g].RowCount;
            if (!_shard.Owns(g))
            {
                line += rows;
                continue;
            }
            var columns = ReadRowGroup(g, (int)rows);
            try
            {
                RowGroupsRead++;
                for (int r = 0; r < rows; r++)
                {
                    // Each row's strings are made as it is read, so that they die young: strings made for a whole row group at
                    // once outlived many collections and piled up in the oldest generation.
                    yield return new Record(++line, Row(columns, r, g));
                }
            }
            finally
            {
                foreach (var c in columns) c?.Dispose();
            }
        }
    }

    private Dictionary<string, string?> Row(Chunk?[] columns, int row, int g)
    {
        var fields = new Dictionary<string, string?>(Columns.Count, StringComparer.Ordinal);
        try
        {
            for (int c = 0; c < Columns.Count; c++)
                if (columns[c] is { } column) fields[Columns[c]] = column.Text(row);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Damaged(g, e);
        }
        return fields;
    }

    private InputException Damaged(int g, Exception e) =>
        new($"row group {g + 1} of {_reader.RowGroupCount} cannot be read: the file is damaged ({Short(e)})", Source, inner: e);

    private Chunk?[] ReadRowGroup(int g, int rows)
    {
        var columns = new Chunk?[_fields.Length];
        try
        {
            using var group = _reader.OpenRowGroupReader(g);
            var chunks = _reader.Metadata?.RowGroups[g].Columns;
            for (int c = 0; c < _fields.Length; c++)
            {
                if (!_used[c])
                {
                    SkippedChunks++;
                    continue;
                }
                // A flat text column is decoded a page at a time as its rows are read (ParquetPages); the rest by Parquet.Net, whole.
                var chunk = chunks?.FirstOrDefault(k => k.MetaData?.PathInSchema is [var name] && name == _fields[c].Name);
                if (chunk is not null && TextColumnPages.Supports(_fields[c], chunk))
                {
                    columns[c] = new Paged(new TextColumnPages(ReadChunk(chunk, c), chunk, _fields[c], rows, _buffers[c]));
                    PagedChunks++;
                }
                else columns[c] = Chunk.Of(group.ReadRawColumnDataBaseAsync(_fields[c]).GetAwaiter().GetResult(), _fields[c], rows);
            }
            return columns;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var c in columns) c?.Dispose();
            throw Damaged(g, e);
        }
    }

    /// <summary>A column chunk's bytes, read into the column's buffer (its length is the chunk's).</summary>
    private (byte[] Bytes, int Length) ReadChunk(ColumnChunk chunk, int column)
    {
        var (offset, length) = TextColumnPages.Extent(chunk);
        if (offset < 0 || length < 0 || length > Array.MaxLength || offset > _stream.Length - length)
            throw new InvalidDataException($"a column chunk at {offset:N0} of {length:N0} bytes, in a file of {_stream.Length:N0}");
        var bytes = _buffers[column].Chunk.For((int)length);
        _stream.Seek(offset, SeekOrigin.Begin);
        _stream.ReadExactly(bytes);
        return (_buffers[column].Chunk.Array, (int)length);
    }

    /// <summary>
    /// One column of a row group as Parquet.Net decoded it (its buffers, returned to the pool on dispose), and where each
    /// row's value is: the text of row r is made only when asked for.
    /// </summary>
    private abstract class Chunk : IDisposable
    {
        public abstract string? Text(int row);
        public abstract void Dispose();

        public static Chunk Of(RawColumnData raw, DataField field, int rows) => raw switch
        {
            RawColumnData<ReadOnlyMemory<char>> v => new Of<ReadOnlyMemory<char>>(v, field, rows, x => x.ToString()),
            RawColumnData<bool> v => new Of<bool>(v, field, rows, x => x ? "true" : "false"),
            RawColumnData<int> v => new Of<int>(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
            RawColumnData<long> v => new Of<long>(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
            RawColumnData<short> v => new Of<short>(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
            RawColumnData<sbyte> v => new Of<sbyte>(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
            RawColumnData<byte> v => new Of<byte>(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
            RawColumnData<ushort> v => new Of<ushort>(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
            RawColumnData<uint> v => new Of<uint>(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
            RawColumnData<ulong> v => new Of<ulong>(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
            RawColumnData<float> v => new Of<float>(v, field, rows, x => x.ToString("R", CultureInfo.InvariantCulture)),
            RawColumnData<double> v => new Of<double>(v, field, rows, x => x.ToString("R", CultureInfo.InvariantCulture)),
            RawColumnData<decimal> v => new Of<decimal>(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
            RawColumnData<DateTime> v => new Of<DateTime>(v, field, rows, x => x.ToString("O", CultureInfo.InvariantCulture)),
            RawColumnData<DateOnly> v => new Of<DateOnly>(v, field, rows, x => x.ToString("O", CultureInfo.InvariantCulture)),
            RawColumnData<TimeOnly> v => new Of<TimeOnly>(v, field, rows, x => x.ToString("O", CultureInfo.InvariantCulture)),
            RawColumnData<TimeSpan> v => new Of<TimeSpan>(v, field, rows, x => x.ToString("c", CultureInfo.InvariantCulture)),
            RawColumnData<Guid> v => new Of<Guid>(v, field, rows, x => x.ToString()),
            RawColumnData<ReadOnlyMemory<byte>> v => new Of<ReadOnlyMemory<byte>>(v, field, rows, x => Convert.ToBase64String(x.Span)),
            _ => new Nothing(raw),
        };
    }

    /// <summary>A text column read a page at a time: its rows must be asked for in order, as <see cref="ReadAll"/> does.</summary>
    private sealed class Paged(TextColumnPages pages) : Chunk
    {
        private int _next;

        public override string? Text(int row)
        {
            if (row != _next++) throw new InvalidOperationException($"row {row} asked for after row {_next - 2}: a paged column is read in order");
            return pages.Next();
        }

        public override void Dispose()
        {
        }
    }

    /// <summary>A column of a type read as no text: every row null.</summary>
    private sealed class Nothing(RawColumnData raw) : Chunk
    {
        public override string? Text(int row) => null;
        public override void Dispose() => raw.Dispose();
    }

    private sealed class Of<T> : Chunk where T : struct
    {
        private readonly RawColumnData<T> _raw;
        private readonly Func<T, string> _text;
        /// <summary>Per row, where its value starts among the decoded values and how many it has (a list's items); -1 for null.</summary>
        private readonly int[] _start, _count;
        private readonly bool _flat;

        public Of(RawColumnData<T> raw, DataField field, int rows, Func<T, string> text)
        {
            (_raw, _text) = (raw, text);
            _start = new int[rows];
            _count = new int[rows];
            if (field.MaxRepetitionLevel == 0)
            {
                _flat = true;
                var defined = field.MaxDefinitionLevel == 0 ? default : raw.DefinitionLevels;
                for (int r = 0, v = 0; r < rows; r++)
                {
                    if (defined.IsEmpty || defined[r] == field.MaxDefinitionLevel) (_start[r], _count[r]) = (v++, 1);
                    else _start[r] = -1;
                }
                return;
            }
            // A list: a repetition level of 0 starts the next row; only slots at the full definition level hold an item.
            var levels = raw.RepetitionLevels;
            var definitions = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels : default;
            int row = -1, next = 0;
            for (int k = 0; k < levels.Length; k++)
            {
                if (levels[k] == 0 && ++row < rows) _start[row] = next;
                if (definitions.IsEmpty || definitions[k] == field.MaxDefinitionLevel)
                {
                    next++;
                    if (row >= 0 && row < rows) _count[row]++;
                }
            }
        }

        public override string? Text(int row)
        {
            if (_flat) return _start[row] < 0 ? null : _text(_raw.Values[_start[row]]);
            if (_count[row] == 0) return null;
            if (_count[row] == 1) return _text(_raw.Values[_start[row]]);
            var items = new string[_count[row]];
            for (int i = 0; i < items.Length; i++) items[i] = _text(_raw.Values[_start[row] + i]);
            return string.Join(';', items);
        }

        public override void Dispose() => _raw.Dispose();
    }

    private static string Short(Exception e) => e.Message.Split('\n')[0].Trim().TrimEnd('.');

    public void Dispose()
    {
        _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Dispose();
        foreach (var b in _buffers) b.Dispose();
    }
}
