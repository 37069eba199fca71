using Classifier.Core.Data;
using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>
/// The counts of one data set under each n-gram setting asked for, so that trials of a search count a text once per
/// setting, not once per fold: a trial that changes only C, weights, min-df or the feature budget counts nothing, and
/// one that changes the n-grams counts once. <see cref="Capacity"/> countings are kept (each is about as large as the
/// vectors of the whole set): the first one asked for (a search's defaults, which most trials share) and the most
/// recently used. Why the first stays: a search tries one n-gram change after another around the defaults, then the
/// defaults' n-grams again; keeping only the most recent counted 20 Newsgroups' defaults a second time (about 4 s).
/// </summary>
internal sealed class CountedCorpora(LabeledDataset data, int threads)
{
    public const int DefaultCapacity = 2;

    /// <summary>How many countings are kept: <see cref="DefaultCapacity"/>, or more while trials that need more take turns (tune's confirmation folds).</summary>
    public int Capacity { get; set; } = DefaultCapacity;

    private readonly List<CountedCorpus> _recent = new();

    /// <summary>How many times the texts were counted.</summary>
    public int Countings { get; private set; }

    public CountedCorpus For(FeaturizerOptions options, CancellationToken cancel, IProgress<ProgressUpdate>? progress = null)
    {
        var i = _recent.FindIndex(c => c.Options.SameNgrams(options));
        CountedCorpus corpus;
        if (i >= 0)
        {
            corpus = _recent[i];
            _recent.RemoveAt(i);
        }
        else
        {
            corpus = ModelTrainer.Count(data.Texts, options, threads, progress, cancel);
            Countings++;
            while (_recent.Count >= Math.Max(1, Capacity)) _recent.Remove(Evictable());
        }
        _recent.Insert(0, corpus);
        _first ??= corpus;
        return corpus;
    }

    private CountedCorpus? _first;

    /// <summary>The least recently used counting other than the first (unless it is the only one).</summary>
    private CountedCorpus Evictable() => _recent.LastOrDefault(c => !ReferenceEquals(c, _first)) ?? _recent[^1];
}
