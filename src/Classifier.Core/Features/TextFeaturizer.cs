using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>The first place feature; the place block runs from here to the end (empty without --places).</summary>
    public int PlaceFeatureStart { get; }

    public FeatureBlocks Blocks => new(WordFeatureCount, PlaceFeatureStart, Options.CharWeight, Options.PlaceWeight);

    /// <summary>
    /// Why this model's place features may fire differently in this build, or null: it was fitted with another
    /// gazetteer than the one built in (an older or newer version of the tool).
    /// </summary>
    public string? PlacesWarning => PlaceFeatureCount > 0 && Options.Gazetteer != Places.Gazetteer.DefaultDigest
        ? $"the model's place features were fitted with gazetteer {Options.Gazetteer ?? "(unrecorded)"}; this version has {Places.Gazetteer.DefaultDigest}, so some places may be recognised differently: train the model again to match"
        : null;
    public int Dimension => _idf.Length;

    /// <summary>Documents the vocabulary was fitted on: the n of the idf.</summary>
    public int Documents { get; }

    /// <summary>Readable n-gram of each feature ("new york" for words, "[ ne]" for characters); null when unknown.</summary>
    public FeatureNames FeatureNames => _names;

    /// <summary>In how many training documents each feature occurs.</summary>
    public IReadOnlyList<int> DocumentFrequencies => _df;

    private TextFeaturizer(FeaturizerOptions options, HashIndex index, int[] df, FeatureNames names, int wordFeatures, int placeFeatures, int documents)
    {
        Options = options;
        _index = index;
        _df = df;
        _names = names;
        WordFeatureCount = wordFeatures;
        PlaceFeatureStart = df.Length - placeFeatures;
        Documents = documents;
        // Smoothed idf, as scikit-learn computes it: ln((1 + n) / (1 + df)) + 1.
        _idf = new float[df.Length];
        for (int i = 0; i < df.Length; i++) _idf[i] = options.Weighting == Weighting.Tf ? 1f : (float)(Math.Log((1.0 + documents) / (1.0 + df[i])) + 1.0);
    }

    /// <summary>A workspace for one thread; with place features, made once the gazetteer is loaded, so no document waits for it.</summary>
    public Workspace CreateWorkspace() => CreateWorkspace(TokenCache.DefaultMaxIds);

    /// <summary>A workspace whose token cache may hold <paramref name="cacheIds"/> character n-gram ids.</summary>
    internal Workspace CreateWorkspace(int cacheIds)
    {
        var ws = new Workspace(Options, Dimension) { CacheIds = cacheIds };
        if (PlaceFeatureCount > 0) _ = ws.Places;
        return ws;
    }

    private int[]? _placeIds;

    /// <summary>
    /// The feature ids of each gazetteer country's four place features (-1 where the vocabulary lacks one), four per
    /// country: a mention then costs no hash look-up. Computed on first use; racing threads compute the same array.
    /// </summary>
    private int[] PlaceIds()
    {
        if (_placeIds is { } ids) return ids;
        var countries = Places.Gazetteer.Default.Countries.Count;
        ids = new int[countries * 4];
        for (int c = 0; c < countries; c++)
        {
            var hashes = Places.PlaceFeatures.HashesOf(c);
            for (int k = 0; k < 4; k++) ids[c * 4 + k] = _index.TryGetValue(hashes[k], out var id) ? id : -1;
        }
        return _placeIds = ids;
    }

    /// <param name="names">Also find every feature's readable name (one more pass); without, see <see cref="WithNames"/>.</param>
    /// <param name="capacity">N-grams each block's counter holds before it drops the rarest (see <see cref="VocabularyCounter"/>).</param>
    public static TextFeaturizer Fit(IReadOnlyList<string> texts, FeaturizerOptions options, int threads, CancellationToken cancel = default,
        bool names = true, IProgress<ProgressUpdate>? progress = null, int capacity = VocabularyCounter.DefaultCapacity)
    {
        options.Validate();
        options = options with { Gazetteer = options.Places ? Places.Gazetteer.DefaultDigest : null };
        var wordDf = new VocabularyCounter(capacity);
        var charDf = new VocabularyCounter(capacity);
        var placeDf = new VocabularyCounter(capacity);
        // Chunks of documents, each counted by every thread, then merged in order: memory stays bounded by the
        // counters' capacity and the result does not depend on the number of threads.
        const int ChunkDocuments = 8192;
        // Each part costs a workspace and three dictionaries, and every chunk waits for all of them: no more parts
        // than documents to count (one per thread was 100,000 of them for 3 documents with --threads 100000).
        var parts = Math.Clamp(ThreadCount.Effective(threads), 1, Math.Max(1, Math.Min(texts.Count, ChunkDocuments)));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = cancel };
        var locals = Enumerable.Range(0, parts).Select(_ => (ws: new Workspace(options, 0), words: new Dictionary<ulong, int>(), chars: new Dictionary<ulong, int>(),
            places: new Dictionary<ulong, int>())).ToArray();
        for (int from = 0; from < texts.Count; from += ChunkDocuments)
        {
            var to = Math.Min(texts.Count, from + ChunkDocuments);
            var chunkStart = from;
            Parallel.For(0, parts, parallel, p =>
            {
                var local = locals[p];
                local.words.Clear();
                local.chars.Clear();
                local.places.Clear();
                var size = (to - chunkStart + parts - 1) / parts;
                for (int i = chunkStart + p * size, end = Math.Min(to, chunkStart + (p + 1) * size); i < end; i++)
                {
                    local.ws.Words.Clear();
                    local.ws.Chars.Clear();
                    local.ws.Extractor.Extract(texts[i], local.ws.Words, local.ws.Chars);
                    CountDistinct(local.ws.Words, local.words);
                    CountDistinct(local.ws.Chars, local.chars);
                    if (options.Places)
                    {
                        local.ws.PlaceHashes(local.ws.Words);
                        CountDistinct(local.ws.Words, local.places);
                    }
                }
            });
            foreach (var local in locals)
            {
                wordDf.Add(local.words);
                charDf.Add(local.chars);
                placeDf.Add(local.places);
            }
            wordDf.EndChunk();
            charDf.EndChunk();
            placeDf.EndChunk();
            progress?.Report(new ProgressUpdate("counting n-grams", to, texts.Count, Transient: true));
        }

        var minDf = options.EffectiveMinDf(texts.Count);
        var featurizer = FromCounts(options, wordDf.AtLeast(minDf.Words), charDf.AtLeast(minDf.Chars), placeDf.AtLeast(1), texts.Count);
        return names ? featurizer.WithNames(texts, threads, cancel) : featurizer;
    }

    /// <summary>
    /// The vocabulary of n-grams already counted and filtered by min-df, unnamed: <paramref name="options"/>' feature
    /// bound applied, each block ordered by falling document frequency.
    /// </summary>
    private static TextFeaturizer FromCounts(FeaturizerOptions options, List<(ulong Hash, int Df)> words, List<(ulong Hash, int Df)> chars,
        List<(ulong Hash, int Df)> places, int documents)
    {
        if (options.MaxFeatures > 0 && words.Count + chars.Count > options.MaxFeatures)
            (words, chars) = KeepMostFrequent(words, chars, options.MaxFeatures);
        words.Sort(ByFalling);
        chars.Sort(ByFalling);
        places.Sort(ByFalling);
        var ordered = words.Concat(chars).Concat(places).ToList();
        return FromOrdered(options, ordered.Select(x => x.Hash).ToArray(), ordered.Select(x => x.Df).ToArray(), words.Count, places.Count, documents);
    }

    /// <summary>
    /// Frequent n-grams first: the weights that nearly every document touches then share a few cache lines, which
    /// speeds the solver's sparse dot products. Ties break on the hash, so the order never depends on thread scheduling.
    /// </summary>
    private static int ByFalling((ulong Hash, int Df) a, (ulong Hash, int Df) b) => a.Df != b.Df ? b.Df.CompareTo(a.Df) : a.Hash.CompareTo(b.Hash);

    /// <summary>
    /// A vocabulary of n-grams already in feature order (their hashes and document frequencies): <paramref name="words"/>
    /// word n-grams, then character n-grams, then <paramref name="places"/> place features.
    /// </summary>
    internal static TextFeaturizer FromOrdered(FeaturizerOptions options, ulong[] keys, int[] df, int words, int places, int documents)
    {
        options = options with { Gazetteer = options.Places ? Places.Gazetteer.DefaultDigest : null };
        return new TextFeaturizer(options, new HashIndex(keys, lazy: true), df, Features.FeatureNames.None(keys.Length), words, places, documents);
    }

    internal bool TryGetFeature(ulong hash, out int feature) => _index.TryGetValue(hash, out feature);

    /// <summary>A sink that fills <paramref name="names"/> (one per feature) for the n-grams of this vocabulary not yet named.</summary>
    internal NgramExtractor.NameSink NameSink(string?[] names) => new FeatureNameSink(_index, names);

    /// <summary>Each feature's n-gram hash, in feature order.</summary>
    internal ulong[] Hashes() => _index.KeysInIndexOrder();

    /// <summary>The same vocabulary with these names, one per feature.</summary>
    internal TextFeaturizer WithNames(FeatureNames names) =>
        names.Count == Dimension ? new(Options, _index, _df, names, WordFeatureCount, PlaceFeatureCount, Documents)
            : throw new ArgumentException("one name per feature", nameof(names));

    /// <summary>The same vocabulary with each feature's readable name, taken from its first occurrence in <paramref name="texts"/>.</summary>
    public TextFeaturizer WithNames(IReadOnlyList<string> texts, int threads, CancellationToken cancel = default)
    {
        var names = NewNames();
        CollectNames(texts, Options, _index, names, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel });
        return new TextFeaturizer(Options, _index, _df, Features.FeatureNames.From(names), WordFeatureCount, PlaceFeatureCount, Documents);
    }

    public int PlaceFeatureCount => Dimension - PlaceFeatureStart;

    /// <summary>An array for the features' names with the place features already named: their keys are known from the gazetteer, not found in text.</summary>
    internal string?[] NewNames()
    {
        var names = new string?[Dimension];
        if (PlaceFeatureCount == 0) return names;
        var hashes = _index.KeysInIndexOrder();
        for (int i = PlaceFeatureStart; i < Dimension; i++) names[i] = Places.PlaceFeatures.KeyOf(hashes[i]);
        return names;
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
        var blocks = Blocks.Restricted(keep);
        return new TextFeaturizer(Options, new HashIndex(keep.Select(f => hashes[f]).ToList()), keep.Select(f => _df[f]).ToArray(),
            _names.Subset(keep), blocks.Words, keep.Count - blocks.PlaceStart, Documents);
    }

    /// <summary>
    /// A vector of this featurizer mapped onto a pruned one (<paramref name="newId"/>[old] is the new id, or -1): the kept
    /// entries, normalised again. Each block's entries share one scale factor, so this equals featurizing the text
    /// with the pruned featurizer, without reading the text again.
    /// </summary>
    public static SparseVector Restrict(SparseVector v, int[] newId, FeatureBlocks newBlocks)
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
        newBlocks.Normalize(idx, val);
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
            foreach (var t in tokens.AsSpan())
                if (t.CharGrams) bound += (long)(t.Length + 2) * (Options.CharNgramMax - Options.CharNgramMin + 1);
        bound = Math.Min(bound + PlaceFeatureCount, Dimension);
        if (touched.Length < bound) ws.Touched = touched = new int[Math.Max((int)bound, touched.Length * 2)];

        var charsOn = Options.CharNgramsEnabled;
        var cache = ws.Cache;
        var all = tokens.AsSpan();
        for (int i = 0; i < all.Length; i++)
        {
            // The token table is MBs, read at random: ask for the slot of a token eight ahead and, once that has come, for
            // the ids of one four ahead, so that the waits of several tokens overlap instead of following one another.
            if (charsOn)
            {
                if (i + TokenCache.SlotAhead < all.Length) cache.PrefetchSlot(all[i + TokenCache.SlotAhead].Hash);
                if (i + TokenCache.IdsAhead < all.Length) cache.PrefetchIds(all[i + TokenCache.IdsAhead].Hash);
            }
            ref readonly var t = ref all[i];
            if (!charsOn || !t.CharGrams)
            {
                if (t.IsWord && _index.TryGetValue(NgramExtractor.UnigramHash(t.Hash), out var u)) Add(counts, touched, ref m, u);
                continue;
            }
            if (t.Length > TokenCache.MaxTokenLength)
            {
                // A whole clause of an unspaced script: its ids are computed here, not cached.
                ws.Chars.Clear();
                ex.CharNgrams(ex.Text(t), ws.Chars);
                foreach (var h in ws.Chars) if (_index.TryGetValue(h, out var id)) Add(counts, touched, ref m, id);
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
            var n = ws.Words.Count;
            var (found, passed) = ws.LookupRoom(n);
            _index.Lookup(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ws.Words), found, passed);
            for (int i = 0; i < n; i++) if (found[i] >= 0) Add(counts, touched, ref m, found[i]);
        }
        if (PlaceFeatureCount > 0)
        {
            // Over the tokens made above: places cost no second tokenization.
            var ids = PlaceIds();
            foreach (var (_, _, pick, weight) in ws.Places.Find(ex))
                for (int k = pick.Country * 4, end = k + 4; k < end; k++)
                    if (ids[k] >= 0) Add(counts, touched, ref m, ids[k], weight);
        }
        if (ws.Values.Length < m) ws.Values = new float[touched.Length];
        Weigh(touched, m, counts, ws.Values);
        return m;
    }

    /// <summary>How many features ahead <see cref="Weigh"/> asks for a feature's idf.</summary>
    private const int IdfAhead = 16;

    private static void Add(ushort[] counts, int[] touched, ref int m, int id, int times)
    {
        var c = counts[id];
        if (c == 0) touched[m++] = id;
        counts[id] = (ushort)Math.Min(ushort.MaxValue, c + times);
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
    private unsafe void Weigh(int[] touched, int m, ushort[] counts, float[] values)
    {
        double wordNorm = 0, charNorm = 0, placeNorm = 0;
        var (words, places) = (WordFeatureCount, PlaceFeatureStart);
        for (int i = 0; i < m; i++)
        {
            // Features lie anywhere in the idf's 800 KB (for 200,000 features): ask for one well ahead.
            if (i + IdfAhead < m && Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref _idf[touched[i + IdfAhead]]));
            var f = touched[i];
            var tf = counts[f];
            var w = Weight(f, tf);
            values[i] = w;
            if (f < words) wordNorm += w * w; else if (f < places) charNorm += w * w; else placeNorm += w * w;
        }
        var (ws, cs, ps) = Blocks.Scales(wordNorm, charNorm, placeNorm);
        for (int i = 0; i < m; i++) values[i] *= touched[i] < words ? ws : touched[i] < places ? cs : ps;
    }

    /// <summary>The weight of a feature seen <paramref name="tf"/> times in a document, before the document is normalised.</summary>
    internal float Weight(int feature, int tf) =>
        Options.Weighting == Weighting.Idf ? _idf[feature] : (Options.SublinearTf ? SublinearTf(tf) : tf) * _idf[feature];

    private static readonly float[] LogTable = MakeLogTable();

    private static float[] MakeLogTable()
    {
        var table = new float[256];
        for (int i = 1; i < table.Length; i++) table[i] = 1f + MathF.Log(i);
        return table;
    }

    private static float SublinearTf(int tf) => tf < LogTable.Length ? LogTable[tf] : 1f + MathF.Log(tf);
}
