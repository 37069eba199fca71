using Classifier.Core.Features;

namespace Classifier.Tests.Features;

public class TermTableTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TakeKeys_GivesEachTermsHashById_AndLeavesTheTableEmpty(bool collect)
    {
        var table = new TermTable();
        // Enough terms to grow the table past its first size, spread keys, and a few hundred that collide in the low bits.
        var keys = Enumerable.Range(0, 100_000).Select(i => i < 300 ? (ulong)i << 20 | 7 : (ulong)i * 0x9E3779B97F4A7C15UL).ToArray();
        foreach (var k in keys) table.GetOrAdd(k, out _);
        Assert.Equal(0, table.GetOrAdd(keys[0], out var added));
        Assert.False(added);

        var taken = table.TakeKeys(collect);
        Assert.Equal(keys, taken);
        Assert.Equal(0, table.Count);
        Assert.False(table.TryGet(keys[5], out _));
        // What is added afterwards starts again from id 0.
        Assert.Equal(0, table.GetOrAdd(42, out added));
        Assert.True(added);
    }
}
