using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>
/// The default trainer: one linear SVM per class, with a softmax temperature fitted on a held-out fifth of the
/// training data so that scores are probabilities. On a plain store the classes are solved in groups side by side
/// (<see cref="LockstepSvm"/>), groups in parallel; on a packed store (a large corpus) one class at a time
/// (<see cref="DualCoordinateSvm"/>), classes in parallel. Each group or class has its own seeded order, and the groups
/// depend on the class count alone, so results do not depend on the number of threads.
/// </summary>
internal static class OneVersusRestSvm
{
    /// <summary>Share of the training data held out to fit the softmax temperature.</summary>
    public const double CalibrationFraction = 0.2;
    public const int DefaultMaxIterations = 100;
    public const double Tolerance = 0.1;
    /// <summary>
    /// The calibration solve only has to place held-out margins well enough to fit one temperature, rank features for
    /// pruning, and give the final solve a warm start, so it stops at a looser tolerance: a few passes instead of ten or more.
    /// </summary>
    public const double LooseTolerance = 1.0;
    /// <summary>
    /// The most documents the calibration solve fits; above it, a stratified sample of the fitting part. Its jobs need far
    /// fewer rows than a corpus of millions: an order of the features in which those that <c>--feature-budget</c> keeps
    /// stand out, and a warm start that the final solve corrects anyway. The temperature, fitted on the held-out fifth
    /// whatever the cap, pays a little: the sample's model is less sure of itself than the final one, so the temperature
    /// sharpens the final model slightly too far (1 GB of text: log-loss 0.0704–0.0710 against 0.0663, accuracy 0.9806
    /// against 0.9812), for a solve a quarter as long (216 s of the run's 607 s before). 20 Newsgroups, Reuters, AG News and the
    /// 100 MB synthetic corpus (67,873 rows fitted) are under it and unchanged. See docs/benchmarks.md.
    /// </summary>
    public const int MaxCalibrationRows = 200_000;

    /// <summary>What training produced: class-major weights over the kept features, biases, and the kept feature ids (null: all).</summary>
    public sealed record Result(float[][] Weights, float[] Bias, int[]? Keep);

    /// <param name="budget">Features to keep (see <see cref="FeaturePruning"/>); 0 keeps all.</param>
    /// <param name="x">The documents' vectors; pruning rewrites them in place to the kept features.</param>
    /// <param name="start">The final solution of a nearby problem on the same rows to start the final solve from, replaced by this one's (tune); null: from the calibration solve's.</param>
    /// <param name="kept">Told the kept features (null: all) once they are chosen, before the final solve.</param>
    /// <param name="classAtATime">Rank the features by the class-at-a-time solver even on a plain store (as a packed store does), not <see cref="LockstepSvm"/>.</param>
    /// <param name="maxCalibrationRows">The most documents the calibration solve fits (see <see cref="MaxCalibrationRows"/>).</param>
    public static Result Train(SparseMatrix x, IReadOnlyList<int> y, int classes, TextFeaturizer featurizer,
        TrainerOptions o, int budget, CancellationToken cancel, IProgress<ProgressUpdate>? progress = null, SvmWarmStart? start = null,
        Action<int[]?>? kept = null, bool classAtATime = false, int maxCalibrationRows = MaxCalibrationRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCalibrationRows, 1);
        var dimension = featurizer.Dimension;
        var labels = y.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        List<int> fit, held;
        try
        {
            (fit, held) = Splits.Holdout(labels, CalibrationFraction, o.Seed);
        }
        catch (InputException)
        {
            // A class too small to split: keep raw margins rather than fail the whole run; rank features on all rows.
            (fit, held) = (Enumerable.Range(0, x.Rows).ToList(), new List<int>());
        }

        // The loose solve on the fitting part (a sample of it above the cap): held-out margins for the temperature,
        // feature ranks, and a warm start.
        var fitting = fit.Count;
        var sampled = fitting > maxCalibrationRows;
        if (sampled) fit = CalibrationSample(fit, labels, maxCalibrationRows, o.Seed);
        progress?.Report(new ProgressUpdate($"svm: calibration solve on {fit.Count:N0} documents{(sampled ? $", a stratified sample of the {fitting:N0} not held out" : "")}"));
        var fitAlpha = Enumerable.Range(0, classes).Select(_ => new double[fit.Count]).ToArray();
        // A packed store (a large corpus) about to be pruned keeps the calibration weights in half precision as each
        // class is solved: in single precision they were 800 MB of the peak on 1 GB of text (classes × features × 4
        // bytes). They only rank features and, once restricted to the kept ones, place held-out margins. Half precision
        // holds a weight within 0.05 % from 6e-5 up; smaller ones lose digits (and vanish below 3e-8), but a budget
        // keeps the largest norms, far above that, so what is kept does not depend on them.
        var prune = FeaturePruning.Applies(budget, dimension);
        var half = x.IsPacked && prune ? new Half[classes][] : null;
        void Keeping() => progress?.Report(new ProgressUpdate($"keeping {budget:N0} of {dimension:N0} features"));
        float[][] fitWeights;
        float[] fitBias;
        int[]? keep = null;
        if (!classAtATime && LockstepSvm.Applies(x, classes))
        {
            // Ranked and restricted where the solver holds them (see GroupWeights).
            var (grouped, groupedBias) = TrainGrouped(x, fit.Select(i => y[i]).ToList(), classes, o, cancel, fitAlpha, LooseTolerance, fit.ToArray(),
                progress, "svm: calibration solve, classes done");
            fitBias = groupedBias;
            if (prune)
            {
                Keeping();
                keep = FeaturePruning.Select(grouped.SquaredNorms(), budget);
            }
            fitWeights = grouped.Restrict(keep);
        }
        else
        {
            (fitWeights, fitBias) = TrainAll(x, fit.Select(i => y[i]).ToList(), classes, o, cancel, fitAlpha, LooseTolerance, fit.ToArray(),
                progress, "svm: calibration solve, classes done", half is null ? null : (c, w) => half[c] = ToHalf(w), classAtATime);
            if (prune)
            {
                Keeping();
                keep = half is null ? FeaturePruning.Select(fitWeights, dimension, budget) : FeaturePruning.Select(half, dimension, budget);
                // The full weights die here, before the store is rewritten; on a large corpus they are collected at once,
                // so that the pruning's own arrays do not come on top of them.
                fitWeights = half is null ? FeaturePruning.Restrict(fitWeights, keep) : FeaturePruning.Restrict(half, keep);
                half = null;
                if (x.IsPacked) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            }
        }
        if (keep is not null)
        {
            FeaturePruning.Restrict(x, featurizer, keep, o.EffectiveThreads, cancel);
            dimension = keep.Length;
        }
        kept?.Invoke(keep);
        var temperature = 1.0;
        if (held.Count > 0)
        {
            progress?.Report(new ProgressUpdate($"svm: the temperature, from the margins of {held.Count:N0} held-out documents"));
            temperature = Calibration.FitTemperature(HeldMargins(x, held, fitWeights, fitBias, o.EffectiveThreads, cancel), held.Select(i => y[i]).ToList());
        }

        // The fitting part's dual solution, spread over all rows (zero on the held-out ones and those left out of a
        // sample), is the optimum of a nearby problem: the final solve starts from it.
        // With a start from an earlier model on these rows, its final solution fills in the held-out rows; beside a
        // sample, whose solution is of a problem a fraction the size, it is the nearer start for every row, and kept whole.
        var warm = Enumerable.Range(0, classes).Select(_ => new double[x.Rows]).ToArray();
        var earlier = SvmWarmStart.Fill(start?.Final, warm);
        if (!(sampled && earlier))
            for (int c = 0; c < classes; c++)
                for (int k = 0; k < fit.Count; k++) warm[c][fit[k]] = fitAlpha[c][k];
        progress?.Report(new ProgressUpdate($"svm: final solve on {x.Rows:N0} documents, {dimension:N0} features"));
        var (weights, bias) = TrainAll(x, y, classes, o, cancel, warm, progress: progress, stage: "svm: final solve, classes done");
        if (start is not null) start.Final = warm;
        var t = (float)temperature;
        foreach (var w in weights) for (int j = 0; j < w.Length; j++) w[j] *= t;
        for (int c = 0; c < classes; c++) bias[c] *= t;
        return new Result(weights, bias, keep);
    }

    /// <summary>
    /// <paramref name="max"/> of the rows <paramref name="fit"/> (ascending), each class keeping its share (see
    /// <see cref="Splits.Sample"/>), in ascending order. Its own seed, drawn from <paramref name="seed"/>: with the holdout's,
    /// each class's sample would be correlated with the split.
    /// </summary>
    internal static List<int> CalibrationSample(List<int> fit, IReadOnlyList<string> labels, int max, int seed) =>
        Splits.Sample(fit.Select(i => labels[i]).ToList(), max, unchecked(seed * 7919 + 7907)).Select(k => fit[k]).ToList();

    /// <param name="alpha">Per class, the dual variables: a warm start on entry and the solution on return; null starts from zero.</param>
    /// <param name="rows">The rows of <paramref name="x"/> to train on (null: all); <paramref name="y"/> and <paramref name="alpha"/> follow it.</param>
    /// <param name="keep">
    /// Given each class's weights as it is solved, instead of returning them (its entry in the result is then null). The
    /// array is valid during the call only: it is cleared and solved into again for the thread's next class.
    /// </param>
    /// <param name="classAtATime">Solve one class at a time even where <see cref="LockstepSvm"/> applies (a test compares the two stores on one solver).</param>
    public static (float[][] Weights, float[] Bias) TrainAll(SparseMatrix x, IReadOnlyList<int> y, int classes, TrainerOptions o,
        CancellationToken cancel, double[][]? alpha = null, double tolerance = Tolerance, int[]? rows = null,
        IProgress<ProgressUpdate>? progress = null, string stage = "svm: classes done", Action<int, float[]>? keep = null, bool classAtATime = false)
    {
        if (keep is null && !classAtATime && LockstepSvm.Applies(x, classes))
        {
            var (grouped, groupedBias) = TrainGrouped(x, y, classes, o, cancel, alpha, tolerance, rows, progress, stage);
            return (grouped.ToClassMajor(), groupedBias);
        }
        var done = 0;
        var weights = new float[classes][];
        var bias = new float[classes];
        var cap = new PassCap();
        var options = cap.Counting(SolverOptions(o, tolerance));
        var parallel = Threads(o, cancel);
        var rowCost = RowCosts(o, y, classes);
        if (x.IsSpilled)
        {
            // A spilled store is read a group of blocks at a time for all classes together: one class at a time read it
            // once per class and pass. The same steps as one at a time below, so the same model as a store in memory.
            DualCoordinateSvm.TrainTogether(x, Enumerable.Range(0, classes).Select(c => (IReadOnlyList<bool>)y.Select(v => v == c).ToArray()).ToList(),
                options, c => o.Seed * 7919 + c, Enumerable.Repeat(1.0, classes).ToList(), alpha, rows, rowCost, o.EffectiveThreads, cancel,
                _ => new float[x.Columns], (c, w, b) =>
                {
                    bias[c] = b;
                    if (keep is null) weights[c] = w;
                    else keep(c, w);
                    progress?.Report(new ProgressUpdate(stage, ++done, classes, Transient: true));
                });
            cap.Report(progress, PassCap.SolveOf(stage), options.MaxIterations, "classes");
            return (weights, bias);
        }
        var size = new int[classes];
        foreach (var v in y) size[v]++;
        // A caller that keeps the weights itself gets them in one array a thread, cleared and used again for the
        // next class: on 1 GB of text, each class's 40 MB left behind piled up faster than the collector took them.
        Parallel.ForEach(LargestFirst.Of(classes, c => size[c]), parallel, () => (float[]?)null, (c, _, scratch) =>
        {
            var positive = y.Select(v => v == c).ToArray();
            if (keep is not null) scratch ??= new float[x.Columns];
            var (w, b) = DualCoordinateSvm.Train(x, positive, options with { Seed = o.Seed * 7919 + c }, alpha: alpha?[c], rows: rows, rowCost: rowCost,
                into: scratch, groupSeed: o.Seed);
            bias[c] = b;
            if (keep is null) weights[c] = w;
            else
            {
                keep(c, w);
                Array.Clear(w);
            }
            progress?.Report(new ProgressUpdate(stage, Interlocked.Increment(ref done), classes, Transient: true));
            return scratch;
        }, _ => { });
        cap.Report(progress, PassCap.SolveOf(stage), options.MaxIterations, "classes");
        return (weights, bias);
    }

    /// <summary>As <see cref="TrainAll"/>, by <see cref="LockstepSvm"/> (<see cref="LockstepSvm.Applies"/> must hold), its weights as it holds them.</summary>
    public static (GroupWeights Weights, float[] Bias) TrainGrouped(SparseMatrix x, IReadOnlyList<int> y, int classes, TrainerOptions o,
        CancellationToken cancel, double[][]? alpha = null, double tolerance = Tolerance, int[]? rows = null,
        IProgress<ProgressUpdate>? progress = null, string stage = "svm: classes done")
    {
        var done = 0;
        var cap = new PassCap();
        var options = cap.Counting(SolverOptions(o, tolerance));
        var result = LockstepSvm.TrainAll(x, Enumerable.Range(0, classes).Select(c => (IReadOnlyList<bool>)y.Select(v => v == c).ToArray()).ToList(),
            options, Enumerable.Repeat(1.0, classes).ToList(), alpha, rows, RowCosts(o, y, classes), Threads(o, cancel),
            count => progress?.Report(new ProgressUpdate(stage, Interlocked.Add(ref done, count), classes, Transient: true)));
        cap.Report(progress, PassCap.SolveOf(stage), options.MaxIterations, "classes");
        return result;
    }

    /// <summary>The solver's settings from the trainer's, at <paramref name="tolerance"/> (each class or group then seeds its own order).</summary>
    internal static DualCoordinateSvm.Options SolverOptions(TrainerOptions o, double tolerance) =>
        new(o.C, o.Iterations > 0 ? o.Iterations : DefaultMaxIterations, tolerance, o.Seed);

    /// <summary>The solves' parallelism: the trainer's threads, stopped by <paramref name="cancel"/>.</summary>
    internal static ParallelOptions Threads(TrainerOptions o, CancellationToken cancel) =>
        new() { MaxDegreeOfParallelism = o.EffectiveThreads, CancellationToken = cancel };

    /// <summary>Each row's multiple of C: its class's weight, as scikit-learn's LinearSVC applies class_weight (null: none).</summary>
    private static double[]? RowCosts(TrainerOptions o, IReadOnlyList<int> y, int classes)
    {
        if (o.ClassWeight == ClassWeighting.None) return null;
        var perClass = o.ClassWeight.Of(y, classes);
        return y.Select(v => perClass[v]).ToArray();
    }

    private static Half[] ToHalf(float[] w)
    {
        var h = new Half[w.Length];
        for (int j = 0; j < w.Length; j++) h[j] = (Half)w[j];
        return h;
    }

    /// <summary>
    /// <see cref="Margins"/> of each of <paramref name="rows"/>, on <paramref name="threads"/> threads. A packed store (a
    /// large corpus: at 3 GB of text half a million held-out rows of two thousand entries) reads each row once for all
    /// classes, from a copy of the weights laid feature by feature (see <see cref="SparseMatrix.PackedMargins"/>): the
    /// same margins, bit for bit. The copy is made only when it is small (<see cref="MaxByFeatureBytes"/>): over the
    /// kept features of a budget it is 16 MB for 20 classes, but over every feature of 3 GB of text it would be 1.8 GB.
    /// </summary>
    internal static double[][] HeldMargins(SparseMatrix x, IReadOnlyList<int> rows, float[][] weights, float[] bias, int threads, CancellationToken cancel)
    {
        var margins = new double[rows.Count][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel };
        var classes = weights.Length;
        if (!x.IsPacked || (long)x.Columns * classes * sizeof(float) > MaxByFeatureBytes)
        {
            Parallel.For(0, rows.Count, parallel, k => margins[k] = Margins(x, rows[k], weights, bias));
            return margins;
        }
        var byFeature = new float[x.Columns * classes];
        for (int c = 0; c < classes; c++)
            for (int j = 0; j < x.Columns; j++) byFeature[j * classes + c] = weights[c][j];
        Parallel.For(0, rows.Count, parallel, () => new double[classes], (k, _, odd) =>
        {
            var m = new double[classes];
            x.PackedMargins(rows[k], byFeature, classes, bias, m, odd);
            margins[k] = m;
            return odd;
        }, _ => { });
        return margins;
    }

    /// <summary>The largest copy of the weights, feature by feature, that <see cref="HeldMargins"/> makes.</summary>
    private const long MaxByFeatureBytes = 256L << 20;

    public static double[] Margins(SparseMatrix x, int row, float[][] weights, float[] bias)
    {
        var m = new double[weights.Length];
        for (int c = 0; c < weights.Length; c++) m[c] = bias[c] + x.Dot(row, weights[c]);
        return m;
    }
}
