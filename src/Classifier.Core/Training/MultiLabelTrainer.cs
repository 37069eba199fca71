using System.Diagnostics;
using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Models;

namespace Classifier.Core.Training;

/// <summary>
/// Multi-label training: one linear SVM per label over shared features (one-versus-rest). Out-of-fold
/// margins on the training data give a Platt calibration shared by all labels (rare labels have too few
/// examples to calibrate alone) and each label's F1-maximising threshold. The final per-label models are
/// trained on all the data and stored as one ML.NET linear model whose scores are the raw margins.
/// </summary>
public static class MultiLabelTrainer
{
    /// <param name="releaseTexts">As for <see cref="ModelTrainer.Fit"/>.</param>
    public static ClassifierModel Fit(LabeledDataset train, FeaturizerOptions featurizerOptions, TrainerOptions trainerOptions,
        MultiLabelOptions options, DataDescription data, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default,
        bool releaseTexts = false)
    {
        train.LoadTexts(cancel); // texts left on disk are streamed by TrainingWorkflow alone
        return Fit(train, featurizerOptions, trainerOptions, options, data, progress, cancel, releaseTexts, spill: null);
    }

    /// <param name="spill">As for <see cref="ModelTrainer"/>'s: where the packed store goes instead of memory; null: memory.</param>
    /// <param name="streamed">As for <see cref="ModelTrainer"/>'s: the texts read from disk as they are counted; null: <paramref name="train"/>'s.</param>
    internal static ClassifierModel Fit(LabeledDataset train, FeaturizerOptions featurizerOptions, TrainerOptions trainerOptions,
        MultiLabelOptions options, DataDescription data, IProgress<ProgressUpdate>? progress, CancellationToken cancel, bool releaseTexts, SpillFile? spill,
        StreamedTexts? streamed = null)
    {
        Validate(featurizerOptions, trainerOptions, options);
        var clock = Stopwatch.StartNew();
        // The labels are checked before the texts are counted: a set with no label to learn fails at once.
        _ = Labels(train, options);
        var corpus = ModelTrainer.Count(train, streamed, featurizerOptions, trainerOptions.EffectiveThreads, progress, cancel, releaseTexts, spill);
        return Fit(corpus, null, train, featurizerOptions, trainerOptions, options, data, progress, cancel, consume: true, clock: clock);
    }

    private static void Validate(FeaturizerOptions featurizerOptions, TrainerOptions trainerOptions, MultiLabelOptions options)
    {
        featurizerOptions.Validate();
        trainerOptions.Validate();
        options.Validate();
        if (trainerOptions.Trainer != TrainerKind.Svm)
            throw new InputException($"multi-label training uses the svm trainer; --trainer {trainerOptions.Trainer.Name()} is single-label only");
    }

    /// <summary>Each document's label set, the labels kept (ordinal order) with their counts, and those left out as too rare.</summary>
    private static (List<string[]> Sets, List<string> Labels, Dictionary<string, int> Counts, List<LabelCount> Excluded) Labels(LabeledDataset train,
        MultiLabelOptions options)
    {
        var sets = train.Labels.Select(l => LabelSets.Parse(l, options.Separator)).ToList();
        var counts = sets.SelectMany(s => s).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var labels = counts.Where(kv => kv.Value >= options.MinLabelCount).Select(kv => kv.Key).OrderBy(l => l, StringComparer.Ordinal).ToList();
        var excluded = counts.Where(kv => kv.Value < options.MinLabelCount).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new LabelCount(kv.Key, kv.Value)).ToList();
        if (labels.Count == 0)
            throw new InputException($"no label has at least {options.MinLabelCount} training documents (--min-label-count)", train.Source, column: train.LabelColumn);
        return (sets, labels, counts, excluded);
    }

    /// <summary>A model of <paramref name="rows"/> (null: all) of a counted corpus: see <see cref="ModelTrainer.Fit(CountedCorpus, IReadOnlyList{int}, LabeledDataset, FeaturizerOptions, TrainerOptions, DataDescription, IProgress{ProgressUpdate}, CancellationToken, bool, bool, Stopwatch)"/>.</summary>
    internal static ClassifierModel Fit(CountedCorpus corpus, IReadOnlyList<int>? rows, LabeledDataset all, FeaturizerOptions featurizerOptions,
        TrainerOptions trainerOptions, MultiLabelOptions options, DataDescription data, IProgress<ProgressUpdate>? progress, CancellationToken cancel,
        bool consume = false, bool named = true, Stopwatch? clock = null)
    {
        Validate(featurizerOptions, trainerOptions, options);
        clock ??= Stopwatch.StartNew();
        var train = rows is null ? all : all.Subset(rows);
        var (sets, labels, counts, excluded) = Labels(train, options);
        ModelTrainer.RequireMinDf(featurizerOptions, train.Count);
        var minLabels = options.MinLabels >= 0 ? options.MinLabels : sets.All(s => s.Length > 0) ? 1 : 0;

        var threads = trainerOptions.EffectiveThreads;
        if (consume) ModelTrainer.ReleaseCounting();
        var (full, vectors) = ModelTrainer.Vectorize(corpus, rows, featurizerOptions, threads, cancel, consume);
        var member = labels.Select(l => sets.Select(s => s.Contains(l)).ToArray()).ToArray();

        // With a feature budget, a loose solve over every feature ranks them; everything after runs on the kept ones,
        // and starts from that solve's dual solution.
        var featurizer = full;
        double[][]? warm = null;
        if (FeaturePruning.Applies(trainerOptions.Compact.FeatureBudget, full.Dimension))
        {
            progress?.Report(new ProgressUpdate($"ranking {full.Dimension:N0} features for {labels.Count} labels"));
            warm = labels.Select(_ => new double[vectors.Rows]).ToArray();
            var (ranking, _) = TrainLabels(vectors, member, trainerOptions, cancel, warm, OneVersusRestSvm.LooseTolerance, progress: progress,
                stage: "svm: ranking features, labels done");
            var keep = FeaturePruning.Select(ranking.SquaredNorms(), trainerOptions.Compact.FeatureBudget);
            FeaturePruning.Restrict(vectors, full, keep, threads, cancel);
            featurizer = full.Prune(keep);
        }
        // Named as soon as the kept features are known, so that what names them is let go before the solves that follow.
        if (named) featurizer = corpus.Names.NamedOnce(featurizer);

        progress?.Report(new ProgressUpdate($"tuning thresholds on {options.ValidationFolds} folds of {train.Count:N0} documents, {labels.Count} labels"));
        warm ??= labels.Select(_ => new double[vectors.Rows]).ToArray();
        var margins = OutOfFoldMargins(vectors, member, options.ValidationFolds, trainerOptions, warm, cancel, progress);
        var flatMargins = new List<double>();
        var flatPositive = new List<bool>();
        for (int l = 0; l < labels.Count; l++)
            for (int d = 0; d < vectors.Rows; d++) { flatMargins.Add(margins[l][d]); flatPositive.Add(member[l][d]); }
        var (a, b) = Calibration.FitSigmoid(flatMargins, flatPositive);
        // On tiny or degenerate data the fit can come out flat or inverted; probabilities must still rise with the margin.
        if (!(a > 0)) (a, b) = (1, 0);
        var thresholds = Enumerable.Range(0, labels.Count).Select(l =>
        {
            var (threshold, f1) = ThresholdTuning.BestF1(margins[l].Select(m => Calibration.Sigmoid(a * m + b)).ToList(), member[l]);
            return f1 < options.MinValidationF1 ? Math.Max(threshold, MultiLabelOptions.ConservativeThreshold) : threshold;
        }).ToList();

        progress?.Report(new ProgressUpdate($"training svm per label on {train.Count:N0} documents, {featurizer.Dimension:N0} features"));
        var (grouped, bias) = TrainLabels(vectors, member, trainerOptions, cancel, warm, progress: progress, stage: "svm: final solve, labels done");
        var weights = grouped.ToClassMajor();
        var linear = ModelTrainer.Compact(weights, bias, featurizer.Dimension, softmax: false, trainerOptions.Compact);

        var manifest = new Manifest
        {
            Task = Manifest.MultiLabelTask,
            ToolVersion = ToolInfo.Version,
            MlNetVersion = ToolInfo.MlNetVersion,
            CreatedUtc = DateTimeOffset.UtcNow,
            TextColumns = train.TextColumns,
            LabelColumn = train.LabelColumn,
            Labels = labels.Select(l => new LabelCount(l, counts[l])).ToList(),
            Featurizer = featurizer.Options,
            Trainer = trainerOptions,
            FeatureCount = featurizer.Dimension,
            Compact = ModelTrainer.Describe(trainerOptions.Compact, full.Dimension, featurizer.Dimension, linear: true),
            Data = data,
            TrainSeconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
            MultiLabel = new MultiLabelSettings(options.Separator, a, b, thresholds, minLabels, options.MaxLabels, options.MinLabelCount, excluded),
        };
        return new ClassifierModel(manifest, featurizer, linear, null);
    }

    /// <summary>Per label, each training document's margin from a model that did not see it.</summary>
    /// <param name="warm">
    /// Per label, a dual solution over all rows (the ranking solve's, or zeros), each fold starting from it on its own
    /// rows. On return it holds, for each row, the mean of its solutions in the folds that fitted it: the final solve
    /// starts from there.
    /// </param>
    /// <remarks>
    /// Every fold starts from the same solution rather than from the folds before it. A start that joins one fold's
    /// solution on the rows it shares with the last to the ranking solve's on the others belongs to no single problem,
    /// and the fold solves from it visited more rows (Reuters topics: 355 and 364 thousand rows for folds 2 and 3 against
    /// 323 and 320 thousand from the ranking solve's alone); the mean of a row's fold solutions likewise gave the final
    /// solve a nearer start than its latest one (384 against 480 thousand). See docs/benchmarks.md. The sums take 8 bytes a
    /// label and row beside <paramref name="warm"/>'s 8; a fold's solve holds about twice that already (its start, diagonal and
    /// step sizes, 8 bytes each, over two thirds of the rows).
    /// </remarks>
    internal static double[][] OutOfFoldMargins(SparseMatrix x, bool[][] member, int folds, TrainerOptions o, double[][] warm,
        CancellationToken cancel, IProgress<ProgressUpdate>? progress)
    {
        var fold = FoldOf(x.Rows, folds, o.Seed);
        var margins = member.Select(_ => new double[x.Rows]).ToArray();
        // Per label, the sum over folds of each row's solutions; every row is fitted by all folds but its own.
        var sums = member.Select(_ => new double[x.Rows]).ToArray();
        for (int f = 0; f < folds; f++)
        {
            var fit = Enumerable.Range(0, x.Rows).Where(i => fold[i] != f).ToArray();
            var held = Enumerable.Range(0, x.Rows).Where(i => fold[i] == f).ToArray();
            var foldWarm = warm.Select(alpha => fit.Select(i => alpha[i]).ToArray()).ToArray();
            var (grouped, bias) = TrainLabels(x, member.Select(m => fit.Select(i => m[i]).ToArray()).ToArray(), o, cancel, foldWarm, rows: fit,
                progress: progress, stage: $"svm: fold {f + 1}/{folds}, labels done", solve: "svm: validation folds");
            for (int l = 0; l < sums.Length; l++)
                for (int k = 0; k < fit.Length; k++) sums[l][fit[k]] += foldWarm[l][k];
            Parallel.For(0, held.Length, new ParallelOptions { MaxDegreeOfParallelism = o.EffectiveThreads, CancellationToken = cancel }, () => new double[member.Length],
                (k, _, m) =>
                {
                    grouped.Margins(x, held[k], bias, m);
                    for (int l = 0; l < m.Length; l++) margins[l][held[k]] = m[l];
                    return m;
                }, _ => { });
        }
        for (int l = 0; l < warm.Length; l++)
            for (int i = 0; i < x.Rows; i++) warm[l][i] = sums[l][i] / (folds - 1);
        return margins;
    }

    /// <summary>Each of <paramref name="rows"/> rows' validation fold: a shuffle dealt round, so the folds differ in size by one at most.</summary>
    internal static int[] FoldOf(int rows, int folds, int seed)
    {
        var fold = new int[rows];
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        for (int i = 0; i < order.Length; i++) fold[order[i]] = i % folds;
        return fold;
    }

    /// <param name="alpha">Per label, the dual variables: a warm start on entry and the solution on return; null starts from zero.</param>
    /// <param name="rows">The rows of <paramref name="x"/> to train on (null: all); <paramref name="member"/> and <paramref name="alpha"/> follow it.</param>
    /// <param name="solve">The solve's name in a pass-cap warning (null: <paramref name="stage"/>'s, see <see cref="PassCap.SolveOf"/>).</param>
    internal static (GroupWeights Weights, float[] Bias) TrainLabels(SparseMatrix x, bool[][] member, TrainerOptions o, CancellationToken cancel,
        double[][]? alpha = null, double tolerance = OneVersusRestSvm.Tolerance, int[]? rows = null,
        IProgress<ProgressUpdate>? progress = null, string stage = "svm: labels done", string? solve = null)
    {
        solve ??= PassCap.SolveOf(stage);
        var done = 0;
        var cap = new PassCap();
        var options = cap.Counting(OneVersusRestSvm.SolverOptions(o, tolerance));
        var parallel = OneVersusRestSvm.Threads(o, cancel);
        if (LockstepSvm.Applies(x, member.Length))
        {
            var result = LockstepSvm.TrainAll(x, member, options, member.Select(m => o.ClassWeight.PositiveWeight(m)).ToList(), alpha, rows, null,
                parallel, count => progress?.Report(new ProgressUpdate(stage, Interlocked.Add(ref done, count), member.Length, Transient: true)));
            cap.Report(progress, solve, options.MaxIterations, "labels");
            return result;
        }
        var weights = new float[member.Length][];
        var bias = new float[member.Length];
        if (x.IsSpilled)
        {
            // As OneVersusRestSvm does: all labels side by side, each block read once a pass; the same steps as one at a time.
            DualCoordinateSvm.TrainTogether(x, member, options, l => o.Seed * 7919 + l, member.Select(m => o.ClassWeight.PositiveWeight(m)).ToList(),
                alpha, rows, null, o.EffectiveThreads, cancel, _ => new float[x.Columns], (l, w, b) =>
                {
                    (weights[l], bias[l]) = (w, b);
                    progress?.Report(new ProgressUpdate(stage, ++done, member.Length, Transient: true));
                });
            cap.Report(progress, solve, options.MaxIterations, "labels");
            return (GroupWeights.OfClasses(weights), bias);
        }
        Parallel.ForEach(LargestFirst.Of(member.Length, l => member[l].Count(m => m)), parallel, l =>
        {
            (weights[l], bias[l]) = DualCoordinateSvm.Train(x, member[l], options with { Seed = o.Seed * 7919 + l },
                weightPositive: o.ClassWeight.PositiveWeight(member[l]), alpha: alpha?[l], rows: rows, groupSeed: o.Seed);
            progress?.Report(new ProgressUpdate(stage, Interlocked.Increment(ref done), member.Length, Transient: true));
        });
        cap.Report(progress, solve, options.MaxIterations, "labels");
        return (GroupWeights.OfClasses(weights), bias);
    }
}
