using System.Diagnostics;
using Classifier.Core.Data;
using Classifier.Core.Evaluation;
using Classifier.Core.Features;
using Classifier.Core.Models;
using Microsoft.ML;

namespace Classifier.Core.Training;

/// <summary>Featurizes, trains and evaluates. The one place where a model is made.</summary>
public static class ModelTrainer
{
    /// <param name="releaseTexts">
    /// Let go of each training text once it is featurized (it is replaced by an empty string in <paramref name="train"/>),
    /// so that the texts and their vectors are never all in memory together. Only for a caller that needs them no more.
    /// </param>
    public static ClassifierModel Fit(LabeledDataset train, FeaturizerOptions featurizerOptions, TrainerOptions trainerOptions,
        DataDescription data, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default, bool releaseTexts = false)
    {
        train.LoadTexts(cancel); // texts left on disk are streamed by TrainingWorkflow alone
        return Fit(train, featurizerOptions, trainerOptions, data, progress, cancel, releaseTexts, spill: null);
    }

    /// <param name="spill">Where the packed store goes instead of memory (see <see cref="MemoryLimit"/>); null: memory.</param>
    /// <param name="streamed">The training texts read from disk as they are counted (<see cref="TextsOnDisk"/>); null: <paramref name="train"/>'s.</param>
    internal static ClassifierModel Fit(LabeledDataset train, FeaturizerOptions featurizerOptions, TrainerOptions trainerOptions,
        DataDescription data, IProgress<ProgressUpdate>? progress, CancellationToken cancel, bool releaseTexts, SpillFile? spill,
        StreamedTexts? streamed = null)
    {
        featurizerOptions.Validate();
        trainerOptions.Validate();
        var clock = Stopwatch.StartNew();
        RequireClasses(train);
        var corpus = Count(train, streamed, featurizerOptions, trainerOptions.EffectiveThreads, progress, cancel, releaseTexts, spill);
        return Fit(corpus, null, train, featurizerOptions, trainerOptions, data, progress, cancel, consume: true, clock: clock);
    }

    /// <summary>
    /// A model of <paramref name="rows"/> (null: all) of a counted corpus, labelled by <paramref name="all"/>: its
    /// vocabulary, weights and IDF come from those rows' counts only, so the rows left out (a fold's test part) cannot
    /// shape it. Folds and trials that share the n-grams share the counting.
    /// </summary>
    /// <param name="consume">Let the counts go as they become vectors (the corpus is then spent: only for the last use).</param>
    /// <param name="named">Name the kept features (for a model that is kept or reported; a fold's model that is only evaluated needs none).</param>
    /// <param name="start">The svm's warm start from an earlier model on the same rows, replaced by this one's (see <see cref="SvmWarmStart"/>).</param>
    internal static ClassifierModel Fit(CountedCorpus corpus, IReadOnlyList<int>? rows, LabeledDataset all, FeaturizerOptions featurizerOptions,
        TrainerOptions trainerOptions, DataDescription data, IProgress<ProgressUpdate>? progress, CancellationToken cancel,
        bool consume = false, bool named = true, Stopwatch? clock = null, SvmWarmStart? start = null)
    {
        clock ??= Stopwatch.StartNew();
        var train = rows is null ? all : all.Subset(rows);
        var labels = RequireClasses(train);
        RequireMinDf(featurizerOptions, train.Count);
        var threads = trainerOptions.EffectiveThreads;
        if (consume) ReleaseCounting();
        var (featurizer, vectors) = Vectorize(corpus, rows, featurizerOptions, threads, cancel, consume);
        // Weighing in place leaves garbage behind, and the solver's arrays come in large pieces (a group of classes'
        // weights over every feature: 68 MB on 20 Newsgroups): given back first, the peak of `train` stays at 462–471 MB,
        // where it rose to 498–532 MB. Folds and trials (which do not consume) skip it: it would cost each of them a
        // collection. A packed store (a large corpus) keeps the class-at-a-time solver, whose arrays are small, and skips it too.
        if (consume && !vectors.IsPacked) ReleaseCounting();
        progress?.Report(new ProgressUpdate($"stored {vectors.Entries:N0} features of {vectors.Rows:N0} documents ({vectors.Bytes / 1e6:N0} MB{(vectors.IsSpilled ? ", packed, on disk" : vectors.IsPacked ? ", packed" : "")})"));

        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var y = train.Labels.Select(l => index[l]).ToList();
        progress?.Report(new ProgressUpdate($"training {trainerOptions.Trainer.Name()} on {train.Count:N0} documents, {featurizer.Dimension:N0} features"));
        Trained trained;
        if (trainerOptions.Trainer == TrainerKind.Svm)
        {
            // The kept features are named as soon as they are known, and what names them is let go before the final solve.
            TextFeaturizer? kept = null;
            var svm = OneVersusRestSvm.Train(vectors, y, labels.Count, featurizer, trainerOptions, trainerOptions.Compact.FeatureBudget, cancel, progress,
                start, keep =>
                {
                    kept = Named(keep is null ? featurizer : featurizer.Prune(keep));
                    if (consume) ReleaseCounting();
                });
            trained = new Trained(kept!, Compact(svm.Weights, svm.Bias, kept!.Dimension, softmax: true, trainerOptions.Compact), null);
        }
        else
        {
            trained = TrainWithMlNet(featurizer, vectors, y, labels.Count, trainerOptions, cancel);
            trained = trained with { Featurizer = Named(trained.Featurizer) };
        }
        cancel.ThrowIfCancellationRequested();
        TextFeaturizer Named(TextFeaturizer f) => named ? corpus.Names.NamedOnce(f) : f;

        var counts = train.LabelCounts();
        var manifest = new Manifest
        {
            ToolVersion = ToolInfo.Version,
            MlNetVersion = ToolInfo.MlNetVersion,
            CreatedUtc = DateTimeOffset.UtcNow,
            TextColumns = train.TextColumns,
            LabelColumn = train.LabelColumn,
            Labels = labels.Select(l => new LabelCount(l, counts[l])).ToList(),
            Featurizer = trained.Featurizer.Options,
            Trainer = trainerOptions,
            FeatureCount = trained.Featurizer.Dimension,
            Compact = Describe(trainerOptions.Compact, featurizer.Dimension, trained.Featurizer.Dimension, trained.Linear is not null),
            Data = data,
            TrainSeconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
        };
        return new ClassifierModel(manifest, trained.Featurizer, trained.Linear, trained.MlNet);
    }

    /// <summary>
    /// A model without features predicts the class priors for every text; it is refused before any training, and
    /// before counting at all when --min-df alone makes it certain for a training set of <paramref name="documents"/>.
    /// </summary>
    internal static void RequireMinDf(FeaturizerOptions options, int documents)
    {
        if (options.MinDocumentFrequency > documents)
            throw new InputException($"no features left: --min-df {options.MinDocumentFrequency} is more than the {documents:N0} documents trained on, " +
                "so no n-gram can be in that many; lower --min-df (0 = automatic)");
    }

    /// <summary>
    /// Gives back to the system what counting held and no longer needs (the counts, the term table, the texts let go):
    /// the collector keeps freed memory for reuse unless told, so without this it would stay resident through the
    /// solve, on top of the solver's own (on 20 Newsgroups, with vectors written over the counts, the peak of `train --test` went from 0.70 GB to 0.53 GB).
    /// </summary>
    internal static void ReleaseCounting() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>The classes of a training set, refused when fewer than two.</summary>
    private static IReadOnlyList<string> RequireClasses(LabeledDataset train)
    {
        var labels = train.DistinctLabels();
        if (labels.Count < 2)
            throw new InputException($"only one class ('{labels[0]}') in column '{train.LabelColumn}'; a classifier needs at least two", train.Source, column: train.LabelColumn);
        return labels;
    }

    private sealed record Trained(TextFeaturizer Featurizer, LinearScorer? Linear, MlNetModel? MlNet);

    internal static CompactSettings Describe(CompactOptions o, int trainedFeatures, int keptFeatures, bool linear) =>
        new(o.FeatureBudget, linear ? o.Weights.Name() : "ml.net", o.MlNetExport && linear, trainedFeatures, keptFeatures);

    /// <summary>The weights stored at the chosen precision.</summary>
    internal static LinearScorer Compact(IReadOnlyList<float[]> weights, float[] bias, int dimension, bool softmax, CompactOptions o) =>
        new(LinearWeights.From(weights, dimension, o.Weights), bias, softmax);

    /// <summary>
    /// An ML.NET trainer. Linear results (maximum entropy) hand over their weights; with a feature budget the trainer
    /// runs once more on the kept features. The other trainers' models are kept whole, over every feature.
    /// </summary>
    private static Trained TrainWithMlNet(TextFeaturizer featurizer, SparseMatrix x, IReadOnlyList<int> y, int classes,
        TrainerOptions options, CancellationToken cancel)
    {
        var model = FitMlNet(x, y, featurizer.Dimension, classes, options);
        if (model.TryLinear() is not { } linear) return new Trained(featurizer, null, model);
        var kept = featurizer;
        if (FeaturePruning.Applies(options.Compact.FeatureBudget, featurizer.Dimension))
        {
            var keep = FeaturePruning.Select(linear.Weights, featurizer.Dimension, options.Compact.FeatureBudget);
            FeaturePruning.Restrict(x, featurizer, keep, options.EffectiveThreads, cancel);
            kept = featurizer.Prune(keep);
            linear = FitMlNet(x, y, kept.Dimension, classes, options).TryLinear()!.Value;
        }
        return new Trained(kept, Compact(linear.Weights, linear.Bias, kept.Dimension, linear.Softmax, options.Compact), null);
    }

    private static MlNetModel FitMlNet(SparseMatrix x, IReadOnlyList<int> y, int dimension, int classes, TrainerOptions options)
    {
        var ml = new MLContext(options.Seed);
        // Multi-pass trainers would otherwise re-enumerate (and re-box) the rows on every pass.
        var view = ml.Data.Cache(FeatureData.Build(ml, x, y, dimension, classes));
        return new MlNetModel(ml, TrainerFactory.Create(ml, options).Fit(view), dimension);
    }

    /// <summary>
    /// Counts the n-grams of <paramref name="texts"/>, each read and tokenized once: everything after (vocabulary,
    /// vectors, names, folds) comes from the counts. <paramref name="release"/> may let each text go once it is counted.
    /// </summary>
    internal static CountedCorpus Count(IReadOnlyList<string> texts, FeaturizerOptions options, int threads, IProgress<ProgressUpdate>? progress,
        CancellationToken cancel, Action<int>? release = null, SpillFile? spill = null)
    {
        RequireMinDf(options, texts.Count);
        progress?.Report(new ProgressUpdate($"featurizing {texts.Count:N0} documents: counting their n-grams"));
        return CountingPass.Run(texts, options, threads, cancel, progress, release, spill: spill);
    }

    /// <summary>
    /// Counts a training set's texts: those <paramref name="streamed"/> from disk (each let go once counted), else its
    /// own (let go once counted when <paramref name="releaseTexts"/>).
    /// </summary>
    internal static CountedCorpus Count(LabeledDataset train, StreamedTexts? streamed, FeaturizerOptions options, int threads,
        IProgress<ProgressUpdate>? progress, CancellationToken cancel, bool releaseTexts, SpillFile? spill) =>
        streamed is null
            ? Count(train.Texts, options, threads, progress, cancel, releaseTexts ? train.ReleaseText : null, spill)
            : Count(streamed, options, threads, progress, cancel, streamed.Release, spill);

    /// <summary>The vocabulary of all of <paramref name="texts"/> (unnamed), their vectors, and what names the features.</summary>
    internal static (TextFeaturizer Featurizer, SparseMatrix Vectors, TermNames Names) FitFeatures(IReadOnlyList<string> texts,
        FeaturizerOptions options, int threads, IProgress<ProgressUpdate>? progress, CancellationToken cancel, Action<int>? release = null)
    {
        var corpus = Count(texts, options, threads, progress, cancel, release);
        var (featurizer, vectors) = Vectorize(corpus, null, options, threads, cancel, consume: true);
        return (featurizer, vectors, corpus.Names);
    }

    /// <summary>The vocabulary of <paramref name="rows"/> of a counted corpus (null: all), unnamed, and their vectors.</summary>
    internal static (TextFeaturizer Featurizer, SparseMatrix Vectors) Vectorize(CountedCorpus corpus, IReadOnlyList<int>? rows,
        FeaturizerOptions options, int threads, CancellationToken cancel, bool consume = false)
    {
        var (featurizer, featureOf) = corpus.Vocabulary(rows, options, threads, cancel);
        if (featurizer.Dimension == 0) throw new InputException(NoFeatures(options, rows?.Count ?? corpus.Rows));
        return (featurizer, corpus.Vectors(rows, featurizer, featureOf, threads, cancel, consume));
    }

    /// <summary>Why the vocabulary came out empty, and what to change.</summary>
    private static string NoFeatures(FeaturizerOptions options, int documents) => options.MinDocumentFrequency > 1
        ? $"no features left: no n-gram is in --min-df {options.MinDocumentFrequency} or more of the {documents:N0} documents trained on; lower --min-df (0 = automatic)"
        : $"no features: the {documents:N0} documents trained on hold no word or character n-grams (only punctuation and symbols{(options.RemoveStopWords ? ", or stop words with --stop-words" : "")})";

    /// <summary>Predicts every document of <paramref name="data"/> and scores the predictions.</summary>
    public static (MulticlassMetrics Metrics, float[][] Probabilities) Evaluate(ClassifierModel model, LabeledDataset data,
        int threads = 0, CancellationToken cancel = default)
    {
        data.LoadTexts(cancel);
        return Score(model, data.Labels, model.PredictAll(data.Texts, threads, cancel));
    }

    /// <summary>As <see cref="Evaluate"/>, for <paramref name="rows"/> of a counted corpus: no text is read again.</summary>
    internal static (MulticlassMetrics Metrics, float[][] Probabilities) Evaluate(ClassifierModel model, CountedCorpus corpus, IReadOnlyList<int> rows,
        LabeledDataset all, int threads, CancellationToken cancel) =>
        Score(model, rows.Select(r => all.Labels[r]).ToList(), model.PredictAll(corpus.VectorsFor(model.Featurizer, rows, threads, cancel), threads, cancel));

    private static (MulticlassMetrics Metrics, float[][] Probabilities) Score(ClassifierModel model, IReadOnlyList<string> gold, float[][] probabilities)
    {
        // Labels the model never saw still count: as errors, in rows of their own.
        var labels = model.Labels.Concat(gold.Distinct().Where(l => !model.Labels.Contains(l)).OrderBy(l => l, StringComparer.Ordinal)).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var padded = labels.Count == model.Labels.Count ? probabilities : probabilities.Select(p => Pad(p, labels.Count)).ToArray();
        return (MulticlassEvaluator.Evaluate(gold.Select(l => index[l]).ToList(), padded, labels), padded);
    }

    /// <summary>Predicts label sets for every document of <paramref name="data"/> and scores them against the true sets.</summary>
    public static (MultiLabelMetrics Metrics, float[][] Probabilities, string[][] Predicted) EvaluateMultiLabel(ClassifierModel model,
        LabeledDataset data, int threads = 0, CancellationToken cancel = default)
    {
        data.LoadTexts(cancel);
        return ScoreMultiLabel(model, data.Labels, model.PredictAll(data.Texts, threads, cancel));
    }

    /// <summary>As <see cref="EvaluateMultiLabel"/>, for <paramref name="rows"/> of a counted corpus.</summary>
    internal static (MultiLabelMetrics Metrics, float[][] Probabilities, string[][] Predicted) EvaluateMultiLabel(ClassifierModel model,
        CountedCorpus corpus, IReadOnlyList<int> rows, LabeledDataset all, int threads, CancellationToken cancel) =>
        ScoreMultiLabel(model, rows.Select(r => all.Labels[r]).ToList(),
            model.PredictAll(corpus.VectorsFor(model.Featurizer, rows, threads, cancel), threads, cancel));

    private static (MultiLabelMetrics Metrics, float[][] Probabilities, string[][] Predicted) ScoreMultiLabel(ClassifierModel model,
        IReadOnlyList<string> gold, float[][] probabilities)
    {
        var separator = model.Manifest.MultiLabel?.Separator ?? throw new InvalidOperationException("not a multi-label model");
        var predicted = probabilities.Select(p => model.SelectLabels(p).Select(i => model.Labels[i]).ToArray()).ToArray();
        var sets = gold.Select(l => (IReadOnlyCollection<string>)LabelSets.Parse(l, separator)).ToList();
        return (MultiLabelEvaluator.Evaluate(sets, predicted, model.Labels), probabilities, predicted);
    }

    private static float[] Pad(float[] p, int length)
    {
        var r = new float[length];
        p.CopyTo(r, 0);
        return r;
    }
}
