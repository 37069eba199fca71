namespace Classifier.Core.Features;

/// <summary>
/// One thread's table of the tokens it has seen: for each, its word unigram feature and its character n-gram features,
/// so that a token costs one look-up instead of one per n-gram (fastText precomputes subword ids per word the same
/// way). Keys are the tokens' 64-bit hashes. The table fills as documents stream by and starts again when it is full,
/// so its memory stays bounded however many distinct tokens a run meets.
/// </summary>
internal sealed class TokenCache
{
    /// <summary>Tokens held before the table starts again: enough for the working vocabulary of a news archive.</summary>
    public const int MaxTokens = 1 << 17;
    /// <summary>Character n-gram ids held in all, about 4 MB.</summary>
    public const int MaxIds = 1 << 20;

    private readonly ulong[] _keys = new ulong[MaxTokens * 2];
    private readonly int[] _slots = new int[MaxTokens * 2]; // entry + 1; 0 = empty
    private readonly int[] _unigram = new int[MaxTokens];
    private readonly int[] _start = new int[MaxTokens + 1];
    private int[] _ids = new int[1 << 14];
    private int _count;
    private const int Mask = MaxTokens * 2 - 1;

    public int Count => _count;

    public bool TryGet(ulong key, out int entry)
    {
        var slot = (int)(key & Mask);
        while (true)
        {
            var s = _slots[slot];
            if (s == 0) { entry = -1; return false; }
            if (_keys[slot] == key) { entry = s - 1; return true; }
            slot = (slot + 1) & Mask;
        }
    }

    public int Unigram(int entry) => _unigram[entry];

    public ReadOnlySpan<int> CharIds(int entry) => new(_ids, _start[entry], _start[entry + 1] - _start[entry]);

    public int Add(ulong key, int unigram, ReadOnlySpan<int> charIds)
    {
        if (_count == MaxTokens || _start[_count] + charIds.Length > MaxIds) Reset();
        var end = _start[_count] + charIds.Length;
        if (end > _ids.Length) Array.Resize(ref _ids, Math.Min(MaxIds, Math.Max(end, _ids.Length * 2)));
        var slot = (int)(key & Mask);
        while (_slots[slot] != 0) slot = (slot + 1) & Mask;
        _keys[slot] = key;
        _slots[slot] = _count + 1;
        _unigram[_count] = unigram;
        charIds.CopyTo(_ids.AsSpan(_start[_count]));
        _start[_count + 1] = end;
        return _count++;
    }

    private void Reset()
    {
        Array.Clear(_slots);
        _count = 0;
    }
}
