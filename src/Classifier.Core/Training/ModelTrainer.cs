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
        featurizerOptions.Validate();
        trainerOptions.Validate();
        var labels = train.DistinctLabels();
        if (labels.Count < 2)
            throw new InputException($"only one class ('{labels[0]}') in column '{train.LabelColumn}'; a classifier needs at least two", train.Source, column: train.LabelColumn);
        var clock = Stopwatch.StartNew();
        var threads = trainerOptions.EffectiveThreads;

        var (featurizer, vectors) = FitFeatures(train.Texts, featurizerOptions, threads, progress, cancel, releaseTexts ? train.ReleaseText : null);
        progress?.Report(new ProgressUpdate($"stored {vectors.Entries:N0} features of {vectors.Rows:N0} documents ({vectors.Entries * 6 / 1e6:N0} MB)"));

        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var y = train.Labels.Select(l => index[l]).ToList();
        progress?.Report(new ProgressUpdate($"training {trainerOptions.Trainer.Name()} on {train.Count:N0} documents, {featurizer.Dimension:N0} features"));
        var trained = trainerOptions.Trainer == TrainerKind.Svm
            ? FromSvm(OneVersusRestSvm.Train(vectors, y, labels.Count, featurizer, trainerOptions, trainerOptions.Compact.FeatureBudget, cancel, progress),
                featurizer, trainerOptions.Compact)
            : TrainWithMlNet(featurizer, vectors, y, labels.Count, trainerOptions, cancel);
        cancel.ThrowIfCancellationRequested();

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

    private sealed record Trained(TextFeaturizer Featurizer, LinearScorer? Linear, MlNetModel? MlNet);

    internal static CompactSettings Describe(CompactOptions o, int trainedFeatures, int keptFeatures, bool linear) =>
        new(o.FeatureBudget, linear ? o.Weights.Name() : "ml.net", o.MlNetExport && linear, trainedFeatures, keptFeatures);

    private static Trained FromSvm(OneVersusRestSvm.Result r, TextFeaturizer featurizer, CompactOptions o)
    {
        var kept = r.Keep is null ? featurizer : featurizer.Prune(r.Keep);
        return new Trained(kept, Compact(r.Weights, r.Bias, kept.Dimension, softmax: true, o), null);
    }

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
    /// Fits the vocabulary on <paramref name="texts"/> and turns each of them into its vector, in one store; the features'
    /// names are found in the same pass, after which <paramref name="release"/> may let each text go.
    /// </summary>
    internal static (TextFeaturizer Featurizer, SparseMatrix Vectors) FitFeatures(IReadOnlyList<string> texts, FeaturizerOptions options,
        int threads, IProgress<ProgressUpdate>? progress, CancellationToken cancel, Action<int>? release = null)
    {
        // A model without features predicts the class priors for every text; it is refused before any training, and
        // before counting at all when --min-df alone makes it certain.
        if (options.MinDocumentFrequency > texts.Count)
            throw new InputException($"no features left: --min-df {options.MinDocumentFrequency} is more than the {texts.Count:N0} documents trained on, " +
                "so no n-gram can be in that many; lower --min-df (0 = automatic)");
        progress?.Report(new ProgressUpdate($"featurizing {texts.Count:N0} documents: counting their n-grams"));
        var corpus = CountingPass.Run(texts, options, threads, cancel, progress, release);
        return Vectorize(corpus, null, options, threads, cancel, names: true, consume: true);
    }

    /// <summary>
    /// The vocabulary of <paramref name="rows"/> of a counted corpus (null: all) and their vectors; named for a model
    /// that is kept, unnamed for one that is only evaluated.
    /// </summary>
    internal static (TextFeaturizer Featurizer, SparseMatrix Vectors) Vectorize(CountedCorpus corpus, IReadOnlyList<int>? rows,
        FeaturizerOptions options, int threads, CancellationToken cancel, bool names, bool consume = false)
    {
        var (featurizer, featureOf) = corpus.Vocabulary(rows, options, threads, cancel);
        if (featurizer.Dimension == 0) throw new InputException(NoFeatures(options, rows?.Count ?? corpus.Rows));
        if (names)
        {
            featurizer = featurizer.WithNames(corpus.Names.Name(featurizer));
            if (consume) corpus.Names.Release();
        }
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
        var probabilities = model.PredictAll(data.Texts, threads, cancel);
        // Labels the model never saw still count: as errors, in rows of their own.
        var labels = model.Labels.Concat(data.Labels.Distinct().Where(l => !model.Labels.Contains(l)).OrderBy(l => l, StringComparer.Ordinal)).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var gold = data.Labels.Select(l => index[l]).ToList();
        var padded = labels.Count == model.Labels.Count ? probabilities : probabilities.Select(p => Pad(p, labels.Count)).ToArray();
        return (MulticlassEvaluator.Evaluate(gold, padded, labels), padded);
    }

    /// <summary>Predicts label sets for every document of <paramref name="data"/> and scores them against the true sets.</summary>
    public static (MultiLabelMetrics Metrics, float[][] Probabilities, string[][] Predicted) EvaluateMultiLabel(ClassifierModel model,
        LabeledDataset data, int threads = 0, CancellationToken cancel = default)
    {
        var separator = model.Manifest.MultiLabel?.Separator ?? throw new InvalidOperationException("not a multi-label model");
        var probabilities = model.PredictAll(data.Texts, threads, cancel);
        var predicted = probabilities.Select(p => model.SelectLabels(p).Select(i => model.Labels[i]).ToArray()).ToArray();
        var gold = data.Labels.Select(l => (IReadOnlyCollection<string>)LabelSets.Parse(l, separator)).ToList();
        return (MultiLabelEvaluator.Evaluate(gold, predicted, model.Labels), probabilities, predicted);
    }

    private static float[] Pad(float[] p, int length)
    {
        var r = new float[length];
        p.CopyTo(r, 0);
        return r;
    }
}
