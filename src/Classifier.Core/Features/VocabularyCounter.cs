namespace Classifier.Core.Features;

/// <summary>
/// Document frequencies of n-gram hashes, in bounded memory. Counts are exact until the table holds more than
/// <see cref="Capacity"/> n-grams; then the rarest are dropped (those seen in at most t documents, with t as small as
/// halves the table), as lossy counting does. An n-gram dropped and seen again later starts from zero, so it can be
/// under-counted by at most <see cref="Floor"/>: only n-grams that rare are ever affected, and they are the ones
/// min-df and the feature budget drop anyway. Corpora the size of 20 Newsgroups never reach the capacity, so their
/// vocabulary is exact. Counting is deterministic: chunks are merged in input order.
/// </summary>
internal sealed class VocabularyCounter(int capacity)
{
    private readonly Dictionary<ulong, int> _df = new();

    /// <summary>N-grams held before the rarest are dropped: about 28 bytes each, so 8M is about 230 MB.</summary>
    public const int DefaultCapacity = 1 << 23;

    public int Capacity { get; } = capacity;

    /// <summary>The largest document frequency dropped so far; 0 while counts are exact.</summary>
    public int Floor { get; private set; }

    public int Count => _df.Count;

    /// <summary>Adds one part of a chunk's counts; <see cref="EndChunk"/> follows the chunk's last part.</summary>
    public void Add(Dictionary<ulong, int> part)
    {
        foreach (var (h, c) in part)
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_df, h, out _) += c;
    }

    /// <summary>Drops the rarest n-grams if the table is over capacity: once per chunk, so that how a chunk was split between threads never matters.</summary>
    public void EndChunk()
    {
        if (_df.Count > Capacity) DropRarest();
    }

    private void DropRarest()
    {
        // The smallest t whose removal brings the table to half its capacity.
        var histogram = new SortedDictionary<int, int>();
        foreach (var c in _df.Values) histogram[c] = histogram.GetValueOrDefault(c) + 1;
        int t = 0, remaining = _df.Count;
        foreach (var (c, n) in histogram)
        {
            if (remaining <= Capacity / 2) break;
            t = c;
            remaining -= n;
        }
        var drop = new List<ulong>();
        foreach (var (h, c) in _df) if (c <= t) drop.Add(h);
        foreach (var h in drop) _df.Remove(h);
        _df.TrimExcess();
        Floor = Math.Max(Floor, t);
    }

    /// <summary>The n-grams seen in at least <paramref name="minDf"/> documents, with their document frequency.</summary>
    public List<(ulong Hash, int Df)> AtLeast(int minDf)
    {
        var kept = new List<(ulong, int)>();
        foreach (var (h, c) in _df)
            if (c >= minDf) kept.Add((h, c));
        return kept;
    }
}
