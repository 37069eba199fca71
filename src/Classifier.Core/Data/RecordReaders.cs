using System.IO.Compression;
using System.Text;

namespace Classifier.Core.Data;

/// <summary>Opens the right <see cref="IRecordReader"/> for a path and format, and holds what the readers share.</summary>
public static class RecordReaders
{
    /// <summary>The name used in messages for standard input.</summary>
    public const string StdinName = "stdin";

    /// <summary>
    /// Opens <paramref name="path"/> ("-" is standard input, taken from <paramref name="stdin"/>) as
    /// <paramref name="format"/>; <see cref="DataFormat.Auto"/> is resolved from the path. Paths ending in ".gz" are
    /// decompressed on the fly. <paramref name="labelled"/> only matters for folders (label sub-folders or a plain tree).
    /// </summary>
    public static IRecordReader Open(string path, DataFormat format, bool labelled = true, Func<Stream>? stdin = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InputException("no input path given");

        if (path == "-")
        {
            var fmt = DataFormats.Detect(path, format);
            if (fmt == DataFormat.Dir) throw new InputException("a folder cannot be read from stdin", StdinName);
            if (stdin is null) throw new InputException("reading from stdin is not available here", StdinName);
            return Create(fmt, stdin(), StdinName, labelled, null);
        }

        var isDir = Directory.Exists(path);
        if (!isDir && File.Exists(path) && DataFormats.Detect(path, format) == DataFormat.Parquet) return new ParquetRecordReader(path);
        // Existence first: "no such file" is more useful than "unknown extension" for a mistyped path.
        if (!isDir && !File.Exists(path)) throw new InputException("no such file or folder", path);
        var format2 = DataFormats.Detect(path, format);
        if (format2 == DataFormat.Dir)
        {
            if (!isDir) throw new InputException("expected a folder for --format dir, but this is a file", path);
            return new FolderRecordReader(path, labelled);
        }
        if (isDir)
            throw new InputException($"is a folder, but --format {format2.ToString().ToLowerInvariant()} reads a file; use --format dir for a folder", path);
        // JSON Lines objects may each have other keys: a file is read once ahead for all of them.
        var keys = format2 == DataFormat.Jsonl ? JsonlRecordReader.KeysIfRereadable(path) : null;
        return Create(format2, OpenFile(path), path, labelled, keys);
    }

    /// <summary>
    /// A reader of <paramref name="format"/> over <paramref name="stream"/>, which it disposes (also when it fails).
    /// <paramref name="jsonlKeys"/>: the keys of a JSON Lines input when known (<see cref="JsonlRecordReader.ScanKeys"/>).
    /// </summary>
    public static IRecordReader Create(DataFormat format, Stream stream, string source, bool labelled, IReadOnlyList<string>? jsonlKeys)
    {
        try
        {
            return format switch
            {
                DataFormat.Csv => new CsvRecordReader(stream, source, ','),
                DataFormat.Tsv => new CsvRecordReader(stream, source, '\t'),
                DataFormat.Jsonl => new JsonlRecordReader(stream, source, jsonlKeys),
                DataFormat.FastText => new FastTextRecordReader(stream, source, labelled),
                DataFormat.Txt => new TextLinesRecordReader(stream, source),
                DataFormat.Parquet => throw new InputException("a Parquet file cannot be read from stdin or a pipe: it is read from its end first; give its path", source),
                _ => throw new InputException($"format {format} cannot be read from a stream", source),
            };
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a file for sequential reading, decompressing ".gz", with file-system errors as <see cref="InputException"/>.</summary>
    public static Stream OpenFile(string path)
    {
        FileStream fs;
        try
        {
            // bufferSize 1 = unbuffered: the text and CSV readers above keep their own 64 KB buffers.
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException e) { throw new InputException("permission denied", path, inner: e); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException("no such file or folder", path, inner: e);
        }
        catch (IOException e) { throw new InputException($"cannot open: {e.Message}", path, inner: e); }

        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return fs;
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var n = fs.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            if (n == 2 && (magic[0] != 0x1f || magic[1] != 0x8b))
                throw new InputException("the name ends in .gz but the file is not gzip-compressed", path);
            fs.Position = 0;
            return new CheckedGzipStream(fs);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    // Invalid bytes never throw: they decode to U+FFFD. The readers find them in the bytes, before decoding (a literal
    // U+FFFD is valid text), and report the row instead of failing the file.
    internal static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    internal const int BufferSize = 64 * 1024;

    internal const string InvalidUtf8 = "invalid UTF-8 bytes";

    /// <summary>The row's raw bytes as text for the bad-rows file, decoded no further than <see cref="BadRow.MaxRawChars"/> needs.</summary>
    internal static string RawText(ReadOnlySpan<byte> bytes)
    {
        // Four bytes at most per character: more than this can never be needed.
        if (bytes.Length > BadRow.MaxRawChars * 4) bytes = bytes[..(BadRow.MaxRawChars * 4)];
        return Utf8.GetString(bytes);
    }

    /// <summary>NUL characters break downstream tools (and usually come from binary junk), so they become spaces.</summary>
    internal static string Clean(string s) => s.Contains('\0') ? s.Replace('\0', ' ') : s;

    internal static Dictionary<string, int> IndexOf(IReadOnlyList<string> columns)
    {
        var index = new Dictionary<string, int>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++) index.TryAdd(columns[i], i);
        return index;
    }
}

/// <summary>
/// The fields of one row over a column index shared by all rows of a source, so that a row costs one array
/// instead of a dictionary of its own.
/// </summary>
internal sealed class RowFields : IReadOnlyDictionary<string, string?>
{
    private readonly IReadOnlyList<string> _columns;
    private readonly Dictionary<string, int> _index;
    private readonly string?[] _values;

    public RowFields(IReadOnlyList<string> columns, Dictionary<string, int> index, string?[] values)
    {
        _columns = columns;
        _index = index;
        _values = values;
    }

    public string? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
    public IEnumerable<string> Keys => _columns;
    public IEnumerable<string?> Values => _values;
    public int Count => _columns.Count;
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, out string? value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _values[i];
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var i = 0; i < _columns.Count; i++) yield return new(_columns[i], _values[i]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
