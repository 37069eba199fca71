using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>
/// Each fold's vocabulary and vectors, kept across the trials of `tune` that featurize alike: a trial that changes only
/// C, the class weight or the feature budget gets a copy of its fold's store instead of vectorizing the fold again
/// (0.37 s of a 3-second fold fit on 20 Newsgroups). One featurization is kept at a time (the latest: trials that
/// featurize alike mostly come together), plain stores only, and only while the stores fit in an eighth of the memory
/// available. The copy is the store, entry for entry, so a trial scores the same as with a store made afresh.
/// </summary>
internal sealed class FoldVectors
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (TextFeaturizer Featurizer, SparseMatrix Vectors)> _runs = new();
    private readonly long _maxBytes;
    private CountedCorpus? _corpus;
    private FeaturizerOptions? _options;
    private long _bytes;

    /// <param name="maxBytes">The most bytes of stores kept (null: an eighth of the memory available).</param>
    public FoldVectors(long? maxBytes = null) =>
        _maxBytes = maxBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8;

    /// <summary>How many runs' stores were served from the cache (for tests).</summary>
    public int Hits { get; private set; }

    /// <summary>
    /// The vocabulary and vectors of <paramref name="rows"/> (the training rows of (repeat, fold) <paramref name="run"/>)
    /// of <paramref name="corpus"/> under <paramref name="options"/>: a copy of the kept ones, or made and kept.
    /// </summary>
    public (TextFeaturizer Featurizer, SparseMatrix Vectors) For(int run, CountedCorpus corpus, IReadOnlyList<int> rows, FeaturizerOptions options,
        int threads, CancellationToken cancel)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(corpus, _corpus) || !Equals(options, _options))
            {
                _runs.Clear();
                (_corpus, _options, _bytes) = (corpus, options, 0);
            }
            if (_runs.TryGetValue(run, out var kept))
            {
                Hits++;
                return (kept.Featurizer, kept.Vectors.Copy());
            }
        }
        var (featurizer, vectors) = ModelTrainer.Vectorize(corpus, rows, options, threads, cancel);
        lock (_lock)
        {
            // Kept only if the cache still holds this featurization (another trial may have replaced it meanwhile).
            if (!vectors.IsPacked && ReferenceEquals(corpus, _corpus) && Equals(options, _options) && !_runs.ContainsKey(run)
                && _bytes + vectors.Bytes <= _maxBytes)
            {
                _runs[run] = (featurizer, vectors.Copy());
                _bytes += vectors.Bytes;
            }
        }
        return (featurizer, vectors);
    }
}
