using System.Collections.Concurrent;

namespace Classifier.Core.Features;

/// <summary>
/// A fitted vocabulary of word and character n-grams with their inverse document frequencies. It maps any
/// text to a sparse, L2-normalised vector: word features first, then character features, each block
/// normalised on its own so that neither dominates (the same scheme as a scikit-learn FeatureUnion).
/// Thread-safe for <see cref="Transform"/> as long as each thread brings its own <see cref="Workspace"/>.
/// </summary>
public sealed partial class TextFeaturizer
{
    private readonly HashIndex _index;
    private readonly float[] _idf;
    private readonly string?[] _names;

    public FeaturizerOptions Options { get; }
    public int WordFeatureCount { get; }
    public int Dimension => _idf.Length;

    /// <summary>Readable n-gram of each feature ("new york" for words, "[ ne]" for characters); null when unknown.</summary>
    public IReadOnlyList<string?> FeatureNames => _names;

    private TextFeaturizer(FeaturizerOptions options, HashIndex index, float[] idf, string?[] names, int wordFeatures)
    {
        Options = options;
        _index = index;
        _idf = idf;
        _names = names;
        WordFeatureCount = wordFeatures;
    }

    /// <summary>Scratch buffers for one thread.</summary>
    public sealed class Workspace
    {
        internal readonly NgramExtractor Extractor;
        internal readonly List<ulong> Words = new();
        internal readonly List<ulong> Chars = new();
        internal int[] Ids = new int[1024];

        public Workspace(FeaturizerOptions options) => Extractor = new NgramExtractor(options);
    }

    public Workspace CreateWorkspace() => new(Options);

    public static TextFeaturizer Fit(IReadOnlyList<string> texts, FeaturizerOptions options, int threads, CancellationToken cancel = default)
    {
        options.Validate();
        var wordDf = new ConcurrentBag<Dictionary<ulong, int>>();
        var charDf = new ConcurrentBag<Dictionary<ulong, int>>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel };
        Parallel.ForEach(Partitioner.Create(0, texts.Count, Math.Max(64, texts.Count / (threads * 8 + 1))), parallel,
            () => (ws: new Workspace(options), words: new Dictionary<ulong, int>(), chars: new Dictionary<ulong, int>()),
            (range, _, local) =>
            {
                for (int i = range.Item1; i < range.Item2; i++)
                {
                    local.ws.Words.Clear();
                    local.ws.Chars.Clear();
                    local.ws.Extractor.Extract(texts[i], local.ws.Words, local.ws.Chars);
                    CountDistinct(local.ws.Words, local.words);
                    CountDistinct(local.ws.Chars, local.chars);
                }
                return local;
            },
            local => { wordDf.Add(local.words); charDf.Add(local.chars); });

        var minDf = options.EffectiveMinDf(texts.Count);
        var words = Merge(wordDf, minDf.Words);
        var chars = Merge(charDf, minDf.Chars);
        if (options.MaxFeatures > 0 && words.Count + chars.Count > options.MaxFeatures)
            (words, chars) = KeepMostFrequent(words, chars, options.MaxFeatures);

        // Frequent n-grams first: the weights that nearly every document touches then share a few cache lines,
        // which speeds the solver's sparse dot products. Ties break on the hash, so the order never depends on
        // thread scheduling.
        static int ByFalling((ulong Hash, int Df) a, (ulong Hash, int Df) b) => a.Df != b.Df ? b.Df.CompareTo(a.Df) : a.Hash.CompareTo(b.Hash);
        words.Sort(ByFalling);
        chars.Sort(ByFalling);
        var ordered = words.Concat(chars).ToList();
        var index = new HashIndex(ordered.Select(x => x.Hash).ToList());
        var n = texts.Count;
        // Smoothed idf, as scikit-learn computes it: ln((1 + n) / (1 + df)) + 1.
        var idf = ordered.Select(x => options.Weighting == Weighting.Tf ? 1f : (float)(Math.Log((1.0 + n) / (1.0 + x.Df)) + 1.0)).ToArray();
        var names = new string?[idf.Length];
        var featurizer = new TextFeaturizer(options, index, idf, names, words.Count);
        featurizer.CollectNames(texts, parallel);
        return featurizer;
    }

    private static void CountDistinct(List<ulong> hashes, Dictionary<ulong, int> df)
    {
        if (hashes.Count == 0) return;
        hashes.Sort();
        var prev = hashes[0];
        Increment(df, prev);
        for (int i = 1; i < hashes.Count; i++)
        {
            var h = hashes[i];
            if (h == prev) continue;
            Increment(df, h);
            prev = h;
        }
    }

    private static void Increment(Dictionary<ulong, int> df, ulong h)
    {
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(df, h, out _)++;
    }

    private static List<(ulong Hash, int Df)> Merge(IEnumerable<Dictionary<ulong, int>> parts, int minDf)
    {
        Dictionary<ulong, int>? total = null;
        foreach (var part in parts.OrderByDescending(p => p.Count))
        {
            if (total is null) { total = part; continue; }
            foreach (var (h, c) in part)
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(total, h, out _) += c;
        }
        var kept = new List<(ulong, int)>();
        if (total is null) return kept;
        foreach (var (h, c) in total)
            if (c >= minDf) kept.Add((h, c));
        return kept;
    }

    private static (List<(ulong, int)>, List<(ulong, int)>) KeepMostFrequent(List<(ulong Hash, int Df)> words, List<(ulong Hash, int Df)> chars, int max)
    {
        var all = words.Select(w => (w.Hash, w.Df, Word: true)).Concat(chars.Select(c => (c.Hash, c.Df, Word: false)))
            .OrderByDescending(x => x.Df).ThenBy(x => x.Hash).Take(max).ToList();
        return (all.Where(x => x.Word).Select(x => (x.Hash, x.Df)).ToList(),
                all.Where(x => !x.Word).Select(x => (x.Hash, x.Df)).ToList());
    }

    private void CollectNames(IReadOnlyList<string> texts, ParallelOptions parallel)
    {
        var names = _names;
        var index = _index;
        var sink = new FeatureNameSink(index, names);
        Parallel.ForEach(Partitioner.Create(0, texts.Count), parallel, () => new Workspace(Options), (range, _, ws) =>
        {
            for (int i = range.Item1; i < range.Item2; i++)
            {
                ws.Words.Clear();
                ws.Chars.Clear();
                ws.Extractor.Extract(texts[i], ws.Words, ws.Chars, sink);
            }
            return ws;
        }, _ => { });
    }

    /// <summary>Fills each kept feature's name once; racing threads write the same string, so no lock is needed.</summary>
    private sealed class FeatureNameSink(HashIndex index, string?[] names) : NgramExtractor.NameSink
    {
        public override bool Wants(ulong hash) => index.TryGetValue(hash, out var id) && names[id] is null;

        public override void Name(ulong hash, string name)
        {
            if (index.TryGetValue(hash, out var id)) names[id] = name;
        }
    }

    /// <summary>Featurizes one document. Allocates only the returned arrays.</summary>
    public SparseVector Transform(string text, Workspace ws)
    {
        ws.Words.Clear();
        ws.Chars.Clear();
        ws.Extractor.Extract(text, ws.Words, ws.Chars);
        var total = ws.Words.Count + ws.Chars.Count;
        if (ws.Ids.Length < total) ws.Ids = new int[Math.Max(total, ws.Ids.Length * 2)];
        var ids = ws.Ids;
        int m = 0;
        foreach (var h in ws.Words) if (_index.TryGetValue(h, out var id)) ids[m++] = id;
        foreach (var h in ws.Chars) if (_index.TryGetValue(h, out var id)) ids[m++] = id;
        if (m == 0) return new SparseVector(Array.Empty<int>(), Array.Empty<float>());
        Array.Sort(ids, 0, m);

        int distinct = 1;
        for (int i = 1; i < m; i++) if (ids[i] != ids[i - 1]) distinct++;
        var outIdx = new int[distinct];
        var outVal = new float[distinct];
        int o = -1;
        for (int i = 0; i < m; i++)
        {
            if (o < 0 || outIdx[o] != ids[i]) { o++; outIdx[o] = ids[i]; outVal[o] = 0; }
            outVal[o] += 1;
        }
        Weigh(outIdx, outVal);
        return new SparseVector(outIdx, outVal);
    }

    private void Weigh(int[] idx, float[] val)
    {
        double wordNorm = 0, charNorm = 0;
        int split = 0;
        for (int i = 0; i < idx.Length; i++)
        {
            var tf = val[i];
            float w = Options.Weighting switch
            {
                Weighting.Idf => _idf[idx[i]],
                _ => (Options.SublinearTf ? 1f + MathF.Log(tf) : tf) * _idf[idx[i]],
            };
            val[i] = w;
            if (idx[i] < WordFeatureCount) { wordNorm += w * w; split = i + 1; }
            else charNorm += w * w;
        }
        // The word block gets norm 1 and the character block norm CharWeight, then the whole vector is scaled
        // to norm 1, so CharWeight sets how much the character n-grams count against the words.
        double wordShare = wordNorm > 0 ? 1 : 0, charShare = charNorm > 0 ? Options.CharWeight : 0;
        var total = Math.Sqrt(wordShare * wordShare + charShare * charShare);
        if (total == 0) return;
        var ws = wordNorm > 0 ? (float)(wordShare / total / Math.Sqrt(wordNorm)) : 0f;
        var cs = charNorm > 0 ? (float)(charShare / total / Math.Sqrt(charNorm)) : 0f;
        for (int i = 0; i < split; i++) val[i] *= ws;
        for (int i = split; i < val.Length; i++) val[i] *= cs;
    }
}
