using System.Diagnostics;
using Classifier.Core.Data;
using Classifier.Core.Evaluation;
using Classifier.Core.Features;
using Classifier.Core.Models;

namespace Classifier.Core.Training;

/// <summary>
/// Stratified k-fold cross-validation: each fold trains a fresh featurizer and model on the others, folds side by side
/// (<see cref="FoldWaves"/>). The texts are
/// counted once (<see cref="CountingPass"/>); each fold's vocabulary, IDF and weights come from its training rows' counts
/// only, and its test rows are vectorized from their counts under that fold's vocabulary, as their texts would be.
/// </summary>
public static class CrossValidation
{
    /// <param name="PooledRows">Row of the data behind each pooled prediction, in pooling order.</param>
    /// <param name="PooledProbabilities">Each pooled prediction's probabilities, in <see cref="MulticlassMetrics.Labels"/> order of <paramref name="Pooled"/>.</param>
    public sealed record Result(IReadOnlyList<MulticlassMetrics> Folds, IReadOnlyList<double> TrainSeconds, MulticlassMetrics Pooled,
        IReadOnlyList<int> PooledRows, IReadOnlyList<float[]> PooledProbabilities)
    {
        public (double Mean, double Std) Accuracy => Stats(Folds.Select(f => f.Accuracy));
        public (double Mean, double Std) MacroF1 => Stats(Folds.Select(f => f.MacroF1));
    }

    public static Result Run(LabeledDataset data, int folds, Features.FeaturizerOptions featurizer, TrainerOptions trainer,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        data.LoadTexts(cancel); // every fold counts every text
        var assignment = Splits.Folds(data.Labels, folds, trainer.Seed);
        var corpus = CountFolds(data, assignment, featurizer, trainer, progress, cancel);
        var metrics = new List<MulticlassMetrics>();
        var seconds = new List<double>();
        var labels = data.DistinctLabels();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var pooledGold = new List<int>();
        var pooledProbabilities = new List<float[]>();
        var pooledRows = new List<int>();
        var results = FoldWaves.RunAll(folds, trainer, (f, tr, c) => Fold(corpus, data, assignment, f, featurizer, tr, progress, c), cancel,
            FoldWaves.AtOnce(corpus, data.Texts, trainer.EffectiveThreads));
        foreach (var (m, probabilities, testRows, trainSeconds) in results)
        {
            var test = data.Subset(testRows);
            seconds.Add(trainSeconds);
            metrics.Add(m);
            // A fold's model may lack a rare class; pool in the full label order.
            var modelIndex = m.Labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
            pooledRows.AddRange(testRows);
            foreach (var (p, gold) in probabilities.Zip(test.Labels))
            {
                var full = new float[labels.Count];
                foreach (var l in labels) if (modelIndex.TryGetValue(l, out var j)) full[index[l]] = p[j];
                pooledProbabilities.Add(full);
                pooledGold.Add(index[gold]);
            }
        }
        return new Result(metrics, seconds, MulticlassEvaluator.Evaluate(pooledGold, pooledProbabilities, labels), pooledRows, pooledProbabilities);
    }

    /// <summary>What a fold's warnings are prefixed with (<see cref="WarningsOnly"/>).</summary>
    internal const string FoldContext = "cross-validation folds";

    /// <summary>
    /// One fold: a fresh featurizer and model on the rows whose <paramref name="assignment"/> is not
    /// <paramref name="fold"/>, evaluated on those whose it is, all from <paramref name="corpus"/> (the counts of
    /// <paramref name="data"/>'s texts). The unit of work of cross-validation and of tune.
    /// </summary>
    internal static (MulticlassMetrics Metrics, IReadOnlyList<float[]> Probabilities, List<int> TestRows, double TrainSeconds) Fold(
        CountedCorpus corpus, LabeledDataset data, int[] assignment, int fold, Features.FeaturizerOptions featurizer, TrainerOptions trainer,
        IProgress<ProgressUpdate>? progress, CancellationToken cancel, SvmWarmStart? start = null, string context = FoldContext)
    {
        var (trainRows, testRows) = Split(assignment, fold);
        progress?.Report(new ProgressUpdate($"fold {fold + 1}/{assignment.Max() + 1}: training on {trainRows.Count:N0} documents"));
        var clock = Stopwatch.StartNew();
        var description = new DataDescription(data.Source, "", data.Count, data.SkippedRows, trainRows.Count, testRows.Count);
        var model = ModelTrainer.Fit(corpus, trainRows, data, featurizer, trainer, description, WarningsOnly.Of(progress, context), cancel, named: false, start: start);
        var seconds = clock.Elapsed.TotalSeconds;
        var (m, probabilities) = ModelTrainer.Evaluate(model, corpus, testRows, data, trainer.EffectiveThreads, cancel);
        return (m, probabilities, testRows, seconds);
    }

    /// <summary>The texts counted once for all folds, after the checks that need no counting (a --min-df above a fold's training rows).</summary>
    internal static CountedCorpus CountFolds(LabeledDataset data, int[] assignment, Features.FeaturizerOptions featurizer, TrainerOptions trainer,
        IProgress<ProgressUpdate>? progress, CancellationToken cancel)
    {
        var largestFold = assignment.Length == 0 ? 0 : assignment.GroupBy(a => a).Max(g => g.Count());
        ModelTrainer.RequireMinDf(featurizer, data.Count - largestFold);
        return ModelTrainer.Count(data.Texts, featurizer, trainer.EffectiveThreads, progress, cancel);
    }

    /// <summary>The training rows and the test rows of one fold, each in order.</summary>
    private static (List<int> Train, List<int> Test) Split(int[] assignment, int fold) =>
        (Enumerable.Range(0, assignment.Length).Where(i => assignment[i] != fold).ToList(),
         Enumerable.Range(0, assignment.Length).Where(i => assignment[i] == fold).ToList());

    public sealed record MultiLabelResult(IReadOnlyList<MultiLabelMetrics> Folds, IReadOnlyList<double> TrainSeconds)
    {
        public (double Mean, double Std) MicroF1 => Stats(Folds.Select(f => f.MicroF1));
        public (double Mean, double Std) MacroF1 => Stats(Folds.Select(f => f.MacroF1));
        public (double Mean, double Std) ExactMatch => Stats(Folds.Select(f => f.ExactMatch));
    }

    /// <summary>k random folds (label sets are too varied to stratify on), each with its own thresholds.</summary>
    public static MultiLabelResult RunMultiLabel(LabeledDataset data, int folds, Features.FeaturizerOptions featurizer, TrainerOptions trainer,
        MultiLabelOptions options, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        data.LoadTexts(cancel);
        var assignment = Splits.RandomFolds(data.Count, folds, trainer.Seed);
        var corpus = CountFolds(data, assignment, featurizer, trainer, progress, cancel);
        var results = FoldWaves.RunAll(folds, trainer, (f, tr, c) => MultiLabelFold(corpus, data, assignment, f, featurizer, tr, options, progress, c), cancel,
            FoldWaves.AtOnce(corpus, data.Texts, trainer.EffectiveThreads));
        return new MultiLabelResult(results.Select(r => r.Metrics).ToList(), results.Select(r => r.TrainSeconds).ToList());
    }

    /// <summary>One multi-label fold, as <see cref="Fold"/> is one single-label fold: the unit of work of cross-validate and tune.</summary>
    internal static (MultiLabelMetrics Metrics, double TrainSeconds) MultiLabelFold(CountedCorpus corpus, LabeledDataset data, int[] assignment, int fold,
        Features.FeaturizerOptions featurizer, TrainerOptions trainer, MultiLabelOptions options, IProgress<ProgressUpdate>? progress, CancellationToken cancel,
        string context = FoldContext)
    {
        var (trainRows, testRows) = Split(assignment, fold);
        progress?.Report(new ProgressUpdate($"fold {fold + 1}/{assignment.Max() + 1}: training on {trainRows.Count:N0} documents"));
        var clock = Stopwatch.StartNew();
        var description = new DataDescription(data.Source, "", data.Count, data.SkippedRows, trainRows.Count, testRows.Count);
        var model = MultiLabelTrainer.Fit(corpus, trainRows, data, featurizer, trainer, options, description, WarningsOnly.Of(progress, context), cancel, named: false);
        var seconds = clock.Elapsed.TotalSeconds;
        return (ModelTrainer.EvaluateMultiLabel(model, corpus, testRows, data, trainer.EffectiveThreads, cancel).Metrics, seconds);
    }

    public static (double Mean, double Std) Stats(IEnumerable<double> values)
    {
        var v = values.ToList();
        var mean = v.Average();
        var std = v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1)) : 0;
        return (mean, std);
    }
}
