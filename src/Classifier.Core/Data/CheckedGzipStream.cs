using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Classifier.Core.Data;

/// <summary>
/// Decompresses a .gz file and, at its end, checks the gzip trailer (the CRC-32 and length of the data), because
/// <see cref="GZipStream"/> ends quietly where a truncated file stops, and the half row at the cut would be read as
/// whole. A file of several gzip members (as <c>cat a.gz b.gz</c> makes) is checked the same way: its data as a whole
/// then matches its last trailer only when it has one member, so such a file is refused with a hint to recompress it.
/// </summary>
internal sealed class CheckedGzipStream : ReadOnlyStream
{
    internal const string Damaged = "the .gz file is truncated or damaged: its data does not match the gzip trailer (its CRC-32 and length); " +
        "if it was made by joining several .gz files, recompress it as one (zcat FILE.gz | gzip > whole.gz)";

    private readonly FileStream _file;
    private readonly GZipStream _gzip;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _checked;

    public CheckedGzipStream(FileStream file)
    {
        _file = file;
        _gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        var n = _gzip.Read(buffer);
        if (n > 0)
        {
            _crc.Append(buffer[..n]);
            _length += n;
        }
        else if (!_checked)
        {
            _checked = true;
            CheckTrailer();
        }
        return n;
    }

    private void CheckTrailer()
    {
        // The trailer is the file's last 8 bytes: CRC-32, then the length mod 2^32, both little-endian.
        Span<byte> trailer = stackalloc byte[8];
        if (_file.Length < 18) throw new InvalidDataException(Damaged);
        _file.Position = _file.Length - 8;
        _file.ReadExactly(trailer);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != _crc.GetCurrentHashAsUInt32() || size != (uint)_length) throw new InvalidDataException(Damaged);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
