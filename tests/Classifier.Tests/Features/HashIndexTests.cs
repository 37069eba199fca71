using Classifier.Core.Features;

namespace Classifier.Tests.Features;

/// <summary>The feature index: every key finds its own id, and no absent key finds one, whether the filter turns it away or passes it on to the table.</summary>
public sealed class HashIndexTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(5_000, false)]
    [InlineData(5_000, true)]
    public void KeysFindTheirIds_AndAbsentKeysFindNothing(int count, bool lazy)
    {
        var random = new Random(7);
        var keys = new HashSet<ulong>();
        while (keys.Count < count) keys.Add((ulong)random.NextInt64() ^ ((ulong)random.Next() << 63));
        var ordered = keys.ToArray();
        var index = new HashIndex(ordered, lazy);
        for (int i = 0; i < ordered.Length; i++)
        {
            Assert.True(index.TryGetValue(ordered[i], out var id));
            Assert.Equal(i, id);
        }
        // 200,000 absent keys against a filter of 8 bits a key: thousands pass it and must be refused by the table.
        var absent = 0;
        for (int i = 0; i < 200_000; i++)
        {
            var k = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
            if (keys.Contains(k)) continue;
            absent++;
            Assert.False(index.TryGetValue(k, out var none));
            Assert.Equal(-1, none);
        }
        Assert.True(absent > 199_000);
    }

    [Fact]
    public void KeysSharingTheirHighBits_OrTheirLowBits_AreToldApart()
    {
        // The filter reads the high bits and the table the low bits: keys equal in either half must still be told apart.
        ulong[] keys = [0xABCD_0000_0000_0001, 0xABCD_0000_0000_0002, 0x1111_0000_0000_0001, 0xABCD_FFFF_0000_0001];
        var index = new HashIndex(keys);
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.True(index.TryGetValue(keys[i], out var id));
            Assert.Equal(i, id);
        }
        Assert.False(index.TryGetValue(0xABCD_0000_0000_0003, out _));
        Assert.False(index.TryGetValue(0x2222_0000_0000_0001, out _));
        Assert.Throws<ArgumentException>(() => new HashIndex([5UL, 5UL]));
    }

    [Fact]
    public void ManyKeysInOneBucket_AreAllFound_AndADuplicateAmongThemIsRefused()
    {
        // A bucket is the key's low bits: 50 keys with the same low 32 bits share one, however many buckets there are.
        var keys = Enumerable.Range(1, 50).Select(i => ((ulong)i << 40) | 0x1234_5678UL).ToArray();
        var index = new HashIndex(keys);
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.True(index.TryGetValue(keys[i], out var id));
            Assert.Equal(i, id);
        }
        Assert.False(index.TryGetValue((51UL << 40) | 0x1234_5678UL, out _));
        Assert.Throws<ArgumentException>(() => new HashIndex([.. keys, keys[0]]));
        Assert.False(new HashIndex(Array.Empty<ulong>()).TryGetValue(0, out var none));
        Assert.Equal(-1, none);
    }
}
