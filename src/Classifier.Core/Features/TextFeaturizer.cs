using System.Collections.Concurrent;

namespace Classifier.Core.Features;

/// <summary>
/// A fitted vocabulary of word and character n-grams with their document frequencies. It maps any text to a sparse,
/// L2-normalised vector: word features first, then character features, each block normalised on its own so that
/// neither dominates (the same scheme as a scikit-learn FeatureUnion). Thread-safe for <see cref="Transform"/> as
/// long as each thread brings its own <see cref="Workspace"/>.
/// </summary>
public sealed partial class TextFeaturizer
{
    private readonly HashIndex _index;
    private readonly int[] _df;
    private readonly float[] _idf;
    private readonly FeatureNames _names;

    public FeaturizerOptions Options { get; }
    public int WordFeatureCount { get; }
    public int Dimension => _idf.Length;

    /// <summary>Documents the vocabulary was fitted on: the n of the idf.</summary>
    public int Documents { get; }

    /// <summary>Readable n-gram of each feature ("new york" for words, "[ ne]" for characters); null when unknown.</summary>
    public FeatureNames FeatureNames => _names;

    /// <summary>In how many training documents each feature occurs.</summary>
    public IReadOnlyList<int> DocumentFrequencies => _df;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private TextFeaturizer(FeaturizerOptions options, HashIndex index, int[] df, FeatureNames names, int wordFeatures, int documents)
    {
        Options = options;
        _index = index;
        _df = df;
        _names = names;
        WordFeatureCount = wordFeatures;
        Documents = documents;
        // Smoothed idf, as scikit-learn computes it: ln((1 + n) / (1 + df)) + 1.
        _idf = new float[df.Length];
        for (int i = 0; i < df.Length; i++) _idf[i] = options.Weighting == Weighting.Tf ? 1f : (float)(Math.Log((1.0 + documents) / (1.0 + df[i])) + 1.0);
    }

    public Workspace CreateWorkspace() => new(Options, Dimension);

    public static TextFeaturizer Fit(IReadOnlyList<string> texts, FeaturizerOptions options, int threads, CancellationToken cancel = default)
    {
        options.Validate();
        var wordDf = new ConcurrentBag<Dictionary<ulong, int>>();
        var charDf = new ConcurrentBag<Dictionary<ulong, int>>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel };
        Parallel.ForEach(Partitioner.Create(0, texts.Count, Math.Max(64, texts.Count / (threads * 8 + 1))), parallel,
            () => (ws: new Workspace(options, 0), words: new Dictionary<ulong, int>(), chars: new Dictionary<ulong, int>()),
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
        var names = new string?[ordered.Count];
        CollectNames(texts, options, index, names, parallel);
        return new TextFeaturizer(options, index, ordered.Select(x => x.Df).ToArray(), Features.FeatureNames.From(names), words.Count, texts.Count);
    }

    /// <summary>
    /// The same featurizer restricted to the features <paramref name="keep"/> (old ids, increasing), numbered in that
    /// order: word features stay first. A document's vector over the kept features is normalised over them alone, as
    /// <see cref="Restrict"/> computes from a full vector.
    /// </summary>
    public TextFeaturizer Prune(IReadOnlyList<int> keep)
    {
        for (int i = 1; i < keep.Count; i++)
            if (keep[i] <= keep[i - 1]) throw new ArgumentException("kept features must be increasing", nameof(keep));
        var hashes = _index.KeysInIndexOrder();
        var words = keep.Count(f => f < WordFeatureCount);
        return new TextFeaturizer(Options, new HashIndex(keep.Select(f => hashes[f]).ToList()), keep.Select(f => _df[f]).ToArray(),
            _names.Subset(keep), words, Documents);
    }

    /// <summary>
    /// A vector of this featurizer mapped onto a pruned one (<paramref name="newId"/>[old] is the new id, or -1): the kept
    /// entries, normalised again. Each block's entries share one scale factor, so this equals featurizing the text
    /// with the pruned featurizer, without reading the text again.
    /// </summary>
    public static SparseVector Restrict(SparseVector v, int[] newId, int newWordCount, double charWeight)
    {
        int m = 0;
        foreach (var f in v.Indices) if (newId[f] >= 0) m++;
        var idx = new int[m];
        var val = new float[m];
        m = 0;
        for (int p = 0; p < v.Count; p++)
        {
            var n = newId[v.Indices[p]];
            if (n < 0) continue;
            idx[m] = n;
            val[m++] = v.Values[p];
        }
        NormalizeBlocks(idx, val, newWordCount, charWeight);
        return new SparseVector(idx, val);
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

    private static void CollectNames(IReadOnlyList<string> texts, FeaturizerOptions options, HashIndex index, string?[] names, ParallelOptions parallel)
    {
        var sink = new FeatureNameSink(index, names);
        Parallel.ForEach(Partitioner.Create(0, texts.Count), parallel, () => new Workspace(options, 0), (range, _, ws) =>
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

    /// <summary>Featurizes one document into a vector with increasing indices.</summary>
    public SparseVector Transform(string text, Workspace ws)
    {
        var m = Accumulate(text, ws);
        ws.Clear(m);
        if (m == 0) return new SparseVector(Array.Empty<int>(), Array.Empty<float>());
        var idx = ws.Touched.AsSpan(0, m).ToArray();
        var val = ws.Values.AsSpan(0, m).ToArray();
        Array.Sort(idx, val);
        return new SparseVector(idx, val);
    }

    /// <summary>
    /// Featurizes one document into the workspace: <see cref="Workspace.Touched"/>[0..count) are its features, in the
    /// order first seen, and <see cref="Workspace.Values"/>[0..count) their values. The caller reads them, then calls
    /// <see cref="Workspace.Clear"/> (or uses <see cref="Transform"/>, which does both).
    /// </summary>
    internal int Accumulate(string text, Workspace ws)
    {
        var counts = ws.Counts;
        var touched = ws.Touched;
        int m = 0;
        var ex = ws.Extractor;
        ex.Tokenize(text);
        var tokens = ex.TokenList;
        // Room for every feature the document can have (distinct ones only, so never more than the vocabulary), so the
        // loops below need no capacity checks.
        long bound = (long)tokens.Count * Options.WordNgrams;
        if (Options.CharNgramsEnabled)
            foreach (var t in tokens)
                if (t.CharGrams) bound += (long)(t.Length + 2) * (Options.CharNgramMax - Options.CharNgramMin + 1);
        bound = Math.Min(bound, Dimension);
        if (touched.Length < bound) ws.Touched = touched = new int[Math.Max((int)bound, touched.Length * 2)];

        var charsOn = Options.CharNgramsEnabled;
        var cache = ws.Cache;
        foreach (var t in tokens)
        {
            if (!charsOn || !t.CharGrams)
            {
                if (t.IsWord && _index.TryGetValue(NgramExtractor.UnigramHash(t.Hash), out var u)) Add(counts, touched, ref m, u);
                continue;
            }
            // One look-up per token: its unigram feature and its character n-gram features, computed once per thread.
            if (!cache.TryGet(t.Hash, out var unigram, out var start, out var length)) (unigram, start, length) = CacheToken(ws, t);
            if (unigram >= 0 && t.IsWord) Add(counts, touched, ref m, unigram);
            var ids = cache.Ids;
            for (int k = start, end = start + length; k < end; k++) Add(counts, touched, ref m, ids[k]);
        }
        if (Options.WordNgrams > 1)
        {
            ws.Words.Clear();
            ex.WordNgrams(ws.Words, null, fromLength: 2);
            foreach (var h in ws.Words) if (_index.TryGetValue(h, out var id)) Add(counts, touched, ref m, id);
        }
        if (ws.Values.Length < m) ws.Values = new float[touched.Length];
        Weigh(touched, m, counts, ws.Values);
        return m;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Add(ushort[] counts, int[] touched, ref int m, int id)
    {
        var c = counts[id];
        if (c == 0) touched[m++] = id;
        if (c != ushort.MaxValue) counts[id] = (ushort)(c + 1);
    }

    private (int Unigram, int Start, int Length) CacheToken(Workspace ws, NgramExtractor.Token t)
    {
        ws.Chars.Clear();
        ws.Extractor.CharNgrams(ws.Extractor.Text(t), ws.Chars);
        var ids = ws.CharIds;
        ids.Clear();
        foreach (var h in ws.Chars) if (_index.TryGetValue(h, out var id)) ids.Add(id);
        var unigram = _index.TryGetValue(NgramExtractor.UnigramHash(t.Hash), out var u) ? u : -1;
        var start = ws.Cache.Add(t.Hash, unigram, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids));
        return (unigram, start, ids.Count);
    }

    /// <summary>The counts of the touched features become their normalised weights, <paramref name="values"/>[i] for touched[i].</summary>
    private void Weigh(int[] touched, int m, ushort[] counts, float[] values)
    {
        double wordNorm = 0, charNorm = 0;
        var weighting = Options.Weighting;
        var sublinear = Options.SublinearTf;
        for (int i = 0; i < m; i++)
        {
            var f = touched[i];
            var tf = counts[f];
            float w = weighting == Weighting.Idf ? _idf[f] : (sublinear ? SublinearTf(tf) : tf) * _idf[f];
            values[i] = w;
            if (f < WordFeatureCount) wordNorm += w * w; else charNorm += w * w;
        }
        var (ws, cs) = BlockScales(wordNorm, charNorm, Options.CharWeight);
        for (int i = 0; i < m; i++) values[i] *= touched[i] < WordFeatureCount ? ws : cs;
    }

    private static readonly float[] LogTable = Enumerable.Range(0, 256).Select(i => i == 0 ? 0f : 1f + MathF.Log(i)).ToArray();

    private static float SublinearTf(int tf) => tf < LogTable.Length ? LogTable[tf] : 1f + MathF.Log(tf);

    /// <summary>
    /// The factors for each block: the word block gets norm 1 and the character block norm CharWeight, then the whole
    /// vector is scaled to norm 1, so CharWeight sets how much the character n-grams count against the words.
    /// </summary>
    private static (float Words, float Chars) BlockScales(double wordNorm, double charNorm, double charWeight)
    {
        double wordShare = wordNorm > 0 ? 1 : 0, charShare = charNorm > 0 ? charWeight : 0;
        var total = Math.Sqrt(wordShare * wordShare + charShare * charShare);
        if (total == 0) return (0, 0);
        return (wordNorm > 0 ? (float)(wordShare / total / Math.Sqrt(wordNorm)) : 0f,
                charNorm > 0 ? (float)(charShare / total / Math.Sqrt(charNorm)) : 0f);
    }

    private static void NormalizeBlocks(int[] idx, float[] val, int wordCount, double charWeight)
    {
        double wordNorm = 0, charNorm = 0;
        for (int i = 0; i < idx.Length; i++)
            if (idx[i] < wordCount) wordNorm += (double)val[i] * val[i]; else charNorm += (double)val[i] * val[i];
        var (ws, cs) = BlockScales(wordNorm, charNorm, charWeight);
        for (int i = 0; i < idx.Length; i++) val[i] *= idx[i] < wordCount ? ws : cs;
    }
}
