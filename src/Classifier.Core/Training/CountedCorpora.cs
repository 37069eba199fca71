using Classifier.Core.Data;
using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>
/// The counts of one data set under each n-gram setting asked for, so that trials of a search count a text once per
/// setting, not once per fold: a trial that changes only C, weights, min-df or the feature budget counts nothing, and
/// one that changes the n-grams counts once. The <see cref="Capacity"/> most recently used are kept (each is about as
/// large as the vectors of the whole set).
/// </summary>
internal sealed class CountedCorpora(LabeledDataset data, int threads)
{
    public const int Capacity = 2;

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
            if (_recent.Count == Capacity) _recent.RemoveAt(_recent.Count - 1);
        }
        _recent.Insert(0, corpus);
        return corpus;
    }
}
