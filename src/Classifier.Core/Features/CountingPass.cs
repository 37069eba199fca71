using System.Runtime.InteropServices;
using Classifier.Core.Training;

namespace Classifier.Core.Features;

/// <summary>
/// Reads and tokenizes each training document once, into a <see cref="CountedCorpus"/>: the only pass over the texts
/// that training makes. The n-grams are those <see cref="TextFeaturizer.Transform"/> makes, so that vectors built from
/// the counts equal those of the texts.
/// </summary>
/// <remarks>
/// Documents go by in chunks. Within a chunk, ranges of documents are tokenized in parallel and their distinct
/// n-grams looked up in the table of terms seen so far (read-only meanwhile); then the n-grams new to the table get
/// their ids one range after another, in input order. So term ids, and everything built from them, are the same
/// whatever the number of threads.
/// </remarks>
internal static class CountingPass
{
    private const int ChunkDocuments = SparseMatrix.CountBlockRows;
    private const int RangeDocuments = 128;

    public static CountedCorpus Run(IReadOnlyList<string> texts, FeaturizerOptions options, int threads, CancellationToken cancel,
        IProgress<ProgressUpdate>? progress = null, Action<int>? release = null)
    {
        options.Validate();
        var terms = new Dictionary<ulong, int>();
        var hashes = new List<ulong>();
        var kinds = new List<byte>();
        var names = new TermNames(options, texts.Count);
        var blocks = new List<(int[] Terms, ushort[] Counts, int[] Lengths)>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, ThreadCount.Effective(threads)), CancellationToken = cancel };
        var workers = new System.Collections.Concurrent.ConcurrentBag<Worker>();
        for (int from = 0; from < texts.Count; from += ChunkDocuments)
        {
            var to = Math.Min(texts.Count, from + ChunkDocuments);
            var ranges = (to - from + RangeDocuments - 1) / RangeDocuments;
            var results = new Range[ranges];
            var chunkStart = from;
            Parallel.For(0, ranges, parallel, () => workers.TryTake(out var w) ? w : new Worker(options, names), (r, _, w) =>
            {
                var start = chunkStart + r * RangeDocuments;
                results[r] = w.Count(texts, start, Math.Min(to, start + RangeDocuments), terms, release);
                return w;
            }, workers.Add);

            // New terms, in input order; then the range's entries point at them.
            foreach (var range in results)
            {
                foreach (var (position, hash, kind) in range.Misses)
                {
                    ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(terms, hash, out var exists);
                    if (!exists)
                    {
                        id = hashes.Count;
                        hashes.Add(hash);
                        kinds.Add((byte)kind);
                    }
                    range.Terms[position] = id;
                }
            }
            foreach (var w in workers) names.Merge(w.TakeNewTokens());
            blocks.Add(Concat(results));
            progress?.Report(new ProgressUpdate("counting n-grams", to, texts.Count, Transient: true));
        }
        return new CountedCorpus(SparseMatrix.OfCounts(blocks, texts.Count, hashes.Count), hashes.ToArray(), kinds.ToArray(), names, options);
    }

    private static (int[] Terms, ushort[] Counts, int[] Lengths) Concat(Range[] ranges)
    {
        var total = ranges.Sum(r => r.Terms.Count);
        var terms = new int[total];
        var counts = new ushort[total];
        var lengths = new List<int>();
        var at = 0;
        foreach (var r in ranges)
        {
            CollectionsMarshal.AsSpan(r.Terms).CopyTo(terms.AsSpan(at));
            CollectionsMarshal.AsSpan(r.Counts).CopyTo(counts.AsSpan(at));
            at += r.Terms.Count;
            lengths.AddRange(r.Lengths);
        }
        return (terms, counts, lengths.ToArray());
    }

    /// <summary>One range's documents: entries in order (term id, or -1 until <see cref="Misses"/> are resolved), counts and row lengths.</summary>
    private sealed record Range(List<int> Terms, List<ushort> Counts, List<int> Lengths, List<(int Position, ulong Hash, TermKind Kind)> Misses);

    /// <summary>One thread's tokenizer, token cache and scratch lists.</summary>
    private sealed class Worker(FeaturizerOptions options, TermNames names)
    {
        private readonly NgramExtractor _extractor = new(options);
        private Places.PlaceMatcher? _places;
        private readonly Dictionary<ulong, ulong[]> _tokens = new();
        private readonly List<(ulong Hash, string Text)> _newTokens = new();
        private readonly List<ulong> _words = new();
        private readonly List<ulong> _chars = new();
        private readonly List<ulong> _scratch = new();
        private readonly List<(ulong Hash, int Weight)> _placeHashes = new();

        /// <summary>Tokens whose character n-grams this thread keeps, before it starts again (bounded memory).</summary>
        private const int MaxCachedTokens = 1 << 17;

        public List<(ulong Hash, string Text)> TakeNewTokens()
        {
            var taken = new List<(ulong, string)>(_newTokens);
            _newTokens.Clear();
            return taken;
        }

        public Range Count(IReadOnlyList<string> texts, int from, int to, Dictionary<ulong, int> terms, Action<int>? release)
        {
            var result = new Range(new List<int>(), new List<ushort>(), new List<int>(), new List<(int, ulong, TermKind)>());
            for (int i = from; i < to; i++)
            {
                var before = result.Terms.Count;
                Document(texts[i], i, terms, result);
                release?.Invoke(i);
                result.Lengths.Add(result.Terms.Count - before);
            }
            return result;
        }

        private void Document(string text, int row, Dictionary<ulong, int> terms, Range into)
        {
            var ex = _extractor;
            ex.Tokenize(text);
            _words.Clear();
            _chars.Clear();
            var charsOn = options.CharNgramsEnabled;
            names.KeepWords(row, ex.WordHashes);
            foreach (var t in ex.TokenList)
            {
                if (!charsOn || !t.CharGrams)
                {
                    if (t.IsWord)
                    {
                        _words.Add(NgramExtractor.UnigramHash(t.Hash));
                        Known(t);
                    }
                    continue;
                }
                if (t.IsWord) _words.Add(NgramExtractor.UnigramHash(t.Hash));
                if (t.Length > TokenCache.MaxTokenLength)
                {
                    ex.CharNgrams(ex.Text(t), _chars);
                    Known(t);
                    continue;
                }
                _chars.AddRange(CharHashes(t));
            }
            if (options.WordNgrams > 1) ex.WordNgrams(_words, null, fromLength: 2);
            Add(_words, TermKind.Word, terms, into);
            Add(_chars, TermKind.Char, terms, into);
            if (options.Places) AddPlaces(ex, terms, into);
        }

        /// <summary>A token's character n-gram hashes, cached per thread; a token new to the corpus is kept for naming.</summary>
        private ulong[] CharHashes(NgramExtractor.Token t)
        {
            if (_tokens.TryGetValue(t.Hash, out var cached)) return cached;
            if (_tokens.Count >= MaxCachedTokens) _tokens.Clear();
            _scratch.Clear();
            _extractor.CharNgrams(_extractor.Text(t), _scratch);
            var hashes = _scratch.ToArray();
            _tokens[t.Hash] = hashes;
            Known(t);
            return hashes;
        }

        private void Known(NgramExtractor.Token t)
        {
            if (!names.Has(t.Hash)) _newTokens.Add((t.Hash, _extractor.Text(t).ToString()));
        }

        private void AddPlaces(NgramExtractor ex, Dictionary<ulong, int> terms, Range into)
        {
            _places ??= new Places.PlaceMatcher(Places.Gazetteer.Default);
            _placeHashes.Clear();
            foreach (var (_, _, pick, weight) in _places.Find(ex))
                foreach (var h in Places.PlaceFeatures.HashesOf(pick.Country)) _placeHashes.Add((h, weight));
            if (_placeHashes.Count == 0) return;
            _placeHashes.Sort((a, b) => a.Hash.CompareTo(b.Hash));
            for (int i = 0; i < _placeHashes.Count;)
            {
                var h = _placeHashes[i].Hash;
                var c = 0;
                for (; i < _placeHashes.Count && _placeHashes[i].Hash == h; i++) c += _placeHashes[i].Weight;
                Entry(h, c, TermKind.Place, terms, into);
            }
        }

        /// <summary>The distinct hashes of <paramref name="list"/> with their counts, as entries.</summary>
        private static void Add(List<ulong> list, TermKind kind, Dictionary<ulong, int> terms, Range into)
        {
            if (list.Count == 0) return;
            var span = CollectionsMarshal.AsSpan(list);
            span.Sort();
            for (int i = 0; i < span.Length;)
            {
                var h = span[i];
                var start = i;
                while (i < span.Length && span[i] == h) i++;
                Entry(h, i - start, kind, terms, into);
            }
        }

        private static void Entry(ulong hash, int count, TermKind kind, Dictionary<ulong, int> terms, Range into)
        {
            if (!terms.TryGetValue(hash, out var id))
            {
                id = -1;
                into.Misses.Add((into.Terms.Count, hash, kind));
            }
            into.Terms.Add(id);
            into.Counts.Add((ushort)Math.Min(ushort.MaxValue, count));
        }
    }
}
