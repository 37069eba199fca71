using System.Diagnostics;
using Classifier.Core.Data;
using Classifier.Core.Evaluation;
using Classifier.Core.Models;

namespace Classifier.Core.Training;

/// <summary>Stratified k-fold cross-validation: each fold trains a fresh featurizer and model on the others.</summary>
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
        var assignment = Splits.Folds(data.Labels, folds, trainer.Seed);
        var metrics = new List<MulticlassMetrics>();
        var seconds = new List<double>();
        var labels = data.DistinctLabels();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var pooledGold = new List<int>();
        var pooledProbabilities = new List<float[]>();
        var pooledRows = new List<int>();
        for (int f = 0; f < folds; f++)
        {
            var (m, probabilities, testRows, trainSeconds) = Fold(data, assignment, f, featurizer, trainer, progress, cancel);
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

    /// <summary>
    /// One fold: a fresh featurizer and model on the rows whose <paramref name="assignment"/> is not
    /// <paramref name="fold"/>, evaluated on those whose it is. The unit of work of cross-validation and of tune.
    /// </summary>
    public static (MulticlassMetrics Metrics, IReadOnlyList<float[]> Probabilities, List<int> TestRows, double TrainSeconds) Fold(
        LabeledDataset data, int[] assignment, int fold, Features.FeaturizerOptions featurizer, TrainerOptions trainer,
        IProgress<ProgressUpdate>? progress, CancellationToken cancel)
    {
        var folds = assignment.Length == 0 ? 0 : assignment.Max() + 1;
        var trainRows = Enumerable.Range(0, data.Count).Where(i => assignment[i] != fold).ToList();
        var testRows = Enumerable.Range(0, data.Count).Where(i => assignment[i] == fold).ToList();
        progress?.Report(new ProgressUpdate($"fold {fold + 1}/{folds}: training on {trainRows.Count:N0} documents"));
        var clock = Stopwatch.StartNew();
        var description = new DataDescription(data.Source, "", data.Count, data.SkippedRows, trainRows.Count, testRows.Count);
        var model = ModelTrainer.Fit(data.Subset(trainRows), featurizer, trainer, description, null, cancel);
        var seconds = clock.Elapsed.TotalSeconds;
        var (m, probabilities) = ModelTrainer.Evaluate(model, data.Subset(testRows), trainer.EffectiveThreads, cancel);
        return (m, probabilities, testRows, seconds);
    }

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
        var assignment = Splits.RandomFolds(data.Count, folds, trainer.Seed);
        var metrics = new List<MultiLabelMetrics>();
        var seconds = new List<double>();
        for (int f = 0; f < folds; f++)
        {
            var trainRows = Enumerable.Range(0, data.Count).Where(i => assignment[i] != f).ToList();
            var testRows = Enumerable.Range(0, data.Count).Where(i => assignment[i] == f).ToList();
            progress?.Report(new ProgressUpdate($"fold {f + 1}/{folds}: training on {trainRows.Count:N0} documents"));
            var clock = Stopwatch.StartNew();
            var description = new DataDescription(data.Source, "", data.Count, data.SkippedRows, trainRows.Count, testRows.Count);
            var model = MultiLabelTrainer.Fit(data.Subset(trainRows), featurizer, trainer, options, description, null, cancel);
            seconds.Add(clock.Elapsed.TotalSeconds);
            metrics.Add(ModelTrainer.EvaluateMultiLabel(model, data.Subset(testRows), trainer.EffectiveThreads, cancel).Metrics);
        }
        return new MultiLabelResult(metrics, seconds);
    }

    public static (double Mean, double Std) Stats(IEnumerable<double> values)
    {
        var v = values.ToList();
        var mean = v.Average();
        var std = v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1)) : 0;
        return (mean, std);
    }
}
