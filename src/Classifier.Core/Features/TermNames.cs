using System.Runtime.InteropServices;

namespace Classifier.Core.Features;

/// <summary>
/// What the counting pass keeps so that features can be named after it, without the texts: each distinct token's
/// text (which names its unigram and, cut again, its character n-grams) and, for word n-grams of two words or more,
/// each document's sequence of words as token ids (held only when such n-grams are made), each id coded in as few
/// bytes as it needs, seven bits a byte: tokens are numbered as first met, so the frequent words have small ids, and a
/// word takes under two bytes on average instead of four. On 1 GB of text (160 million words) the sequences held about
/// 650 MB at four bytes a word, from counting until the kept features are named.
/// </summary>
/// <remarks>
/// With a spill file (`train --max-memory`), each chunk's sequences go to it once counted (<see cref="SpillWords"/>),
/// and are read back a chunk at a time to name the features: on 3 GB of text they were about 750 MB of memory.
/// </remarks>
internal sealed class TermNames(FeaturizerOptions options, int documents, Training.SpillFile? spill = null)
{
    /// <summary>Spilled chunks of word sequences: where each starts in the file, its first row, and each row's byte length.</summary>
    private readonly List<(long Offset, int From, int[] Lengths)> _spilled = new();

    private readonly Dictionary<ulong, int> _ids = new();
    private readonly List<ulong> _hashes = new();
    private readonly List<string> _texts = new();
    private readonly byte[]?[]? _words = options.WordNgrams > 1 ? new byte[documents][] : null;


    /// <summary>Whether documents' word sequences are kept (word n-grams of two words or more are made).</summary>
    public bool KeepsWords => _words is not null;

    /// <summary>Whether the token with this hash is known (safe from many threads while nothing is merged).</summary>
    public bool Has(ulong tokenHash) => _ids.ContainsKey(tokenHash);

    /// <summary>Adds tokens met by a thread; one at a time.</summary>
    public void Merge(List<(ulong Hash, string Text)> tokens)
    {
        foreach (var (h, text) in tokens)
        {
            if (!_ids.TryAdd(h, _texts.Count)) continue;
            _texts.Add(text);
            _hashes.Add(h);
        }
    }

    /// <summary>
    /// Keeps a document's words, given by their token hashes, once every one of them is merged; any thread, each row
    /// from one thread only, while nothing is merged.
    /// </summary>
    public void KeepWords(int row, ReadOnlySpan<ulong> hashes)
    {
        if (_words is null) return;
        var ids = System.Buffers.ArrayPool<int>.Shared.Rent(hashes.Length);
        try
        {
            var bytes = 0;
            for (int i = 0; i < hashes.Length; i++)
            {
                ids[i] = _ids[hashes[i]];
                bytes += VarInt.Size(ids[i]);
            }
            var coded = new byte[bytes];
            var at = 0;
            for (int i = 0; i < hashes.Length; i++) at = VarInt.Write(coded, at, ids[i]);
            _words[row] = coded;
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(ids);
        }
    }

    /// <summary>Moves rows [<paramref name="from"/>, <paramref name="to"/>)'s word sequences to the spill file, if there is one.</summary>
    public void SpillWords(int from, int to)
    {
        if (_words is null || spill is null || to <= from) return;
        var lengths = new int[to - from];
        for (int r = from; r < to; r++) lengths[r - from] = _words[r]?.Length ?? 0;
        var data = new byte[lengths.Sum()];
        var at = 0;
        for (int r = from; r < to; r++)
        {
            if (_words[r] is not { } coded) continue;
            coded.CopyTo(data, at);
            at += coded.Length;
            _words[r] = null;
        }
        _spilled.Add((spill.Append(data), from, lengths));
    }

    /// <summary>Each row's coded word sequence (null: none), from memory or, a chunk at a time, from the spill file.</summary>
    private IEnumerable<ReadOnlyMemory<byte>?> CodedWords()
    {
        var next = 0;
        foreach (var (offset, from, lengths) in _spilled)
        {
            for (; next < from; next++) yield return _words![next];
            var data = new byte[lengths.Sum()];
            spill!.Read(offset, data);
            var at = 0;
            foreach (var n in lengths)
            {
                yield return data.AsMemory(at, n);
                at += n;
                next++;
            }
        }
        for (; next < _words!.Length; next++) yield return _words[next];
    }

    /// <summary>Every feature's readable name, as <see cref="TextFeaturizer.WithNames(IReadOnlyList{string}, int, CancellationToken)"/> finds them from texts.</summary>
    public FeatureNames Name(TextFeaturizer featurizer)
    {
        var names = featurizer.NewNames();
        var sink = featurizer.NameSink(names);
        var extractor = new NgramExtractor(options);
        var scratch = new List<ulong>();
        for (int k = 0; k < _texts.Count; k++)
        {
            var (tokenHash, text) = (_hashes[k], _texts[k]);
            if (featurizer.TryGetFeature(NgramExtractor.UnigramHash(tokenHash), out var u) && u < featurizer.WordFeatureCount) names[u] ??= text;
            if (!options.CharNgramsEnabled) continue;
            scratch.Clear();
            extractor.CharNgrams(text, scratch, sink);
        }
        if (_words is not null) NameWordNgrams(featurizer, names);
        return FeatureNames.From(names);
    }

    private void NameWordNgrams(TextFeaturizer featurizer, string?[] names)
    {
        var n = options.WordNgrams;
        var words = new List<int>();
        foreach (var row in CodedWords())
        {
            if (row is not { } memory) continue;
            var coded = memory.Span;
            words.Clear();
            for (int at = 0; at < coded.Length;)
            {
                at = VarInt.Read(coded, at, out var id);
                words.Add(id);
            }
            for (int i = 0; i < words.Count; i++)
            {
                var g = _hashes[words[i]];
                for (int len = 2; len <= n && i + len <= words.Count; len++)
                {
                    g = NgramHash.Combine(g, _hashes[words[i + len - 1]]);
                    var h = NgramHash.Mix(g ^ (NgramHash.WordSeed + (ulong)len));
                    if (featurizer.TryGetFeature(h, out var f) && names[f] is null)
                        names[f] = string.Join(' ', Enumerable.Range(i, len).Select(k => _texts[words[k]]));
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="featurizer"/> with every feature named: called once the model's features are chosen, so that
    /// only the kept ones (200,000 of 1.4 million on 20 Newsgroups) cost a string.
    /// </summary>
    public TextFeaturizer Named(TextFeaturizer featurizer) => featurizer.WithNames(Name(featurizer));

    /// <summary>
    /// <see cref="Named"/>, then lets the tokens and word sequences go (about 5 bytes per byte of text): for the last
    /// naming, done as soon as the kept features are known so that the final solve does not carry them.
    /// </summary>
    public TextFeaturizer NamedOnce(TextFeaturizer featurizer)
    {
        var named = Named(featurizer);
        _ids.Clear();
        _ids.TrimExcess();
        _hashes.Clear();
        _hashes.TrimExcess();
        _texts.Clear();
        _texts.TrimExcess();
        if (_words is not null) Array.Clear(_words);
        _spilled.Clear();
        return named;
    }
}
