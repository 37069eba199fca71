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
        internal TokenCache Cache => _cache ??= new TokenCache();

        /// <summary>Tokens held in the cache now (for tests).</summary>
        internal int CacheCount => _cache?.Count ?? 0;

        /// <summary>Per feature, its count and then its weight in the current document; zero everywhere else.</summary>
        internal readonly float[] Weights;

        /// <summary>The features of the current document, in the order first seen.</summary>
        internal int[] Touched = new int[1024];

        internal Workspace(FeaturizerOptions options, int dimension)
        {
            Extractor = new NgramExtractor(options);
            Weights = new float[dimension];
        }

        /// <summary>Zeroes what <see cref="Accumulate"/> left for <paramref name="count"/> features.</summary>
        internal void Clear(int count)
        {
            for (int i = 0; i < count; i++) Weights[Touched[i]] = 0;
        }
    }
}
