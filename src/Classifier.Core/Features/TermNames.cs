using System.Runtime.InteropServices;

namespace Classifier.Core.Features;

/// <summary>
/// What the counting pass keeps so that features can be named after it, without the texts: each distinct token's
/// text (which names its unigram and, cut again, its character n-grams) and, for word n-grams of two words or more,
/// each document's sequence of word hashes (8 bytes a word; held only when such n-grams are made).
/// </summary>
internal sealed class TermNames(FeaturizerOptions options, int documents)
{
    private readonly Dictionary<ulong, string> _tokens = new();
    private readonly ulong[]?[]? _words = options.WordNgrams > 1 ? new ulong[documents][] : null;

    /// <summary>Whether the token with this hash is known (safe from many threads while nothing is merged).</summary>
    public bool Has(ulong tokenHash) => _tokens.ContainsKey(tokenHash);

    /// <summary>Adds tokens met by a thread; one at a time.</summary>
    public void Merge(List<(ulong Hash, string Text)> tokens)
    {
        foreach (var (h, text) in tokens) _tokens.TryAdd(h, text);
    }

    /// <summary>Keeps a document's word hashes, when word n-grams need them; each row from one thread only.</summary>
    public void KeepWords(int row, IReadOnlyList<ulong> hashes)
    {
        if (_words is null) return;
        var a = new ulong[hashes.Count];
        for (int i = 0; i < a.Length; i++) a[i] = hashes[i];
        _words[row] = a;
    }

    /// <summary>Every feature's readable name, as <see cref="TextFeaturizer.WithNames(IReadOnlyList{string}, int, CancellationToken)"/> finds them from texts.</summary>
    public FeatureNames Name(TextFeaturizer featurizer)
    {
        var names = featurizer.NewNames();
        var sink = featurizer.NameSink(names);
        var extractor = new NgramExtractor(options);
        var scratch = new List<ulong>();
        foreach (var (tokenHash, text) in _tokens)
        {
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
        foreach (var words in _words!)
        {
            if (words is null) continue;
            for (int i = 0; i < words.Length; i++)
            {
                var g = words[i];
                for (int len = 2; len <= n && i + len <= words.Length; len++)
                {
                    g = NgramHash.Combine(g, words[i + len - 1]);
                    var h = NgramHash.Mix(g ^ (NgramHash.WordSeed + (ulong)len));
                    if (featurizer.TryGetFeature(h, out var f) && names[f] is null)
                        names[f] = string.Join(' ', Enumerable.Range(i, len).Select(k => _tokens[words[k]]));
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="featurizer"/> with every feature named: called once the model's features are chosen, so that
    /// only the kept ones (200,000 of 1.4 million on 20 Newsgroups) cost a string.
    /// </summary>
    public TextFeaturizer Named(TextFeaturizer featurizer) => featurizer.WithNames(Name(featurizer));
}
