using System.Diagnostics;
using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Core.Tuning;

/// <summary>How `tune` runs: the metric, the folds, the repeats of them (null: automatic), and the budget (a time, a number of trials, or both).</summary>
public sealed record TuneOptions(TuneMetric Metric, int Folds, TimeSpan? TimeBudget, int? MaxTrials, int? Repeats = null)
{
    /// <summary>Below this many documents the folds are repeated <see cref="SmallDataRepeats"/> times by default: folds of a small set are noisy, and cheap.</summary>
    public const int SmallData = 2_000;
    public const int SmallDataRepeats = 3;

    /// <summary>The repeats for a data set of <paramref name="documents"/>: as given, else 3 below <see cref="SmallData"/> documents and 1 above.</summary>
    public int RepeatsFor(int documents) => Repeats ?? (documents < SmallData ? SmallDataRepeats : 1);

    public void Validate()
    {
        if (Folds < 2) throw new InputException($"--folds must be at least 2 (got {Folds})");
        if (Repeats is < 1) throw new InputException("--repeats must be at least 1");
        if (TimeBudget is { } t && t <= TimeSpan.Zero) throw new InputException("--time-budget must be above 0");
        if (MaxTrials is < 1) throw new InputException("--trials must be at least 1");
        if (TimeBudget is null && MaxTrials is null) throw new InputException("give --time-budget DURATION or --trials N");
    }
}

/// <summary>
/// The search behind `classifier tune`: k-fold cross-validation on the training data only, trials in the order of
/// <see cref="TuneSearch"/>, each fold through <see cref="CrossValidation.Fold"/>, the workflow cross-validate uses, on texts counted once per
/// n-gram setting (<see cref="CountedCorpora"/>).
/// Folds run side by side (<see cref="FoldWaves"/>: two at once on two threads; when they do not fill whole waves, the
/// wave of fewer comes first, so that 3 folds on two threads run the first alone on both, then the other two). A trial
/// whose first fold is more than a point behind the best trial's first fold stops after the wave that holds it, keeping
/// that fold's score only (racing over folds, so hopeless settings cost one wave, not k folds). A trial that would run past the time budget is stopped, not waited for;
/// the first trial is always the defaults, so there is always a best. Interrupting stops the search the same way.
/// Small data sets repeat the k folds with other seeds (<see cref="TuneOptions.RepeatsFor"/>); every trial runs on the
/// same (repeat, fold)s, and the one kept is chosen by its paired gain over the defaults (<see cref="PairedGain.Select"/>).
/// A time budget left when the list is done goes to folds of new splits for the defaults and the trials that lead them
/// (<see cref="TuneConfirmation"/>).
/// </summary>
public static class Tuner
{
    /// <summary>How far behind the best trial's first fold a trial's may be and still go on (accuracy and macro-F1: one point).</summary>
    public static double PruneMargin(TuneMetric m) => m == TuneMetric.LogLoss ? 0.05 : 0.01;

    /// <summary>What the trials' warnings are prefixed with: the model tune saves at the end says its own apart.</summary>
    internal const string TrialContext = "tune trials";

    /// <param name="multiLabel">Multi-label options (random folds, the multi-label trainer, micro- or macro-F1), or null for single-label data.</param>
    public static TuneResult Run(LabeledDataset data, FeaturizerOptions featurizer, TrainerOptions trainer, TuneOptions options,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default, MultiLabelOptions? multiLabel = null)
    {
        options.Validate();
        data.LoadTexts(cancel); // every trial's folds count every text
        var metric = options.Metric;
        var repeats = options.RepeatsFor(data.Count);
        // Repeat r splits with seed + r: every trial sees the same (repeat, fold)s, so their scores pair up.
        // Label sets are too varied to stratify on: multi-label folds are random, as cross-validate makes them.
        int[] Assign(int r) => multiLabel is null
            ? Splits.Folds(data.Labels, options.Folds, trainer.Seed + r) : Splits.RandomFolds(data.Count, options.Folds, trainer.Seed + r);
        var assignments = Enumerable.Range(0, repeats).Select(Assign).ToList();
        var largestFold = assignments.Max(a => a.GroupBy(x => x).Max(g => g.Count()));
        ModelTrainer.RequireMinDf(featurizer, data.Count - largestFold);
        var corpora = new CountedCorpora(data, trainer.EffectiveThreads);
        // Each (repeat, fold)'s last solution starts its next trial (see SvmWarmStart).
        var starts = Enumerable.Range(0, repeats * options.Folds).Select(_ => new SvmWarmStart()).ToArray();
        // The folds' own stage lines stay out of tune's; their warnings pass (see CrossValidation.Fold).
        var quiet = WarningsOnly.Of(progress, context: null);
        var clock = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (options.TimeBudget is { } t) budget.CancelAfter(t);
        var trials = new List<TuneTrial>();
        var baseline = TuneSettings.From(featurizer, trainer, multiLabel);
        var batch = TuneSearch.OneAtATime(baseline);
        var stage = 0;
        var listDone = false;
        var queue = new Queue<TuneSettings>(batch);
        // The timer above interrupts a fold in progress; the clock is also read between folds, since a busy thread pool can run the timer late.
        bool Spent() => budget.IsCancellationRequested || options.TimeBudget is { } limit && clock.Elapsed >= limit;
        // A fold may finish without looking at the clock: work not done when the budget ends is stopped all the same.
        void StopIfSpent()
        {
            if (Spent()) throw new OperationCanceledException(budget.Token);
        }
        // What the budget's end or Ctrl-C throws out of a fold (one of several side by side: wrapped).
        bool CutShort(Exception e) => Spent() && (e is OperationCanceledException || e is AggregateException);
        while (true)
        {
            if (queue.Count == 0)
            {
                stage++;
                foreach (var s in TuneSearch.Next(trials, metric, stage)) queue.Enqueue(s);
                if (queue.Count == 0)
                {
                    listDone = true;
                    break;
                }
            }
            if (options.MaxTrials is { } max && trials.Count >= max) break;
            // The first trial always starts, so a budget spent before it still shows a trial (stopped) and its reason.
            if (trials.Count > 0 && Spent()) break;
            var settings = queue.Dequeue();
            var (f, tr) = settings.Apply(featurizer, trainer);
            var number = trials.Count + 1;
            progress?.Report(options.MaxTrials is { } n
                ? new ProgressUpdate($"trial {number}: {settings}", trials.Count, n, Work: "trials")
                : new ProgressUpdate($"trial {number}: {settings}", (long)clock.Elapsed.TotalSeconds, (long)options.TimeBudget!.Value.TotalSeconds, Seconds: true));
            var started = clock.Elapsed;
            var scores = new List<double>();
            var status = TuneTrial.Done;
            var bestFirst = trials.Where(x => x.Status == TuneTrial.Done).Select(x => x.FoldScores[0]).DefaultIfEmpty(double.NaN)
                .Aggregate((a, b) => double.IsNaN(a) || metric.Better(b, a) ? b : a);
            try
            {
                var corpus = corpora.For(f, budget.Token);
                // Folds side by side (FoldWaves); the first wave holds the first fold, which decides the racing.
                foreach (var (runs, threadsEach) in FoldWaves.Plan(repeats * options.Folds, tr.EffectiveThreads, FoldWaves.AtOnce(corpus, data.Texts, tr.EffectiveThreads),
                             remainderFirst: true))
                {
                    // The runs beside the first decide nothing if the first prunes the trial: they solve from a copy of
                    // their warm start, kept only if the trial goes on, so that a pruned trial leaves what it would have
                    // left one fold at a time, and the scores do not depend on the thread count.
                    var first = runs[0] == 0;
                    var wave = FoldWaves.Run(runs, threadsEach, tr, (run, each, token) =>
                    {
                        var start = first && run != 0 ? new SvmWarmStart { Final = starts[run].Final } : starts[run];
                        return (Score: FoldScore(settings, corpus, f, each, run, start, token), Start: start);
                    }, budget.Token);
                    StopIfSpent();
                    if (first && !double.IsNaN(bestFirst) && !metric.Better(wave[0].Score + (metric == TuneMetric.LogLoss ? -1 : 1) * PruneMargin(metric), bestFirst))
                    {
                        scores.Add(wave[0].Score);
                        status = TuneTrial.Pruned;
                        break;
                    }
                    for (int i = 0; i < runs.Length; i++) starts[runs[i]] = wave[i].Start;
                    scores.AddRange(wave.Select(w => w.Score));
                }
            }
            catch (Exception e) when (CutShort(e))
            {
                status = TuneTrial.Stopped;
            }
            var paired = trials.Count > 0 && trials[0].Status == TuneTrial.Done && status == TuneTrial.Done
                ? PairedGain.Of(scores, trials[0].FoldScores, metric, options.Folds) : PairedGain.None;
            trials.Add(new TuneTrial(number, settings, scores, Math.Round((clock.Elapsed - started).TotalSeconds, 2), status) { Paired = paired });
            if (status == TuneTrial.Stopped) break;
        }
        // The best mean over the folds every trial ran, before confirmation adds folds to a few.
        var finished = trials.Where(x => x.Status == TuneTrial.Done).ToList();
        var bestMean = finished.Count == 0 ? null : finished.Aggregate((a, b) => metric.Better(b.Score, a.Score) ? b : a);
        var confirmed = listDone && options.TimeBudget is not null ? Confirm() : 0;
        // Chosen on the first splits, shown as it stands after confirmation (its row in the table).
        if (bestMean is not null) bestMean = trials[bestMean.Number - 1];
        var best = PairedGain.Select(trials);
        return new TuneResult(trials, best, best?.Settings ?? baseline, cancel.IsCancellationRequested, !cancel.IsCancellationRequested && !listDone && Spent(),
            bestMean, repeats, listDone, confirmed) { Seconds = Math.Round(clock.Elapsed.TotalSeconds, 2) };

        // One fold of a trial: its score on (repeat, fold) `run`, the solve started from `start`.
        double FoldScore(TuneSettings settings, CountedCorpus corpus, FeaturizerOptions f, TrainerOptions each, int run, SvmWarmStart start, CancellationToken token)
        {
            var (repeat, fold) = (run / options.Folds, run % options.Folds);
            return multiLabel is null
                ? metric.Of(CrossValidation.Fold(corpus, data, assignments[repeat], fold, f, each, quiet, token, start, TrialContext).Metrics)
                : metric.Of(CrossValidation.MultiLabelFold(corpus, data, assignments[repeat], fold, f, each, settings.Apply(multiLabel), quiet, token, TrialContext).Metrics);
        }

        // TuneConfirmation while the budget lasts: new splits of the folds, each fold run by the defaults and the trials
        // that lead them and kept when all of them ran it. Returns how many folds were kept.
        int Confirm()
        {
            var kept = 0;
            var leaders = TuneConfirmation.Pick(trials);
            for (var repeat = repeats; leaders.Count > 0 && repeat < TuneConfirmation.MaxRepeats; repeat++)
            {
                assignments.Add(Assign(repeat));
                // The defaults first, then the leaders grouped by their n-grams; every counting they need stays in
                // memory for the split. A corpus packed for its size keeps two (the defaults' and the latest), so
                // leaders with two other n-gram settings count them again on each fold: slow, but bounded in memory.
                var order = new List<int> { 0 };
                order.AddRange(leaders.OrderBy(i => Ngrams(trials[i].Settings) == Ngrams(trials[0].Settings) ? 0 : 1)
                    .ThenBy(i => Ngrams(trials[i].Settings)).ThenBy(i => i));
                var setup = order.Select(i =>
                {
                    var (f, tr) = trials[i].Settings.Apply(featurizer, trainer);
                    return new Confirming(trials[i].Settings, f, tr);
                }).ToList();
                var defaultsCorpus = corpora.For(setup[0].Featurizer, budget.Token);
                if (!defaultsCorpus.Counts.IsPacked)
                    corpora.Capacity = Math.Max(CountedCorpora.DefaultCapacity, setup.Select(c => Ngrams(c.Settings)).Distinct().Count());
                var atOnce = Math.Min(2, FoldWaves.AtOnce(defaultsCorpus, data.Texts, trainer.EffectiveThreads));
                for (var fold = 0; fold < options.Folds; fold++)
                {
                    if (Spent()) return kept;
                    progress?.Report(new ProgressUpdate($"confirming trials {string.Join(", ", order.Select(i => trials[i].Number))} on fold {fold + 1} of split {repeat + 1}",
                        (long)clock.Elapsed.TotalSeconds, (long)options.TimeBudget!.Value.TotalSeconds, Seconds: true));
                    var started = clock.Elapsed;
                    double[] column;
                    try
                    {
                        column = ConfirmFold(setup, repeat * options.Folds + fold, atOnce);
                    }
                    catch (Exception e) when (CutShort(e))
                    {
                        return kept; // a fold cut short is dropped: every trial's scores stay paired
                    }
                    catch (InputException e)
                    {
                        // A new split the data cannot give (a fold without two classes): the search stands as it is.
                        progress?.Report(new ProgressUpdate($"tune: stopped confirming the leading trials on split {repeat + 1}: {e.Message}", Warning: true));
                        return kept;
                    }
                    trials = TuneConfirmation.Commit(trials, order, column, (clock.Elapsed - started).TotalSeconds / order.Count, metric, options.Folds);
                    kept++;
                }
                // A leader whose gain fell to zero or below cannot be kept: the next splits go to the others.
                leaders = leaders.Where(i => trials[i].Paired.Gain > 0).ToList();
            }
            return kept;
        }

        // One fold (`run`) for each trial of `setup`, `atOnce` (at most two) at a time. The k-th trial's solve starts from
        // the (k − 2)-th's solution (the first two from zero), whatever the thread count, so that the scores do not depend on it.
        double[] ConfirmFold(List<Confirming> setup, int run, int atOnce)
        {
            var scores = new double[setup.Count];
            var solved = new SvmWarmStart[setup.Count];
            var threads = trainer.EffectiveThreads;
            for (var first = 0; first < setup.Count;)
            {
                var width = Math.Min(atOnce, setup.Count - first);
                // The wave's counts, found (or counted) here on one thread: CountedCorpora is not shared between threads.
                var corpusOf = Enumerable.Range(first, width).Select(p => corpora.For(setup[p].Featurizer, budget.Token)).ToArray();
                var wave = FoldWaves.Run(Enumerable.Range(first, width).ToArray(), Math.Max(1, threads / width), trainer, (p, each, token) =>
                {
                    var start = new SvmWarmStart { Final = p >= 2 ? solved[p - 2].Final : null };
                    var score = FoldScore(setup[p].Settings, corpusOf[p - first], setup[p].Featurizer, setup[p].Trainer with { Threads = each.Threads }, run, start, token);
                    return (Score: score, Start: start);
                }, budget.Token);
                StopIfSpent();
                for (int w = 0; w < width; w++) (scores[first + w], solved[first + w]) = wave[w];
                first += width;
            }
            return scores;
        }
    }

    /// <summary>A trial that confirmation runs: its settings and what they make of the defaults' featurizer and trainer.</summary>
    private sealed record Confirming(TuneSettings Settings, FeaturizerOptions Featurizer, TrainerOptions Trainer);

    /// <summary>What a counting depends on (<see cref="FeaturizerOptions.SameNgrams"/>): trials alike in it share one.</summary>
    private static (int, int, int) Ngrams(TuneSettings s) => (s.WordNgrams, s.CharMin, s.CharMax);
}
