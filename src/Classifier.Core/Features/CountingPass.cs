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
    /// <summary>
    /// Documents counted between two merges: a chunk's entries are held twice while it is merged (its ranges' lists and
    /// its block), so its size bounds that overhead (about 12 MB on 20 Newsgroups).
    /// </summary>
    private const int ChunkDocuments = 1024;
    /// <summary>
    /// The first chunk's size; each next one doubles, up to <see cref="ChunkDocuments"/>. In the first chunks nearly
    /// every n-gram is new, and new ones are resolved one thread at a time: small chunks there put the frequent n-grams
    /// in the table early, so that later documents mostly find theirs.
    /// </summary>
    private const int FirstChunkDocuments = 256;
    private const int RangeDocuments = 128;
    /// <summary>How many look-ups ahead a word bigram's slot is asked for (see <see cref="TermTable.Prefetch"/>).</summary>
    private const int PrefetchDistance = 8;
    /// <summary>
    /// Bytes allocated between two full collections when the store is packed (see <see cref="Run"/>). Every 64 chunks
    /// (about 900 MB of chunks' plain arrays, texts let go and tokenizer lists on the 1 GB corpus) left the pass's peak
    /// 2 GB above what it held once collected.
    /// </summary>
    private const long CollectAfterBytes = 256L << 20;

    /// <param name="pack">Pack the store (<see cref="SparseMatrix.IsPacked"/>); null: when the texts pass <see cref="SparseMatrix.PackAboveChars"/>.</param>
    /// <param name="spill">Write the packed store's blocks to this file as they are made (--max-memory), not to memory; it then packs whatever <paramref name="pack"/> says.</param>
    public static CountedCorpus Run(IReadOnlyList<string> texts, FeaturizerOptions options, int threads, CancellationToken cancel,
        IProgress<ProgressUpdate>? progress = null, Action<int>? release = null, bool? pack = null, SpillFile? spill = null)
    {
        if (spill is not null) pack = true;
        options.Validate();
        pack ??= Chars(texts) > SparseMatrix.PackAboveChars;
        var packed = new List<(int[] Lengths, int[] ByteLengths)>();
        var packedData = new List<byte[]>();
        var spilledAt = new List<long>();
        var table = new TermTable();
        var kinds = new List<byte>();
        var names = new TermNames(options, texts.Count, spill);
        var blocks = new List<(int[] Terms, ushort[] Counts, int[] Lengths)>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, ThreadCount.Effective(threads)), CancellationToken = cancel };
        var workers = new System.Collections.Concurrent.ConcurrentBag<Worker>();
        // Ranges' lists are used again chunk after chunk: grown afresh each time they were most of what the pass
        // allocated, on the large-object heap, and the collections it set off held both threads up.
        var spare = new System.Collections.Concurrent.ConcurrentBag<Range>();
        var allocatedAtCollect = GC.GetTotalAllocatedBytes();
        for (int from = 0, size = FirstChunkDocuments; from < texts.Count; from += size, size = Math.Min(ChunkDocuments, size * 2))
        {
            var to = Math.Min(texts.Count, from + size);
            var ranges = (to - from + RangeDocuments - 1) / RangeDocuments;
            var results = new Range[ranges];
            var chunkStart = from;
            Parallel.For(0, ranges, parallel, () => workers.TryTake(out var w) ? w : new Worker(options, names), (r, _, w) =>
            {
                var start = chunkStart + r * RangeDocuments;
                var range = spare.TryTake(out var used) ? used.Cleared() : Range.Empty();
                w.Count(texts, start, Math.Min(to, start + RangeDocuments), table, release, range);
                results[r] = range;
                return w;
            }, workers.Add);

            // New terms get their ids one range after another, in input order; then each range's entries point at them.
            foreach (var range in results)
            {
                range.Global.Clear();
                foreach (var (hash, kind) in range.New)
                {
                    range.Global.Add(table.GetOrAdd(hash, out var added));
                    if (added) kinds.Add((byte)kind);
                }
            }
            // Each range is packed by the thread that resolves it: packed one chunk at a time after the ranges were
            // copied into one array, the packing and the copy were a serial stretch that left the other core idle.
            Parallel.ForEach(results, parallel, range =>
            {
                range.Resolve();
                if (pack == true) range.Pack();
            });
            foreach (var w in workers) names.Merge(w.TakeNewTokens());
            if (names.KeepsWords)
            {
                Parallel.ForEach(results, parallel, range => range.KeepWords(names));
                names.SpillWords(from, to);
            }
            if (pack == true)
            {
                // Packed as each chunk is counted, so that the plain entries exist for one chunk at a time.
                var (data, lengths, byteLengths) = ConcatPacked(results);
                packed.Add((lengths, byteLengths));
                if (spill is null) packedData.Add(data);
                else spilledAt.Add(spill.Append(data));
                // The texts counted so far are let go and each chunk leaves its plain arrays behind, but the collector,
                // left to itself, kept gigabytes of them until late: on 1 GB the pass peaked at 8.4 GB, against about
                // 6.6 GB of live data. A full collection after every 256 MB allocated keeps the two close (see CollectAfterBytes).
                if (GC.GetTotalAllocatedBytes() - allocatedAtCollect > CollectAfterBytes)
                {
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
                    allocatedAtCollect = GC.GetTotalAllocatedBytes();
                }
            }
            else blocks.Add(Concat(results));
            foreach (var range in results) spare.Add(range);
            progress?.Report(new ProgressUpdate("counting n-grams", to, texts.Count, Transient: true));
        }
        var terms = table.Count;
        // The keys are read out of the table's slots; with a packed store (a large corpus) the slots are then collected at once.
        var hashes = table.TakeKeys(collect: pack == true);
        var counts = pack != true ? SparseMatrix.OfCounts(blocks, texts.Count, terms)
            : SparseMatrix.OfPackedCounts(spill is null ? PackedBlocks.InMemory(packedData.ToArray())
                : PackedBlocks.Spilled(spill, spilledAt.ToArray(), packed.Select(p => p.ByteLengths.Sum()).ToArray()), packed, texts.Count, terms);
        return new CountedCorpus(counts, hashes, kinds.ToArray(), names, options);
    }

    /// <summary>Characters of <paramref name="texts"/>: texts streamed from disk know it without being read (a sum over them would read them all).</summary>
    internal static long Chars(IReadOnlyList<string> texts)
    {
        if (texts is StreamedTexts streamed) return streamed.Chars;
        long chars = 0;
        foreach (var t in texts) chars += t?.Length ?? 0;
        return chars;
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

    /// <summary>The packed rows of a chunk's ranges, end to end: a row's bytes depend on that row alone.</summary>
    private static (byte[] Data, int[] Lengths, int[] ByteLengths) ConcatPacked(Range[] ranges)
    {
        var data = new byte[ranges.Sum(r => r.PackedData.Length)];
        var lengths = new int[ranges.Sum(r => r.Lengths.Count)];
        var byteLengths = new int[lengths.Length];
        int at = 0, row = 0;
        foreach (var r in ranges)
        {
            r.PackedData.CopyTo(data, at);
            CollectionsMarshal.AsSpan(r.Lengths).CopyTo(lengths.AsSpan(row));
            r.PackedLengths.CopyTo(byteLengths, row);
            at += r.PackedData.Length;
            row += r.Lengths.Count;
            // Let go at once: a range left in the spare bag past the last chunk would otherwise keep its copy to the end.
            r.ReleasePacked();
        }
        return (data, lengths, byteLengths);
    }

    /// <summary>
    /// One range's documents: entries in order, counts and row lengths. An entry is a term id, or for an n-gram new to
    /// the table -(k + 1), k its place in <see cref="New"/> (each new n-gram once per range), until <see cref="Resolve"/>;
    /// <see cref="Tails"/> are the spans of each document's new n-grams.
    /// </summary>
    private sealed record Range(List<int> Terms, List<ushort> Counts, List<int> Lengths, List<(ulong Hash, TermKind Kind)> New,
        Dictionary<ulong, int> Local, List<int> Global, List<(int Start, int End)> Tails, List<ulong> Words, List<(int Row, int Start, int Count)> WordRows)
    {
        public static Range Empty() => new(new List<int>(), new List<ushort>(), new List<int>(), new List<(ulong, TermKind)>(),
            new Dictionary<ulong, int>(), new List<int>(), new List<(int, int)>(), new List<ulong>(), new List<(int, int, int)>());

        /// <summary>Hands each document's words to the names, once the chunk's new tokens are merged there.</summary>
        public void KeepWords(TermNames names)
        {
            var words = CollectionsMarshal.AsSpan(Words);
            foreach (var (row, start, count) in WordRows) names.KeepWords(row, words.Slice(start, count));
        }

        /// <summary>The range's rows packed (<see cref="Pack"/>), and each row's byte length.</summary>
        public byte[] PackedData { get; private set; } = [];
        public int[] PackedLengths { get; private set; } = [];

        /// <summary>Packs the range's rows, once <see cref="Resolve"/> has given every entry its term id.</summary>
        public void Pack() => (PackedData, PackedLengths) =
            SparseMatrix.PackCounts(CollectionsMarshal.AsSpan(Terms), CollectionsMarshal.AsSpan(Counts), CollectionsMarshal.AsSpan(Lengths));

        public void ReleasePacked()
        {
            PackedData = [];
            PackedLengths = [];
        }

        public Range Cleared()
        {
            ReleasePacked();
            Terms.Clear();
            Counts.Clear();
            Lengths.Clear();
            New.Clear();
            Local.Clear();
            Global.Clear();
            Tails.Clear();
            Words.Clear();
            WordRows.Clear();
            return this;
        }

        /// <summary>The entry of an n-gram new to the table.</summary>
        public int NewEntry(ulong hash, TermKind kind)
        {
            ref var k = ref CollectionsMarshal.GetValueRefOrAddDefault(Local, hash, out var exists);
            if (!exists)
            {
                k = New.Count;
                New.Add((hash, kind));
            }
            return -(k + 1);
        }

        /// <summary>
        /// Points the new n-grams' entries at their ids (<see cref="Global"/>, given in order). A document's new terms
        /// follow its known ones and all have larger ids: sorting them keeps its row in id order.
        /// </summary>
        public void Resolve()
        {
            var terms = CollectionsMarshal.AsSpan(Terms);
            var counts = CollectionsMarshal.AsSpan(Counts);
            var global = CollectionsMarshal.AsSpan(Global);
            foreach (var (start, end) in Tails)
            {
                for (int p = start; p < end; p++) terms[p] = global[-terms[p] - 1];
                terms[start..end].Sort(counts[start..end]);
            }
        }
    }

    /// <summary>
    /// One thread's tokenizer, scratch space and cache of tokens: for a token whose n-grams all had term ids when it was
    /// first met, those ids, so that it costs no hashing and no look-up again (fastText keeps subword ids per word the
    /// same way). A document's counts go into a small table of its own (<see cref="DocumentCounts"/>), which merges repeats
    /// and hands them out in id order.
    /// </summary>
    private sealed class Worker(FeaturizerOptions options, TermNames names)
    {
        private readonly NgramExtractor _extractor = new(options);
        private Places.PlaceMatcher? _places;
        private readonly TokenCache _cache = new();
        private readonly List<(ulong Hash, string Text)> _newTokens = new();
        private readonly HashSet<ulong> _pendingNames = new();
        private readonly List<ulong> _scratch = new();
        private readonly List<int> _charIds = new();
        private readonly List<(ulong Hash, int Weight)> _placeHashes = new();
        // The document's n-grams not yet in the table: hashes apart from the rest, so that they sort as plain numbers.
        private readonly List<ulong> _missHashes = new();
        private readonly List<(TermKind Kind, int Count)> _misses = new();
        private readonly DocumentCounts _document = new();

        public List<(ulong Hash, string Text)> TakeNewTokens()
        {
            var taken = new List<(ulong, string)>(_newTokens);
            _newTokens.Clear();
            _pendingNames.Clear();
            return taken;
        }

        public void Count(IReadOnlyList<string> texts, int from, int to, TermTable table, Action<int>? release, Range result)
        {
            for (int i = from; i < to; i++)
            {
                var before = result.Terms.Count;
                Document(texts[i], i, table, result);
                release?.Invoke(i);
                result.Lengths.Add(result.Terms.Count - before);
            }
        }

        private void Document(string text, int row, TermTable table, Range into)
        {
            var ex = _extractor;
            ex.Tokenize(text);
            if (names.KeepsWords)
            {
                into.WordRows.Add((row, into.Words.Count, ex.WordHashes.Count));
                into.Words.AddRange(ex.WordHashes);
            }
            var charsOn = options.CharNgramsEnabled;
            var tokens = ex.TokenList.AsSpan();
            for (int i = 0; i < tokens.Length; i++)
            {
                // As in scoring (TextFeaturizer.Accumulate): the slot of a token eight ahead, the ids of one four ahead.
                if (i + TokenCache.SlotAhead < tokens.Length) _cache.PrefetchSlot(tokens[i + TokenCache.SlotAhead].Hash);
                if (i + TokenCache.IdsAhead < tokens.Length) _cache.PrefetchIds(tokens[i + TokenCache.IdsAhead].Hash);
                ref readonly var t = ref tokens[i];
                if (_cache.TryGet(t.Hash, out var unigram, out var start, out var length))
                {
                    if (unigram >= 0) Hit(unigram, 1);
                    var ids = _cache.Ids;
                    for (int k = start; k < start + length; k++) Hit(ids[k], 1);
                    continue;
                }
                var complete = true;
                var unigramTerm = -1;
                if (t.IsWord) complete &= Look(table, NgramExtractor.UnigramHash(t.Hash), TermKind.Word, out unigramTerm);
                _charIds.Clear();
                if (charsOn && t.CharGrams)
                {
                    _scratch.Clear();
                    ex.CharNgrams(ex.Text(t), _scratch);
                    foreach (var h in _scratch)
                    {
                        if (Look(table, h, TermKind.Char, out var id)) _charIds.Add(id);
                        else complete = false;
                    }
                }
                if (!names.Has(t.Hash) && _pendingNames.Add(t.Hash)) _newTokens.Add((t.Hash, ex.Text(t).ToString()));
                if (complete && t.Length <= TokenCache.MaxTokenLength)
                    _cache.Add(t.Hash, unigramTerm, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_charIds));
            }
            if (options.WordNgrams > 1)
            {
                _scratch.Clear();
                ex.WordNgrams(_scratch, null, fromLength: 2);
                var bigrams = CollectionsMarshal.AsSpan(_scratch);
                for (int i = 0; i < bigrams.Length; i++)
                {
                    if (i + PrefetchDistance < bigrams.Length) table.Prefetch(bigrams[i + PrefetchDistance]);
                    Look(table, bigrams[i], TermKind.Word, out _);
                }
            }
            if (options.Places) AddPlaces(ex, table);
            Emit(into);
        }

        /// <summary>Counts one occurrence of the n-gram <paramref name="hash"/>: under its term id when it has one, as a miss otherwise.</summary>
        private bool Look(TermTable table, ulong hash, TermKind kind, out int term, int count = 1)
        {
            if (table.TryGet(hash, out term))
            {
                Hit(term, count);
                return true;
            }
            _missHashes.Add(hash);
            _misses.Add((kind, count));
            return false;
        }

        private void Hit(int term, int count) => _document.Add(term, count);

        /// <summary>The document's entries: its known terms in id order, then its new n-grams (see <see cref="Range"/>).</summary>
        private void Emit(Range into)
        {
            _document.Drain(into.Terms, into.Counts);
            if (_misses.Count == 0) return;
            var tail = into.Terms.Count;
            var hashes = CollectionsMarshal.AsSpan(_missHashes);
            var misses = CollectionsMarshal.AsSpan(_misses);
            hashes.Sort(misses);
            for (int i = 0; i < hashes.Length;)
            {
                var (h, kind) = (hashes[i], misses[i].Kind);
                var c = 0;
                for (; i < hashes.Length && hashes[i] == h; i++) c += misses[i].Count;
                into.Terms.Add(into.NewEntry(h, kind));
                into.Counts.Add((ushort)Math.Min(ushort.MaxValue, c));
            }
            into.Tails.Add((tail, into.Terms.Count));
            _missHashes.Clear();
            _misses.Clear();
        }

        private void AddPlaces(NgramExtractor ex, TermTable table)
        {
            _places ??= new Places.PlaceMatcher(Places.Gazetteer.Default);
            _placeHashes.Clear();
            foreach (var (_, _, pick, weight) in _places.Find(ex))
                foreach (var h in Places.PlaceFeatures.HashesOf(pick.Country)) _placeHashes.Add((h, weight));
            foreach (var (h, weight) in _placeHashes) Look(table, h, TermKind.Place, out _, weight);
        }
    }
}
