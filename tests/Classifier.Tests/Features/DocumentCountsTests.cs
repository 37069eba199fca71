using Classifier.Core.Features;
using CsCheck;

namespace Classifier.Tests.Features;

/// <summary>The counting pass's per-document counts (DocumentCounts) and the radix sort that orders them.</summary>
public sealed class DocumentCountsTests
{
    [Fact]
    public void Repeats_add_up_and_come_out_once_in_id_order()
    {
        var counts = new DocumentCounts();
        foreach (var (term, count) in new[] { (7, 1), (3, 2), (7, 1), (0, 5), (1_000_000, 1), (3, 1) }) counts.Add(term, count);
        Assert.Equal(4, counts.Count);
        var (terms, values) = Drain(counts);
        Assert.Equal([0, 3, 7, 1_000_000], terms);
        Assert.Equal([(ushort)5, (ushort)3, (ushort)2, (ushort)1], values);
        Assert.Equal(0, counts.Count);
        var (none, noCounts) = Drain(counts);
        Assert.Empty(none);
        Assert.Empty(noCounts);
    }

    [Fact]
    public void A_count_saturates_at_65535()
    {
        var counts = new DocumentCounts();
        counts.Add(9, 60_000);
        counts.Add(9, 10_000);
        counts.Add(4, 70_000);
        var (terms, values) = Drain(counts);
        Assert.Equal([4, 9], terms);
        Assert.Equal([ushort.MaxValue, ushort.MaxValue], values);
    }

    [Fact]
    public void Saturated_counts_and_the_largest_id_survive_the_table_growing()
    {
        var counts = new DocumentCounts();
        counts.Add(int.MaxValue, 2);
        counts.Add(5, 65_000);
        counts.Add(5, 1_000);
        // 5,000 more distinct terms: the first table (4,096 slots) grows twice with both already in it.
        for (int t = 1_000; t < 6_000; t++) counts.Add(t, 1);
        counts.Add(int.MaxValue, 1);
        var (terms, values) = Drain(counts);
        Assert.Equal(5_002, terms.Count);
        Assert.Equal((5, ushort.MaxValue), (terms[0], values[0]));
        Assert.Equal((int.MaxValue, (ushort)3), (terms[^1], values[^1]));
        Assert.All(values.Skip(1).SkipLast(1), v => Assert.Equal(1, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => counts.Add(-1, 1));
    }

    [Fact]
    public void Agrees_with_a_dictionary_over_documents_of_any_size_one_after_another()
    {
        // Documents far larger than the first table (4,096 slots) make it grow; the same table then serves the next ones
        // (one thread: the samples share it, as the documents of one counting thread do).
        var counts = new DocumentCounts();
        Gen.Int[0, 3].SelectMany(range => Gen.Select(Gen.Int[0, new[] { 50, 5_000, 1 << 20, int.MaxValue - 1 }[range]], Gen.Int[1, 3]).Array[0, 12_000])
            .Sample(document =>
            {
                var expected = new SortedDictionary<int, int>();
                foreach (var (term, count) in document)
                {
                    counts.Add(term, count);
                    expected[term] = Math.Min(ushort.MaxValue, expected.GetValueOrDefault(term) + count);
                }
                var (terms, values) = Drain(counts);
                Assert.Equal(expected.Keys, terms);
                Assert.Equal(expected.Values.Select(v => (ushort)v), values);
            }, iter: 60, threads: 1);
    }

    [Fact]
    public void The_radix_sort_agrees_with_the_library_sort_and_moves_the_values_along()
    {
        var sort = new RadixSort(); // shared by the samples, on one thread, as by a counting thread's documents
        Gen.Int[0, 3].SelectMany(range => Gen.Int[0, new[] { 255, 65_535, 1 << 24, int.MaxValue }[range]].Array[0, 5_000])
            .Sample(keys =>
            {
                // Each value a function of its key, so that a value left behind by its key shows.
                var values = keys.Select(k => (ushort)(k * 31 + 7)).ToArray();
                var order = Enumerable.Range(0, keys.Length).OrderBy(i => keys[i]).ToArray();
                var expectedKeys = order.Select(i => keys[i]).ToArray();
                var expectedValues = order.Select(i => values[i]).ToArray();
                sort.Sort(keys, values);
                Assert.Equal(expectedKeys, keys);
                Assert.Equal(expectedValues, values);
            }, iter: 200, threads: 1);
    }

    [Fact]
    public void The_radix_sort_refuses_negative_keys_whatever_their_number()
    {
        foreach (var n in new[] { 5, 100 })
        {
            var keys = Enumerable.Range(0, n).Select(i => n - i).ToArray();
            keys[n / 2] = -1;
            Assert.Throws<ArgumentOutOfRangeException>(() => new RadixSort().Sort(keys, new ushort[keys.Length]));
        }
    }

    private static (List<int> Terms, List<ushort> Counts) Drain(DocumentCounts counts)
    {
        var terms = new List<int>();
        var values = new List<ushort>();
        counts.Drain(terms, values);
        return (terms, values);
    }
}
