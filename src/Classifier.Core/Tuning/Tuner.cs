using System.Diagnostics;
using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Core.Tuning;

/// <summary>How `tune` runs: the metric, the folds, and the budget (a time, a number of trials, or both).</summary>
public sealed record TuneOptions(TuneMetric Metric, int Folds, TimeSpan? TimeBudget, int? MaxTrials)
{
    public void Validate()
    {
        if (Folds < 2) throw new InputException($"--folds must be at least 2 (got {Folds})");
        if (TimeBudget is { } t && t <= TimeSpan.Zero) throw new InputException("--time-budget must be above 0");
        if (MaxTrials is < 1) throw new InputException("--trials must be at least 1");
        if (TimeBudget is null && MaxTrials is null) throw new InputException("give --time-budget DURATION or --trials N");
    }
}

/// <summary>
/// The search behind `classifier tune`: k-fold cross-validation on the training data only, trials in the order of
/// <see cref="TuneSearch"/>, each fold through <see cref="CrossValidation.Fold"/>, the workflow cross-validate uses, on texts counted once per
/// n-gram setting (<see cref="CountedCorpora"/>).
/// A trial whose first fold is more than a point behind the best trial's first fold stops there (racing over folds, so
/// hopeless settings cost one fold, not k). A trial that would run past the time budget is stopped, not waited for;
/// the first trial is always the defaults, so there is always a best. Interrupting stops the search the same way.
/// </summary>
public static class Tuner
{
    /// <summary>How far behind the best trial's first fold a trial's may be and still go on (accuracy and macro-F1: one point).</summary>
    public static double PruneMargin(TuneMetric m) => m == TuneMetric.LogLoss ? 0.05 : 0.01;

    public static TuneResult Run(LabeledDataset data, FeaturizerOptions featurizer, TrainerOptions trainer, TuneOptions options,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var metric = options.Metric;
        var assignment = Splits.Folds(data.Labels, options.Folds, trainer.Seed);
        var largestFold = assignment.GroupBy(a => a).Max(g => g.Count());
        ModelTrainer.RequireMinDf(featurizer, data.Count - largestFold);
        var corpora = new CountedCorpora(data, trainer.EffectiveThreads);
        // Each fold's last solution starts its next trial (see SvmWarmStart).
        var starts = Enumerable.Range(0, options.Folds).Select(_ => new SvmWarmStart()).ToArray();
        var clock = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (options.TimeBudget is { } t) budget.CancelAfter(t);
        var trials = new List<TuneTrial>();
        var baseline = TuneSettings.From(featurizer, trainer);
        var batch = TuneSearch.OneAtATime(baseline);
        var stage = 0;
        var queue = new Queue<TuneSettings>(batch);
        // The timer above interrupts a fold in progress; the clock is also read between folds, since a busy thread pool can run the timer late.
        bool Spent() => budget.IsCancellationRequested || options.TimeBudget is { } limit && clock.Elapsed >= limit;
        while (true)
        {
            if (queue.Count == 0)
            {
                stage++;
                foreach (var s in TuneSearch.Next(trials, metric, stage)) queue.Enqueue(s);
                if (queue.Count == 0) break;
            }
            if (options.MaxTrials is { } max && trials.Count >= max) break;
            // The first trial always starts, so a budget spent before it still shows a trial (stopped) and its reason.
            if (trials.Count > 0 && Spent()) break;
            var settings = queue.Dequeue();
            var (f, tr) = settings.Apply(featurizer, trainer);
            var number = trials.Count + 1;
            progress?.Report(options.MaxTrials is { } n
                ? new ProgressUpdate($"trial {number}: {settings}", trials.Count, n)
                : new ProgressUpdate($"trial {number}: {settings}", (long)clock.Elapsed.TotalSeconds, (long)options.TimeBudget!.Value.TotalSeconds));
            var started = clock.Elapsed;
            var scores = new List<double>();
            var status = TuneTrial.Done;
            var bestFirst = trials.Where(x => x.Status == TuneTrial.Done).Select(x => x.FoldScores[0]).DefaultIfEmpty(double.NaN)
                .Aggregate((a, b) => double.IsNaN(a) || metric.Better(b, a) ? b : a);
            try
            {
                var corpus = corpora.For(f, budget.Token);
                for (int fold = 0; fold < options.Folds; fold++)
                {
                    var (m, _, _, _) = CrossValidation.Fold(corpus, data, assignment, fold, f, tr, null, budget.Token, starts[fold]);
                    // A fold may finish without looking at the clock: a trial not done when the budget ends is stopped all the same.
                    if (Spent()) throw new OperationCanceledException(budget.Token);
                    scores.Add(metric.Of(m));
                    if (fold == 0 && !double.IsNaN(bestFirst) && !metric.Better(scores[0] + (metric == TuneMetric.LogLoss ? -1 : 1) * PruneMargin(metric), bestFirst))
                    {
                        status = TuneTrial.Pruned;
                        break;
                    }
                }
            }
            catch (Exception e) when (Spent() && (e is OperationCanceledException || e is AggregateException))
            {
                status = TuneTrial.Stopped;
            }
            trials.Add(new TuneTrial(number, settings, scores, Math.Round((clock.Elapsed - started).TotalSeconds, 2), status));
            if (status == TuneTrial.Stopped) break;
        }
        var finished = trials.Where(x => x.Status == TuneTrial.Done).ToList();
        var best = finished.Count == 0 ? null : finished.Aggregate((a, b) => metric.Better(b.Score, a.Score) ? b : a);
        return new TuneResult(trials, best, best?.Settings ?? baseline, cancel.IsCancellationRequested, !cancel.IsCancellationRequested && Spent());
    }
}
