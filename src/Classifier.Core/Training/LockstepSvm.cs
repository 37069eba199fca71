using System.Runtime.CompilerServices;

namespace Classifier.Core.Training;

/// <summary>
/// Several one-versus-rest problems on the same rows solved side by side: the algorithm of <see cref="DualCoordinateSvm"/>
/// (dual coordinate descent with shrinking) for each class, but with one visiting order for the group, so that each
/// visited row is read once for all of its classes and their weights, stored feature by feature
/// (<see cref="SparseMatrix.DotInterleaved"/>), come in one run of adjacent floats instead of one scattered read a class.
/// </summary>
/// <remarks>
/// Each class keeps its own dual variables, bias, active set (shrinking) and stopping test, exactly as when solved
/// alone; only the order in which rows come is shared: each pass shuffles the rows that are still active for some class
/// of the group, and a row shrunk away for one class is skipped for it. A class that has converged stops changing while
/// the others go on. Groups are fixed by the class count alone, never by the thread count, so the same seed gives the
/// same weights with any number of threads. Plain stores only: a packed store (a large corpus) keeps the class-at-a-time
/// solver, whose one weight vector a thread is what keeps its memory down. It stops by LIBLINEAR's spread test alone
/// (with the pass cap): tracking the dual objective for the class-at-a-time solver's second test
/// (<see cref="DualObjective"/>) cost 3–7 % of a cross-validation of 20 Newsgroups in this loop, where an update is a few
/// flops, and no plain store measured (below 50 M characters) ran into the stall that test is for.
/// </remarks>
internal static class LockstepSvm
{
    /// <summary>Most classes in a group: 16 single-precision weights fill one 64-byte cache line.</summary>
    public const int MaxGroup = 16;

    /// <summary>Whether the problems on <paramref name="x"/> are solved in groups (a plain store whose interleaved weights fit in one array).</summary>
    public static bool Applies(SparseMatrix x, int classes) =>
        !x.IsPacked && classes >= 2 && (long)x.Columns * MaxGroup <= Array.MaxLength;

    /// <summary>
    /// The groups of <paramref name="classes"/> classes, consecutive, at least two (so that two threads have work) and at
    /// most <see cref="MaxGroup"/> classes each, in whole runs of four lanes where there are enough classes.
    /// </summary>
    public static IReadOnlyList<(int First, int Count)> Groups(int classes)
    {
        var count = Math.Min(classes, Math.Max(2, (classes + MaxGroup - 1) / MaxGroup));
        // Whole runs of four lanes to each group where that keeps the groups near in size (20 classes: 12 and 8, no lane
        // unused, where 10 and 10 would leave 2 of 12 empty in each); else sizes as equal as can be.
        var quads = (classes + 3) / 4;
        var byQuads = new List<(int, int)>(count);
        for (int g = 0, first = 0; g < count && quads >= count; g++)
        {
            var size = Math.Min(4 * (quads / count + (g < quads % count ? 1 : 0)), classes - first);
            byQuads.Add((first, size));
            first += size;
        }
        if (byQuads.Count == count && 2 * byQuads.Min(g => g.Item2) >= byQuads.Max(g => g.Item2)) return byQuads;
        var groups = new List<(int, int)>(count);
        for (int g = 0; g < count; g++)
        {
            int from = (int)((long)classes * g / count), to = (int)((long)classes * (g + 1) / count);
            groups.Add((from, to - from));
        }
        return groups;
    }

    /// <summary>
    /// Every class's problem, in the groups of <see cref="Groups"/>, one group a thread at a time (the largest first).
    /// Arguments per class as for <see cref="Train"/>; <paramref name="alpha"/>'s arrays (null: zeros) receive the
    /// solutions; <paramref name="done"/> is told how many classes each finished group held.
    /// </summary>
    public static (GroupWeights Weights, float[] Bias) TrainAll(SparseMatrix x, IReadOnlyList<IReadOnlyList<bool>> positive, DualCoordinateSvm.Options o,
        IReadOnlyList<double> weightPositive, double[][]? alpha, int[]? rows, IReadOnlyList<double>? rowCost, ParallelOptions parallel,
        Action<int>? done = null)
    {
        var classes = positive.Count;
        var bias = new float[classes];
        var groups = Groups(classes);
        var solved = new (int, int, int, float[])[groups.Count];
        Parallel.ForEach(LargestFirst.Of(groups.Count, g => groups[g].Count), parallel, g =>
        {
            var (first, count) = groups[g];
            var a = new double[]?[count];
            for (int c = 0; c < count; c++) a[c] = alpha?[first + c];
            var (w, b) = Train(x, positive.Skip(first).Take(count).ToList(), o with { Seed = o.Seed * 7919 + first, OnCap = o.OnCap is { } cap ? c => cap(first + c) : null },
                weightPositive.Skip(first).Take(count).ToList(), a, rows, rowCost, parallel.CancellationToken);
            b.CopyTo(bias, first);
            solved[g] = (first, count, SparseMatrix.InterleavedStride(count), w);
            done?.Invoke(count);
        });
        return (new GroupWeights(solved, x.Columns), bias);
    }

    /// <summary>
    /// Solves the group's problems. Per class c: <paramref name="positive"/>[c] per row, <paramref name="weightPositive"/>[c]
    /// (cost multiplier of its positive rows) and <paramref name="alpha"/>[c] (a warm start on entry, null: zeros; the
    /// solution on return). <paramref name="rows"/> and <paramref name="rowCost"/> are as for <see cref="DualCoordinateSvm.Train"/>.
    /// </summary>
    // Compiled fully optimized at its first call: a run calls it a few dozen times at most (a group a solve: 30 for
    // Reuters' 83 labels), too few for tiered compilation to replace its first code, so each call ran as
    // on-stack-replaced code, which was slower: with the attribute a Reuters multi-label `train` takes 0.89 times the
    // wall time, the same model (a JIT build; ReadyToRun builds precompiled it already). Not on the kernels it calls,
    // which keep their profile-guided code (docs/benchmarks.md, "The grouped solver compiled fully optimized").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float[] Weights, float[] Bias) Train(SparseMatrix x, IReadOnlyList<IReadOnlyList<bool>> positive, DualCoordinateSvm.Options o,
        IReadOnlyList<double> weightPositive, double[]?[] alpha, int[]? rows = null, IReadOnlyList<double>? rowCost = null, CancellationToken cancel = default)
    {
        int k = positive.Count, n = rows?.Length ?? x.Rows;
        if (k is < 1 or > MaxGroup) throw new ArgumentOutOfRangeException(nameof(positive), "1 to 16 classes a group");
        var stride = SparseMatrix.InterleavedStride(k);
        var w = new float[x.Columns * stride];
        var b = new double[k];
        var y = new sbyte[k][];
        var diag = new double[k][];
        var qd = new double[k][];
        var norms = x.SquaredNorms();
        int Row(int i) => rows is null ? i : rows[i];
        var delta = new float[stride];
        for (int c = 0; c < k; c++)
        {
            alpha[c] ??= new double[n];
            if (alpha[c]!.Length != n) throw new ArgumentException("one dual variable per row", nameof(alpha));
            y[c] = new sbyte[n];
            diag[c] = new double[n];
            qd[c] = new double[n];
            for (int i = 0; i < n; i++)
            {
                var p = positive[c][i];
                y[c][i] = p ? (sbyte)1 : (sbyte)-1;
                var cost = (p ? o.C * weightPositive[c] : o.C) * (rowCost?[i] ?? 1.0);
                diag[c][i] = 0.5 / cost;
                qd[c][i] = diag[c][i] + norms[Row(i)] + 1.0;
            }
        }
        // The warm start's weights: w = Σ α y x over the rows, b likewise.
        for (int i = 0; i < n; i++)
        {
            var any = false;
            for (int c = 0; c < k; c++)
            {
                var a = alpha[c]![i];
                delta[c] = (float)(a * y[c][i]);
                if (a != 0)
                {
                    any = true;
                    b[c] += a * y[c][i];
                }
            }
            if (any) x.AddToInterleaved(Row(i), w, stride, delta);
        }
        // The solve below sets only the lanes it updates: what the last row left here would be added again.
        Array.Clear(delta);

        // Bit c of active[i]: row i is in class c's active set (not shrunk away, and c not done).
        var all = (ushort)((1 << k) - 1);
        var active = new ushort[n];
        Array.Fill(active, all);
        var activeCount = new int[k];
        Array.Fill(activeCount, n);
        var pgMaxOld = new double[k];
        var pgMinOld = new double[k];
        Array.Fill(pgMaxOld, double.PositiveInfinity);
        Array.Fill(pgMinOld, double.NegativeInfinity);
        var pgMax = new double[k];
        var pgMin = new double[k];
        var live = all;
        var order = new int[n];
        var dots = new float[stride];
        var random = new Random(o.Seed);
        for (int iter = 0; iter < o.MaxIterations && live != 0; iter++)
        {
            cancel.ThrowIfCancellationRequested();
            var m = 0;
            for (int i = 0; i < n; i++)
                if (active[i] != 0) order[m++] = i;
            for (int s = 0; s < m; s++)
            {
                int j = s + random.Next(m - s);
                (order[s], order[j]) = (order[j], order[s]);
            }
            Array.Fill(pgMax, double.NegativeInfinity);
            Array.Fill(pgMin, double.PositiveInfinity);
            for (int s = 0; s < m; s++)
            {
                int i = order[s];
                if (s + 1 < m) x.Prefetch(Row(order[s + 1]));
                x.DotInterleaved(Row(i), w, stride, dots);
                var bits = active[i];
                var update = false;
                for (int c = 0; c < k; c++)
                {
                    if ((bits & (1 << c)) == 0) continue;
                    var yc = y[c][i];
                    var ac = alpha[c]!;
                    double g = yc * (dots[c] + b[c]) - 1 + ac[i] * diag[c][i];
                    double pg = 0;
                    if (ac[i] == 0)
                    {
                        if (g > pgMaxOld[c])
                        {
                            // Shrinking: this row sits at its bound for class c and is likely to stay there.
                            bits &= (ushort)~(1 << c);
                            activeCount[c]--;
                            continue;
                        }
                        if (g < 0) pg = g;
                    }
                    else pg = g;
                    pgMax[c] = Math.Max(pgMax[c], pg);
                    pgMin[c] = Math.Min(pgMin[c], pg);
                    if (Math.Abs(pg) > 1e-12)
                    {
                        var old = ac[i];
                        ac[i] = Math.Max(old - g / qd[c][i], 0);
                        var d = (ac[i] - old) * yc;
                        delta[c] = (float)d;
                        b[c] += d;
                        update = true;
                    }
                }
                active[i] = bits;
                if (update)
                {
                    x.AddToInterleaved(Row(i), w, stride, delta);
                    Array.Clear(delta);
                }
            }
            for (int c = 0; c < k; c++)
            {
                var bit = (ushort)(1 << c);
                if ((live & bit) == 0) continue;
                if (pgMax[c] - pgMin[c] <= o.Tolerance)
                {
                    if (activeCount[c] == n)
                    {
                        // Converged on every row: done; its rows no longer come for it.
                        live &= (ushort)~bit;
                        for (int i = 0; i < n; i++) active[i] &= (ushort)~bit;
                        continue;
                    }
                    // Converged on the shrunk set: check every row once more before stopping.
                    for (int i = 0; i < n; i++) active[i] |= bit;
                    activeCount[c] = n;
                    pgMaxOld[c] = double.PositiveInfinity;
                    pgMinOld[c] = double.NegativeInfinity;
                    continue;
                }
                pgMaxOld[c] = pgMax[c] <= 0 ? double.PositiveInfinity : pgMax[c];
                pgMinOld[c] = pgMin[c] >= 0 ? double.NegativeInfinity : pgMin[c];
            }
        }

        // Out of passes: the classes still live did not converge.
        for (int c = 0; c < k; c++)
            if ((live & (1 << c)) != 0) o.OnCap?.Invoke(c);
        return (w, b.Select(v => (float)v).ToArray());
    }
}
