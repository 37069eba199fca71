using System.IO.Compression;
using Parquet.Meta;
using Parquet.Schema;

namespace Classifier.Core.Data.ParquetPages;

/// <summary>
/// One row group's text column, decoded a page at a time as its rows are asked for: the common shape of the text that
/// nightly jobs score (a flat, possibly null, byte-array column, plain or dictionary encoded, uncompressed or compressed
/// with Snappy, gzip or Zstandard, in version 1 or 2 data pages). Parquet.Net decodes a whole row group's column at once,
/// which cost four times the CPU of reading the same rows from CSV (most of it not the decompression, which Snappier
/// does at about 1 GB/s) and held every value of the row group in memory; here memory is the column chunk's compressed
/// bytes and one page. Anything else (lists, numbers, other encodings and codecs) is left to Parquet.Net: see
/// <see cref="Supports"/>.
/// </summary>
internal sealed class TextColumnPages
{
    private const int Plain = 0, PlainDictionary = 2, Rle = 3, RleDictionary = 8;

    private readonly byte[] _chunk;
    private readonly int _chunkLength;
    private readonly CompressionCodec _codec;
    private readonly bool _optional;
    private readonly PageBuffers _buffers;
    private readonly long _uncompressedSize; // the chunk's, from its metadata: no page decompresses to more
    private int _rowsLeft; // rows of the row group not yet in a page: no page holds more
    private int _next; // where the next page header starts in the chunk
    private string[]? _dictionary;

    // The current data page: its values (nulls included) left to hand out, its definition levels, and its non-null values,
    // either the plain encoded bytes (from _valuePos in _values) or dictionary indices.
    private int _left, _levelAt, _indexAt, _valuePos;
    private ReadOnlyMemory<byte> _values;
    private bool _dictionaryEncoded;

    /// <summary>Whether this reader handles the column: else Parquet.Net decodes it.</summary>
    public static bool Supports(DataField field, ColumnChunk chunk)
    {
        var meta = chunk.MetaData;
        return meta is not null && chunk.FilePath is null && chunk.CryptoMetadata is null && field.MaxRepetitionLevel == 0 && field.MaxDefinitionLevel <= 1
            && meta.Type == Parquet.Meta.Type.BYTE_ARRAY && (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
            && meta.Codec is CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY or CompressionCodec.GZIP or CompressionCodec.ZSTD
            && meta.Encodings.All(e => (int)e is Plain or PlainDictionary or Rle or RleDictionary);
    }

    /// <summary>Where the column chunk starts in the file (its dictionary page, if any, comes first) and its length.</summary>
    public static (long Offset, long Length) Extent(ColumnChunk chunk)
    {
        var meta = chunk.MetaData!;
        var start = meta.DataPageOffset;
        if (meta.DictionaryPageOffset is long d && d > 0 && d < start) start = d;
        return (start, meta.TotalCompressedSize);
    }

    /// <param name="chunk">The column chunk's bytes, from its first page, in the array's first Length bytes.</param>
    /// <param name="buffers">Working arrays, reused from one page and one row group to the next.</param>
    /// <param name="rows">The row group's rows.</param>
    public TextColumnPages((byte[] Bytes, int Length) chunk, ColumnChunk meta, DataField field, int rows, PageBuffers buffers)
    {
        (_chunk, _chunkLength, _codec, _optional, _buffers) = (chunk.Bytes, chunk.Length, meta.MetaData!.Codec, field.MaxDefinitionLevel == 1, buffers);
        (_uncompressedSize, _rowsLeft) = (meta.MetaData.TotalUncompressedSize, rows);
    }

    /// <summary>The next row's text, or null when the row has none.</summary>
    /// <exception cref="InvalidDataException">The pages are damaged, or end before the row group's rows do.</exception>
    public string? Next()
    {
        while (_left == 0) NextPage();
        _left--;
        if (_optional && _buffers.Levels[_levelAt++] == 0) return null;
        if (_dictionaryEncoded)
        {
            var i = _buffers.Indices[_indexAt++];
            if ((uint)i >= (uint)_dictionary!.Length) throw new InvalidDataException($"a dictionary index {i} past its {_dictionary.Length} entries");
            return _dictionary[i];
        }
        return PlainValue(_values.Span, ref _valuePos);
    }

    private void NextPage()
    {
        if (_next >= _chunkLength) throw new InvalidDataException("the column's pages end before its rows do");
        var (header, headerLength) = PageHeader.Read(_chunk.AsSpan(_next, _chunkLength - _next));
        var bodyAt = _next + headerLength;
        if (header.CompressedSize > _chunkLength - bodyAt) throw new InvalidDataException("a page runs past its column chunk");
        var body = _chunk.AsMemory(bodyAt, header.CompressedSize);
        _next = bodyAt + header.CompressedSize;
        switch (header.Kind)
        {
            case PageKind.Dictionary:
                if (header.Encoding is not (Plain or PlainDictionary)) throw new InvalidDataException($"a dictionary page in encoding {header.Encoding}");
                var entries = Decompress(body, header.UncompressedSize, _buffers.Page);
                // Each entry takes at least its four-byte length: a count beyond that is damage, not a reason to allocate.
                if (header.Values > entries.Length / 4) throw new InvalidDataException($"a dictionary of {header.Values:N0} entries in {entries.Length:N0} bytes");
                _dictionary = new string[header.Values];
                var pos = 0;
                for (int k = 0; k < _dictionary.Length; k++) _dictionary[k] = PlainValue(entries.Span, ref pos);
                return;
            case PageKind.Data:
                var page = Decompress(body, header.UncompressedSize, _buffers.Page);
                var levelsLength = 0;
                if (_optional)
                {
                    if (header.DefinitionEncoding != Rle) throw new InvalidDataException($"definition levels in encoding {header.DefinitionEncoding}");
                    if (page.Length < 4) throw new InvalidDataException("a data page cut short");
                    var n = BitConverter.ToInt32(page.Span);
                    if (n < 0 || n > page.Length - 4) throw new InvalidDataException("definition levels run past their page");
                    levelsLength = 4 + n;
                }
                Start(header, page.Span[..levelsLength], page[levelsLength..], levelsPrefixed: true);
                return;
            case PageKind.DataV2:
                var levels = header.RepetitionBytes + header.DefinitionBytes;
                if (levels > body.Length) throw new InvalidDataException("levels run past their page");
                var values = header.Compressed && _codec != CompressionCodec.UNCOMPRESSED
                    ? Decompress(body[levels..], header.UncompressedSize - levels, _buffers.Page)
                    : body[levels..];
                Start(header, body.Span.Slice(header.RepetitionBytes, header.DefinitionBytes), values, levelsPrefixed: false);
                return;
            default:
                return; // an index page: nothing to read
        }
    }

    /// <summary>Takes a data page: its definition levels (when the column is optional) and its values.</summary>
    private void Start(PageHeader header, ReadOnlySpan<byte> levels, ReadOnlyMemory<byte> values, bool levelsPrefixed)
    {
        var count = header.Values;
        if (count > _rowsLeft) throw new InvalidDataException($"a page of {count:N0} values where {_rowsLeft:N0} rows are left in the row group");
        _rowsLeft -= count;
        var present = count;
        if (_optional)
        {
            var l = _buffers.LevelsFor(count);
            HybridRle.Decode(levelsPrefixed ? levels[4..] : levels, 1, l);
            present = 0;
            foreach (var v in l) if (v != 0) present++;
        }
        _dictionaryEncoded = header.Encoding is PlainDictionary or RleDictionary;
        if (_dictionaryEncoded)
        {
            if (_dictionary is null) throw new InvalidDataException("dictionary indices without a dictionary page");
            // A page of nulls only may end before its bit width.
            if (present > 0)
            {
                if (values.Length < 1) throw new InvalidDataException("dictionary indices without their bit width");
                HybridRle.Decode(values.Span[1..], values.Span[0], _buffers.IndicesFor(present));
            }
        }
        else if (header.Encoding != Plain) throw new InvalidDataException($"values in encoding {header.Encoding}");
        (_left, _levelAt, _indexAt, _valuePos, _values) = (count, 0, 0, 0, values);
    }

    /// <summary>A plain encoded byte array (its length in four bytes, then its bytes) as UTF-8 text.</summary>
    private static string PlainValue(ReadOnlySpan<byte> data, ref int pos)
    {
        if (data.Length - pos < 4) throw new InvalidDataException("a value cut short");
        var n = BitConverter.ToInt32(data.Slice(pos, 4));
        if (n < 0 || n > data.Length - pos - 4) throw new InvalidDataException("a value runs past its page");
        var s = System.Text.Encoding.UTF8.GetString(data.Slice(pos + 4, n));
        pos += 4 + n;
        return s;
    }

    private ReadOnlyMemory<byte> Decompress(ReadOnlyMemory<byte> body, int size, PageBuffers.Bytes into)
    {
        if (size < 0 || size > _uncompressedSize) throw new InvalidDataException($"a page of {size:N0} bytes in a column chunk of {_uncompressedSize:N0}");
        if (_codec == CompressionCodec.UNCOMPRESSED)
            return body.Length == size ? body : throw new InvalidDataException("an uncompressed page whose sizes differ");
        var target = into.For(size);
        int written;
        try
        {
            written = _codec switch
            {
                CompressionCodec.SNAPPY => Snappier.Snappy.Decompress(body.Span, target),
                CompressionCodec.ZSTD => _buffers.Zstd.Unwrap(body.Span, target),
                _ => Gunzip(body, target),
            };
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"a page that does not decompress ({e.Message.Split('\n')[0].TrimEnd('.')})", e);
        }
        if (written != size) throw new InvalidDataException($"a page that decompresses to {written:N0} bytes, not {size:N0}");
        return into.Array.AsMemory(0, size);
    }

    private static int Gunzip(ReadOnlyMemory<byte> body, Span<byte> target)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        using var gzip = new GZipStream(bytes, CompressionMode.Decompress);
        var total = 0;
        int n;
        while (total < target.Length && (n = gzip.Read(target[total..])) > 0) total += n;
        // One byte more than announced is damage too.
        return total == target.Length && gzip.ReadByte() >= 0 ? total + 1 : total;
    }
}
