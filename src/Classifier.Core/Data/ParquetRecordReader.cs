using System.Globalization;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

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
    private Scoring.ShardSpec _shard = Scoring.ShardSpec.All;

    public string Source { get; }
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Row groups in the file.</summary>
    public int RowGroupCount => _reader.RowGroupCount;

    /// <summary>Rows in the file, from its footer.</summary>
    public long RowCount { get; }

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
            _reader = ParquetReader.CreateAsync(_stream, new ParquetOptions { TreatByteArrayAsString = true }, leaveStreamOpen: true).GetAwaiter().GetResult();
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
        RowCount = _reader.RowGroups.Sum(g => g.RowCount);
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
            RowGroupsRead++;
            for (int r = 0; r < rows; r++)
            {
                var fields = new Dictionary<string, string?>(Columns.Count, StringComparer.Ordinal);
                for (int c = 0; c < Columns.Count; c++) fields[Columns[c]] = columns[c][r];
                yield return new Record(++line, fields);
            }
        }
    }

    private string?[][] ReadRowGroup(int g, int rows)
    {
        try
        {
            using var group = _reader.OpenRowGroupReader(g);
            var columns = new string?[_fields.Length][];
            for (int c = 0; c < _fields.Length; c++)
            {
                using var raw = group.ReadRawColumnDataBaseAsync(_fields[c]).GetAwaiter().GetResult();
                columns[c] = Texts(raw, _fields[c], rows);
            }
            return columns;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InputException))
        {
            throw new InputException($"row group {g + 1} of {_reader.RowGroupCount} cannot be read: the file is damaged ({Short(e)})", Source, inner: e);
        }
    }

    /// <summary>One text per row: a value as its invariant text, a list's items joined with ';', null for null (or an empty list).</summary>
    private string?[] Texts(RawColumnData raw, DataField field, int rows) => raw switch
    {
        RawColumnData<ReadOnlyMemory<char>> v => Texts(v, field, rows, x => x.ToString()),
        RawColumnData<bool> v => Texts(v, field, rows, x => x ? "true" : "false"),
        RawColumnData<int> v => Texts(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
        RawColumnData<long> v => Texts(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
        RawColumnData<short> v => Texts(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
        RawColumnData<sbyte> v => Texts(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
        RawColumnData<byte> v => Texts(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
        RawColumnData<ushort> v => Texts(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
        RawColumnData<uint> v => Texts(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
        RawColumnData<ulong> v => Texts(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
        RawColumnData<float> v => Texts(v, field, rows, x => x.ToString("R", CultureInfo.InvariantCulture)),
        RawColumnData<double> v => Texts(v, field, rows, x => x.ToString("R", CultureInfo.InvariantCulture)),
        RawColumnData<decimal> v => Texts(v, field, rows, x => x.ToString(CultureInfo.InvariantCulture)),
        RawColumnData<DateTime> v => Texts(v, field, rows, x => x.ToString("O", CultureInfo.InvariantCulture)),
        RawColumnData<DateOnly> v => Texts(v, field, rows, x => x.ToString("O", CultureInfo.InvariantCulture)),
        RawColumnData<TimeOnly> v => Texts(v, field, rows, x => x.ToString("O", CultureInfo.InvariantCulture)),
        RawColumnData<TimeSpan> v => Texts(v, field, rows, x => x.ToString("c", CultureInfo.InvariantCulture)),
        RawColumnData<Guid> v => Texts(v, field, rows, x => x.ToString()),
        RawColumnData<ReadOnlyMemory<byte>> v => Texts(v, field, rows, x => Convert.ToBase64String(x.Span)),
        _ => new string?[rows],
    };

    private static string?[] Texts<T>(RawColumnData<T> raw, DataField field, int rows, Func<T, string> text) where T : struct
    {
        var result = new string?[rows];
        var values = raw.Values;
        if (field.MaxRepetitionLevel == 0)
        {
            if (field.MaxDefinitionLevel == 0)
            {
                for (int r = 0; r < rows; r++) result[r] = text(values[r]);
                return result;
            }
            var defined = raw.DefinitionLevels;
            int v = 0;
            for (int r = 0; r < rows; r++)
                if (defined[r] == field.MaxDefinitionLevel) result[r] = text(values[v++]);
            return result;
        }
        // A list: a repetition level of 0 starts the next row; only slots at the full definition level hold an item.
        var levels = raw.RepetitionLevels;
        var definitions = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels : default;
        var items = new List<string>();
        int row = -1, next = 0;
        for (int k = 0; k < levels.Length; k++)
        {
            if (levels[k] == 0)
            {
                if (row >= 0) result[row] = items.Count > 0 ? string.Join(';', items) : null;
                row++;
                items.Clear();
            }
            if (definitions.IsEmpty || definitions[k] == field.MaxDefinitionLevel) items.Add(text(values[next++]));
        }
        if (row >= 0 && row < rows) result[row] = items.Count > 0 ? string.Join(';', items) : null;
        return result;
    }

    private static string Short(Exception e) => e.Message.Split('\n')[0].Trim().TrimEnd('.');

    public void Dispose()
    {
        _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Dispose();
    }
}
