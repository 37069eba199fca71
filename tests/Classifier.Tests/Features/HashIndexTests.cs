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

/// <summary>The batched look-up (a document's word bigrams): the same answer as one key at a time, in the same order.</summary>
public sealed class HashIndexBatchTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 40)]      // an empty index: every key absent
    [InlineData(1, 3)]       // fewer keys than any look-ahead
    [InlineData(300, 17)]
    [InlineData(20_000, 2_000)]
    public void Lookup_GivesEachKeysValue_OrMinusOne_InOrder(int indexed, int lookups)
    {
        var random = new Random(11);
        ulong RandomKey() => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
        var keys = new HashSet<ulong>();
        while (keys.Count < indexed) keys.Add(RandomKey());
        var ordered = keys.ToArray();
        var index = new HashIndex(ordered);
        // Present and absent keys mixed, repeats included, as a document's bigrams come; absent ones over all 64 bits,
        // so that they reach both halves of the filter.
        var probe = new ulong[lookups];
        for (int i = 0; i < lookups; i++)
            probe[i] = ordered.Length == 0 || random.Next(3) == 0 ? RandomKey() : ordered[random.Next(ordered.Length)];
        var values = Enumerable.Repeat(123, lookups + 2).ToArray();
        var passed = new int[lookups];
        index.Lookup(probe, values, passed);
        for (int i = 0; i < lookups; i++)
        {
            var expected = index.TryGetValue(probe[i], out var id) ? id : -1;
            Assert.Equal(expected, values[i]);
            if (ordered.Length > 0 && keys.Contains(probe[i])) Assert.Equal(Array.IndexOf(ordered, probe[i]), values[i]);
        }
        Assert.Equal([123, 123], values[lookups..]);
    }

    [Fact]
    public void Lookup_RefusesTooLittleRoom()
    {
        var index = new HashIndex([1UL, 2UL]);
        Assert.Throws<ArgumentException>(() => index.Lookup([1UL, 2UL], new int[1], new int[2]));
        Assert.Throws<ArgumentException>(() => index.Lookup([1UL, 2UL], new int[2], new int[1]));
    }
}
