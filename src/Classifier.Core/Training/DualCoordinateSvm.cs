namespace Classifier.Core.Training;

/// <summary>
/// Binary L2-regularised, L2-loss (squared hinge) linear SVM solved in the dual by coordinate descent with
/// shrinking: the algorithm of LIBLINEAR (Hsieh et al., ICML 2008), which scikit-learn's LinearSVC wraps, with one
/// more way to stop: a pass that no longer lowers the dual objective by a fraction worth the pass (<see cref="DualObjective"/>).
/// It converges in a few passes on sparse text, far faster than SGD-style solvers, and is deterministic for
/// a given seed. The bias is learned as the weight of a constant feature of value 1, as LIBLINEAR does.
/// Several problems on one packed store are solved side by side (<see cref="TrainTogether"/>), so that a pass
/// reads each block once for all of them.
/// </summary>
internal static class DualCoordinateSvm
{
    /// <param name="Tolerance">LIBLINEAR's stopping test: the spread of the projected gradient over every row.</param>
    /// <param name="Stall">
    /// A pass that lowers the dual objective by less than this fraction of it counts as converged, as the spread test
    /// does: on the shrunk rows it sends the problem back to every row for one more pass, on every row it stops it (see
    /// <see cref="DualObjective"/>); 0: never.
    /// </param>
    /// <param name="OnPass">Told each problem's index and dual objective at the end of each of its passes (tests; traces); null: nobody.</param>
    /// <param name="OnCap">Told each problem's index when <paramref name="MaxIterations"/> ends it before it converged (see <see cref="PassCap"/>); null: nobody.</param>
    public sealed record Options(double C, int MaxIterations, double Tolerance, int Seed, double Stall = DualObjective.StallFraction,
        Action<int, double>? OnPass = null, Action<int>? OnCap = null);

    /// <param name="positive">Per row, whether it belongs to the positive class.</param>
    /// <param name="weightPositive">Cost multiplier for positive rows (class weighting); 1 = none.</param>
    /// <param name="alpha">
    /// The dual variables, one per row: a warm start on entry (a solution of a nearby problem, such as the same
    /// rows minus a held-out part, converges in a fraction of the passes) and the solution on return. Null starts from zero.
    /// </param>
    /// <param name="rows">The rows of <paramref name="x"/> to train on, in this order (null: all); <paramref name="positive"/>, <paramref name="alpha"/> and <paramref name="rowCost"/> follow it.</param>
    /// <param name="rowCost">Per row, a multiplier of C (class weighting); null = 1 for every row.</param>
    /// <param name="into">Zeroes of <see cref="SparseMatrix.Columns"/> floats to solve into and return (null: a new array).</param>
    /// <param name="groupSeed">
    /// The seed of a packed store's groups and of their order in each pass (see <see cref="TrainTogether"/>); null:
    /// <paramref name="o"/>'s. Problems solved one at a time that share it take the same steps as side by side.
    /// </param>
    public static (float[] Weights, float Bias) Train(SparseMatrix x, IReadOnlyList<bool> positive, Options o, double weightPositive = 1,
        double[]? alpha = null, int[]? rows = null, IReadOnlyList<double>? rowCost = null, float[]? into = null, int? groupSeed = null)
    {
        if (into is not null && into.Length != x.Columns) throw new ArgumentException("one weight per column", nameof(into));
        (float[] W, float B) result = default;
        TrainTogether(x, [positive], o with { Seed = groupSeed ?? o.Seed }, _ => o.Seed, [weightPositive], alpha is null ? null : [alpha], rows, rowCost,
            threads: 1, CancellationToken.None, _ => into ?? new float[x.Columns], (_, w, b) => result = (w, b));
        return result;
    }

    /// <summary>
    /// Solves the binary problems <paramref name="positive"/> on the same rows side by side, a group of blocks at a
    /// time (see <see cref="Visits"/>): each pass draws one order of the groups, and every problem still unsolved visits
    /// a group's active rows in its own shuffled order before the next group is read. Each problem's steps depend on its
    /// own seed and on the order of groups alone, so the results do not depend on the threads, nor on whether the
    /// store was spilled. A problem's weights go to <paramref name="solved"/> as soon as it converges.
    /// </summary>
    /// <param name="o">The solver's settings; its seed draws the groups and their order in each pass.</param>
    /// <param name="seedOf">Each problem's seed for the order of its rows.</param>
    /// <param name="into">Each problem's zeroes to solve into (called as it starts).</param>
    /// <param name="solved">Each problem's weights and bias, once (on the calling thread, in the order they converge).</param>
    public static void TrainTogether(SparseMatrix x, IReadOnlyList<IReadOnlyList<bool>> positive, Options o, Func<int, int> seedOf,
        IReadOnlyList<double> weightPositive, double[][]? alpha, int[]? rows, IReadOnlyList<double>? rowCost, int threads,
        CancellationToken cancel, Func<int, float[]> into, Action<int, float[], float> solved)
    {
        int n = rows?.Length ?? x.Rows;
        var (order, groupStart) = Visits(x, n, rows, o.Seed);
        var norms = x.SquaredNorms();
        var problems = Enumerable.Range(0, positive.Count).Select(c => new Problem(c, positive[c], o, seedOf(c), weightPositive[c],
            alpha?[c], rows, rowCost, norms, order, groupStart, into(c))).ToArray();
        threads = Math.Clamp(threads, 1, Math.Max(1, problems.Length));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel };
        // Each thread keeps its own problems, so that it visits a group's rows, held once for all threads, for all of them.
        var mine = Enumerable.Range(0, threads).Select(t => Enumerable.Range(0, problems.Length).Where(c => c % threads == t).ToArray()).ToArray();
        Parallel.For(0, threads, parallel, t =>
        {
            // The warm start, in the order of the rows: one reading of the store for all of a thread's problems.
            for (int i = 0; i < n; i++)
                foreach (var c in mine[t]) problems[c].Start(x, rows, i);
            foreach (var c in mine[t]) problems[c].Started();
        });
        var groups = Enumerable.Range(0, groupStart.Length - 1).ToArray();
        var shared = new Random(o.Seed);
        var spilled = x.IsSpilled;
        bool[]? mark = null;
        try
        {
            for (int iter = 0; iter < o.MaxIterations && problems.Any(p => !p.Done); iter++)
            {
                // A single group (a store in memory) draws no order of groups, so its visits are LIBLINEAR's: one shuffle of all rows.
                if (groups.Length > 1) shared.Shuffle(groups);
                foreach (var p in problems)
                    if (!p.Done) p.BeginPass();
                foreach (var g in groups)
                {
                    // A spilled group is read once for all threads, by all of them. When it is mostly shrunk away for every
                    // problem, only the rows some problem still visits are read: once for all problems, where reading each
                    // row due alone read it again for each problem that visits it (3.5 million reads, 13 GB, in the final
                    // solve of 300 MB of text).
                    if (spilled)
                    {
                        if (MostlyShrunk(problems, groupStart, g)) x.HoldRows(ActiveRows(problems, rows, groupStart, g, ref mark), threads);
                        else x.HoldBlocks(BlocksOf(x, rows, order, groupStart, g), threads);
                    }
                    Parallel.For(0, threads, parallel, t =>
                    {
                        foreach (var c in mine[t])
                            if (!problems[c].Done) problems[c].Visit(x, rows, groupStart[g], g);
                    });
                }
                foreach (var p in problems)
                    if (!p.Done && p.EndPass(o.Tolerance, o.Stall, n, groupStart, o.OnPass)) Solved(p);
            }
        }
        finally
        {
            // The held group's copies go with the solve, also when it fails.
            if (spilled) x.ReleaseHeldBlocks();
        }
        // Out of passes: what each unsolved problem reached.
        foreach (var p in problems)
            if (!p.Done)
            {
                p.Done = true;
                o.OnCap?.Invoke(p.Class);
                Solved(p);
            }

        // Handed over, then let go: the caller may keep the weights in a smaller form (see OneVersusRestSvm).
        void Solved(Problem p)
        {
            solved(p.Class, p.W, (float)p.B);
            problems[p.Class] = Problem.Empty;
        }
    }

    /// <summary>Whether group <paramref name="g"/> is mostly shrunk away for every problem still unsolved (see <see cref="MostlyShrunkBelow"/>).</summary>
    private static bool MostlyShrunk(Problem[] problems, int[] groupStart, int g)
    {
        long visits = 0, live = 0;
        foreach (var p in problems)
            if (!p.Done)
            {
                visits += p.GroupActive[g];
                live++;
            }
        return visits < (long)(groupStart[g + 1] - groupStart[g]) * live / MostlyShrunkBelow;
    }

    /// <summary>
    /// The rows of <paramref name="x"/> that some unsolved problem visits in group <paramref name="g"/>, increasing;
    /// <paramref name="mark"/> is scratch (one flag a row, all false between calls).
    /// </summary>
    private static List<int> ActiveRows(Problem[] problems, int[]? rows, int[] groupStart, int g, ref bool[]? mark)
    {
        var found = new List<int>();
        foreach (var p in problems)
            if (!p.Done)
                foreach (var i in p.ActiveIn(groupStart[g], g))
                {
                    mark ??= new bool[p.Rows];
                    if (mark[i]) continue;
                    mark[i] = true;
                    found.Add(i);
                }
        foreach (var i in found) mark![i] = false;
        var result = found.ConvertAll(i => rows is null ? i : rows[i]);
        result.Sort();
        return result;
    }

    /// <summary>The blocks of group <paramref name="g"/> (rows <paramref name="order"/>[groupStart[g]..groupStart[g + 1]]).</summary>
    private static List<int> BlocksOf(SparseMatrix x, int[]? rows, int[] order, int[] groupStart, int g)
    {
        var blocks = new List<int>();
        for (int s = groupStart[g]; s < groupStart[g + 1]; s++)
        {
            var k = x.BlockOf(rows is null ? order[s] : rows[order[s]]);
            if (blocks.Count == 0 || blocks[^1] != k) blocks.Add(k);
        }
        return blocks;
    }

    /// <summary>
    /// A spilled group with fewer visits due than this share (one in 4) of its rows times the problems reads only the
    /// rows still visited (see <see cref="ActiveRows"/>): a whole group is 16 blocks of a few megabytes, copied at a
    /// gigabyte or more a second, while a piece of a block costs a read of its own.
    /// </summary>
    private const int MostlyShrunkBelow = 4;

    /// <summary>One binary problem's state between passes: LIBLINEAR's dual coordinate descent, a group of rows at a time.</summary>
    private sealed class Problem
    {
        /// <summary>A solved problem's place once it is let go.</summary>
        public static readonly Problem Empty = new();

        private Problem()
        {
            Class = -1;
            W = [];
            GroupActive = [];
            Done = true;
            (_alpha, _y, _order, _norms, _random) = ([], [], [], [], new Random(0));
        }

        public readonly int Class;
        public readonly float[] W;
        public double B;
        public readonly int[] GroupActive;
        public bool Done;
        private readonly double[] _alpha;
        private readonly sbyte[] _y;
        private readonly int[] _order;
        // A row's diagonal term (0.5 / its cost) and its Q_ii (that, plus its squared norm, plus 1 for the bias) are worked
        // out as it is visited, from what every problem shares: kept per row, they were 16 of the 29 bytes a row and
        // problem hold (1.2 GB for 20 classes side by side on 2 million rows). The same expressions, so the same bits.
        private readonly double[] _norms;
        private readonly int[]? _rows;
        private readonly double[]? _rowCost;
        private readonly double _costPositive, _costNegative;
        private readonly Random _random;
        private int _active;
        // The dual objective and this pass's change of it (see DualObjective).
        private double _objective, _passChange;
        private double _pgMax, _pgMin, _pgMaxOld = double.PositiveInfinity, _pgMinOld = double.NegativeInfinity;

        public Problem(int c, IReadOnlyList<bool> positive, Options o, int seed, double weightPositive, double[]? alpha, int[]? rows,
            IReadOnlyList<double>? rowCost, double[] norms, int[] order, int[] groupStart, float[] w)
        {
            var n = order.Length;
            Class = c;
            W = w;
            if (alpha is null) alpha = new double[n];
            else if (alpha.Length != n) throw new ArgumentException("one dual variable per row", nameof(alpha));
            _alpha = alpha;
            _y = new sbyte[n];
            for (int i = 0; i < n; i++) _y[i] = positive[i] ? (sbyte)1 : (sbyte)-1;
            (_norms, _rows, _rowCost, _costPositive, _costNegative) = (norms, rows, rowCost as double[] ?? rowCost?.ToArray(), o.C * weightPositive, o.C);
            _order = (int[])order.Clone();
            GroupActive = new int[groupStart.Length - 1];
            ResetActive(groupStart);
            _random = new Random(seed);
        }

        /// <summary>Row <paramref name="i"/>'s diagonal term: half the inverse of its cost (C, times its class's and its own weights).</summary>
        private double Diag(int i) => 0.5 / ((_y[i] > 0 ? _costPositive : _costNegative) * (_rowCost?[i] ?? 1.0));

        /// <summary>Row <paramref name="i"/>'s Q_ii: its diagonal term, its squared norm, and 1 for the bias feature.</summary>
        private double Qd(int i, double diag) => diag + _norms[_rows is null ? i : _rows[i]] + 1.0;

        /// <summary>Adds row <paramref name="i"/>'s share of the warm start to the weights.</summary>
        public void Start(SparseMatrix x, int[]? rows, int i)
        {
            if (_alpha[i] == 0) return;
            x.AddTo(rows is null ? i : rows[i], W, (float)(_alpha[i] * _y[i]));
            B += _alpha[i] * _y[i];
        }

        /// <summary>Once the warm start is in the weights: the dual objective it starts from (0 from zeros, without reading the weights).</summary>
        public void Started()
        {
            double rows = 0;
            var warm = false;
            for (int i = 0; i < _alpha.Length; i++)
                if (_alpha[i] != 0)
                {
                    rows += DualObjective.OfRow(_alpha[i], Diag(i));
                    warm = true;
                }
            _objective = warm ? DualObjective.OfWeights(W, B) + rows : 0;
        }

        /// <summary>How many rows the problem has (its dual variables).</summary>
        public int Rows => _alpha.Length;

        /// <summary>The rows (indices into the problem's rows) it visits in group <paramref name="g"/>, which starts at <paramref name="from"/> in the order.</summary>
        public ReadOnlySpan<int> ActiveIn(int from, int g) => _order.AsSpan(from, GroupActive[g]);

        public void BeginPass()
        {
            _pgMax = double.NegativeInfinity;
            _pgMin = double.PositiveInfinity;
            _passChange = 0;
        }

        /// <summary>Visits group <paramref name="g"/>'s active rows (from <paramref name="from"/> in the order) in a new shuffled order.</summary>
        public void Visit(SparseMatrix x, int[]? rows, int from, int g)
        {
            var a = GroupActive[g];
            var order = _order;
            var alpha = _alpha;
            for (int s = 0; s < a; s++)
            {
                int j = s + _random.Next(a - s);
                (order[from + s], order[from + j]) = (order[from + j], order[from + s]);
            }
            double pgMax = _pgMax, pgMin = _pgMin, b = B, change = 0;
            for (int s = 0; s < a; s++)
            {
                int i = order[from + s];
                int row = rows is null ? i : rows[i];
                if (s + 1 < a) x.Prefetch(rows is null ? order[from + s + 1] : rows[order[from + s + 1]]);
                var diag = Diag(i);
                double grad = _y[i] * (x.Dot(row, W) + b) - 1 + alpha[i] * diag;
                double pg = 0;
                if (alpha[i] == 0)
                {
                    if (grad > _pgMaxOld)
                    {
                        // Shrinking: this row sits at its bound and is likely to stay there; drop it for now.
                        a--;
                        (order[from + s], order[from + a]) = (order[from + a], order[from + s]);
                        s--;
                        continue;
                    }
                    if (grad < 0) pg = grad;
                }
                else pg = grad;
                pgMax = Math.Max(pgMax, pg);
                pgMin = Math.Min(pgMin, pg);
                if (Math.Abs(pg) > 1e-12)
                {
                    var old = alpha[i];
                    var qd = Qd(i, diag);
                    alpha[i] = Math.Max(old - grad / qd, 0);
                    change += DualObjective.Change(grad, alpha[i] - old, qd);
                    var d = (alpha[i] - old) * _y[i];
                    x.AddTo(row, W, (float)d);
                    b += d;
                }
            }
            (_pgMax, _pgMin, B) = (pgMax, pgMin, b);
            _passChange += change;
            _active -= GroupActive[g] - a;
            GroupActive[g] = a;
        }

        /// <summary>
        /// Ends a pass: true when the problem has converged on every row (it is then done): its projected gradient's
        /// spread within <paramref name="tolerance"/>, or the pass lowered the dual objective by less than
        /// <paramref name="stall"/> of it (see <see cref="DualObjective"/>).
        /// </summary>
        public bool EndPass(double tolerance, double stall, int n, int[] groupStart, Action<int, double>? onPass)
        {
            _objective += _passChange;
            onPass?.Invoke(Class, _objective);
            if (_pgMax - _pgMin <= tolerance || DualObjective.Stalled(_passChange, _objective, stall))
            {
                if (_active == n) return Done = true;
                // Converged (or stalled) on the shrunk set: check every row once more before stopping.
                ResetActive(groupStart);
                _pgMaxOld = double.PositiveInfinity;
                _pgMinOld = double.NegativeInfinity;
                return false;
            }
            _pgMaxOld = _pgMax <= 0 ? double.PositiveInfinity : _pgMax;
            _pgMinOld = _pgMin >= 0 ? double.NegativeInfinity : _pgMin;
            return false;
        }

        private void ResetActive(int[] groupStart)
        {
            for (int g = 0; g < GroupActive.Length; g++) GroupActive[g] = groupStart[g + 1] - groupStart[g];
            _active = _order.Length;
        }
    }

    /// <summary>Blocks of a packed store in one group of visits (see <see cref="Visits"/>).</summary>
    public const int BlocksPerGroup = 16;

    /// <summary>
    /// The order rows are first visited in, as groups that each pass visits in turn (the groups in a shuffled order,
    /// then a group's active rows shuffled): the indices into <paramref name="rows"/>, and where each group starts (the
    /// last entry is the end). A store in memory is one group, so a pass is one shuffle of every row, as in LIBLINEAR.
    /// A packed store's groups are sets of <see cref="BlocksPerGroup"/> of its blocks, drawn at random once, so that a
    /// pass reads each block at most once: a store spilled to disk is read a group at a time, whole, or once most of
    /// the group is shrunk away, the rows still visited. A block holds consecutive documents, and files are often
    /// sorted by label: a group of one block visited a class at a time and took 2 to 3 times the passes on
    /// 20 Newsgroups, while random blocks together mix the classes.
    /// A packed store in memory is visited the same way, so a model does not depend on whether its store was spilled.
    /// </summary>
    internal static (int[] Order, int[] GroupStart) Visits(SparseMatrix x, int n, int[]? rows, int seed)
    {
        var order = new int[n];
        if (!x.IsPacked)
        {
            for (int i = 0; i < n; i++) order[i] = i;
            return (order, [0, n]);
        }
        int BlockOf(int i) => x.BlockOf(rows is null ? i : rows[i]);
        var blocks = 0;
        for (int i = 0; i < n; i++) blocks = Math.Max(blocks, BlockOf(i) + 1);
        var size = new int[blocks];
        for (int i = 0; i < n; i++) size[BlockOf(i)]++;
        // The blocks with rows here, in a seeded order; each run of BlocksPerGroup of them is a group.
        var present = Enumerable.Range(0, blocks).Where(k => size[k] > 0).ToArray();
        new Random(seed).Shuffle(present);
        var start = new int[blocks];
        var groupStart = new List<int> { 0 };
        var at = 0;
        for (int p = 0; p < present.Length; p++)
        {
            start[present[p]] = at;
            at += size[present[p]];
            if ((p + 1) % BlocksPerGroup == 0 || p + 1 == present.Length) groupStart.Add(at);
        }
        for (int i = 0; i < n; i++) order[start[BlockOf(i)]++] = i;
        return (order, groupStart.ToArray());
    }
}
