namespace Classifier.Core.Features;

public sealed partial class TextFeaturizer
{
    /// <summary>Scratch space for one thread: the tokenizer, a dense accumulator over the features, and the token cache.</summary>
    public sealed class Workspace
    {
        internal readonly NgramExtractor Extractor;
        internal readonly List<ulong> Words = new();
        internal readonly List<ulong> Chars = new();
        internal readonly List<int> CharIds = new();
        private TokenCache? _cache;
        private Places.PlaceMatcher? _places;

        /// <summary>The place matcher of this thread (made on first use: it loads the gazetteer).</summary>
        internal Places.PlaceMatcher Places => _places ??= new Places.PlaceMatcher(Features.Places.Gazetteer.Default);

        /// <summary>The place feature hashes of the text the extractor tokenized last, with repeats, into <paramref name="into"/>.</summary>
        internal void PlaceHashes(List<ulong> into)
        {
            into.Clear();
            foreach (var (_, _, pick, _) in Places.Find(Extractor)) into.AddRange(Features.Places.PlaceFeatures.HashesOf(pick.Country));
        }

        internal TokenCache Cache => _cache ??= new TokenCache(CacheIds);

        /// <summary>How many character n-gram ids the token cache may hold (see <see cref="TokenCache"/>).</summary>
        internal int CacheIds { get; init; } = TokenCache.DefaultMaxIds;

        /// <summary>Tokens held in the cache now (for tests).</summary>
        internal int CacheCount => _cache?.Count ?? 0;

        /// <summary>
        /// Per feature, its count in the current document (saturating at 65,535); zero everywhere else. Two bytes a
        /// feature keep the array small enough to stay in the core's cache, which is most of what featurizing costs.
        /// </summary>
        internal readonly ushort[] Counts;

        /// <summary>The features of the current document, in the order first seen, and their weights.</summary>
        internal int[] Touched = new int[1024];
        internal float[] Values = new float[1024];

        private int[] _found = new int[1024], _passed = new int[1024];

        /// <summary>
        /// Room for <paramref name="n"/> word bigrams' features (or -1) and the scratch that finds them
        /// (<see cref="HashIndex.Lookup"/>), grown together.
        /// </summary>
        internal (int[] Found, int[] Passed) LookupRoom(int n)
        {
            if (_found.Length < n)
            {
                var size = Math.Max(n, _found.Length * 2);
                (_found, _passed) = (new int[size], new int[size]);
            }
            return (_found, _passed);
        }

        internal Workspace(FeaturizerOptions options, int dimension)
        {
            Extractor = new NgramExtractor(options);
            Counts = new ushort[dimension];
        }

        /// <summary>Zeroes what <see cref="Accumulate"/> left for <paramref name="count"/> features.</summary>
        internal void Clear(int count)
        {
            for (int i = 0; i < count; i++) Counts[Touched[i]] = 0;
        }
    }
}
