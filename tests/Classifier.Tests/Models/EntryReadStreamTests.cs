using Classifier.Core.Models;
using CsCheck;

namespace Classifier.Tests.Models;

/// <summary>The stream the model loader reads a zip entry through: its declared length bounds it, both ways.</summary>
public sealed class EntryReadStreamTests
{
    [Fact]
    public void Reads_of_every_size_give_the_bytes_in_order()
    {
        // Sizes around the 64 KB buffer: byte by byte, small reads, and reads large enough to bypass it.
        Gen.Select(Gen.Int[0, 200_000], Gen.Int[1, 100_000].Array[1, 20]).Sample((size, reads) =>
        {
            var data = new byte[size];
            new Random(size).NextBytes(data);
            using var s = new EntryReadStream(new MemoryStream(data), size, System.IO.Hashing.Crc32.HashToUInt32(data));
            var got = new MemoryStream();
            for (int k = 0; got.Length < size; k++)
            {
                var want = reads[k % reads.Length];
                if (want == 1)
                {
                    got.WriteByte((byte)s.ReadByte());
                    continue;
                }
                var chunk = new byte[want];
                var n = s.Read(chunk);
                Assert.True(n > 0);
                got.Write(chunk, 0, n);
            }
            Assert.Equal(data, got.ToArray());
            Assert.Equal(size, s.Position);
            Assert.Equal(0, s.Read(new byte[10]));
            Assert.Equal(-1, s.ReadByte());
            s.VerifyEnd("x");
        }, iter: 60);
    }

    [Fact]
    public void An_entry_longer_than_declared_is_damaged()
    {
        using var s = new EntryReadStream(new MemoryStream(new byte[12]), 10, 0);
        s.ReadExactly(new byte[10]);
        Assert.Equal(0, s.Read(new byte[1]));
        Assert.Equal("model.bin is longer than its header says", Assert.Throws<InvalidDataException>(() => s.VerifyEnd("model.bin")).Message);
    }

    [Fact]
    public void An_entry_shorter_than_declared_ends_early()
    {
        using var s = new EntryReadStream(new MemoryStream(new byte[10]), 12, 0);
        Assert.Throws<EndOfStreamException>(() => s.ReadExactly(new byte[12]));
    }

    [Fact]
    public void Bytes_that_do_not_match_the_checksum_are_damage()
    {
        var data = new byte[100_000];
        new Random(3).NextBytes(data);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(data);
        data[70_000] ^= 1;
        using var s = new EntryReadStream(new MemoryStream(data), data.Length, crc);
        s.ReadExactly(new byte[data.Length]);
        Assert.Equal("model.bin does not match its checksum (CRC-32)", Assert.Throws<InvalidDataException>(() => s.VerifyEnd("model.bin")).Message);
    }

    [Fact]
    public void Data_left_unread_is_damage()
    {
        using var s = new EntryReadStream(new MemoryStream(new byte[10]), 10, 0);
        s.ReadExactly(new byte[4]);
        Assert.Equal("model.bin has data after its end", Assert.Throws<InvalidDataException>(() => s.VerifyEnd("model.bin")).Message);
    }
}
