using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

public sealed class LockstepSvmTests
{
    /// <summary>Random sparse rows, each of the class whose hidden linear rule scores it highest (a tenth relabelled at random).</summary>
    private static (SparseMatrix X, int[] Y) Problem(int rows, int columns, int classes, int seed)
    {
        var random = new Random(seed);
        var hidden = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, columns).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var vectors = new List<SparseVector>();
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            var row = RandomRows.Draw(random, columns);
            vectors.Add(row);
            var scores = hidden.Select(h => RandomRows.Score(row, h)).ToArray();
            y[i] = random.NextDouble() < 0.1 ? random.Next(classes) : Array.IndexOf(scores, scores.Max());
        }
        return (new SparseMatrix(vectors, columns), y);
    }

    private static IReadOnlyList<IReadOnlyList<bool>> OneVersusRest(int[] y, int classes) =>
        Enumerable.Range(0, classes).Select(c => (IReadOnlyList<bool>)y.Select(v => v == c).ToArray()).ToList();

    // To the optimum: the class-at-a-time solver compared against below would stop at the stall (a pass that lowers
    // the objective by less than 1e-5 of it), a few digits short of the weights compared here; LockstepSvm ignores Stall.
    private static readonly DualCoordinateSvm.Options Tight = new(C: 1, MaxIterations: 1000, Tolerance: 1e-4, Seed: 3, Stall: 0);

    /// <summary>The options training uses: LIBLINEAR's spread of 0.1 (LockstepSvm ignores the stall).</summary>
    private static readonly DualCoordinateSvm.Options Default = new(C: 1, MaxIterations: 1000, Tolerance: 0.1, Seed: 3);

    [Theory]
    [InlineData(2, new[] { 1, 1 })]
    [InlineData(5, new[] { 2, 3 })]
    [InlineData(9, new[] { 4, 5 })]
    [InlineData(20, new[] { 12, 8 })]
    [InlineData(32, new[] { 16, 16 })]
    [InlineData(83, new[] { 16, 16, 16, 12, 12, 11 })]
    public void Groups_AreConsecutiveAndFillWholeRunsOfFourLanesWhereThatKeepsThemEven(int classes, int[] sizes)
    {
        var groups = LockstepSvm.Groups(classes);
        Assert.Equal(sizes, groups.Select(g => g.Count));
        Assert.Equal(Enumerable.Range(0, classes), groups.SelectMany(g => Enumerable.Range(g.First, g.Count)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(16)]
    public void InterleavedDotAndAdd_MatchTheClassAtATimeOnes(int classes)
    {
        var (x, _) = Problem(rows: 40, columns: 50, classes: 2, seed: 7);
        var stride = SparseMatrix.InterleavedStride(classes);
        var random = new Random(3);
        var byClass = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, x.Columns).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        var w = new float[x.Columns * stride];
        for (int c = 0; c < classes; c++)
            for (int j = 0; j < x.Columns; j++) w[j * stride + c] = byClass[c][j];
        var dots = new float[stride];
        var delta = new float[stride];
        for (int c = 0; c < classes; c++) delta[c] = (float)(random.NextDouble() - 0.5);
        for (int row = 0; row < x.Rows; row++)
        {
            x.DotInterleaved(row, w, stride, dots);
            for (int c = 0; c < classes; c++)
            {
                var expected = x.Dot(row, byClass[c]);
                Assert.Equal(expected, dots[c], 1e-5 * Math.Max(1, Math.Abs(expected)));
            }
            x.AddToInterleaved(row, w, stride, delta);
            for (int c = 0; c < classes; c++) x.AddTo(row, byClass[c], delta[c]);
        }
        for (int c = 0; c < classes; c++)
            for (int j = 0; j < x.Columns; j++) Assert.Equal(byClass[c][j], w[j * stride + c], 1e-5 * Math.Max(1, Math.Abs(byClass[c][j])));
        // Lanes past the classes stay untouched.
        for (int j = 0; j < x.Columns; j++)
            for (int c = classes; c < stride; c++) Assert.Equal(0f, w[j * stride + c]);
    }

    [Fact]
    public void EachClass_ReachesTheOptimumOfItsOwnProblem()
    {
        const int classes = 6;
        var (x, y) = Problem(rows: 300, columns: 40, classes, seed: 5);
        var positive = OneVersusRest(y, classes);
        var weightPositive = new[] { 1.0, 2.0, 1.0, 0.5, 1.0, 3.0 };
        var (w, b) = LockstepSvm.Train(x, positive, Tight, weightPositive, new double[]?[classes]);
        var stride = SparseMatrix.InterleavedStride(classes);
        for (int c = 0; c < classes; c++)
        {
            // Class c alone, by the class-at-a-time solver, with the same cost on its positive rows.
            var (alone, aloneBias) = DualCoordinateSvm.Train(x, positive[c], Tight, weightPositive: weightPositive[c]);
            var mine = Enumerable.Range(0, x.Columns).Select(j => w[j * stride + c]).ToArray();
            var costs = positive[c].Select(p => p ? weightPositive[c] : 1.0).ToArray();
            double Objective(float[] v, float bias)
            {
                double loss = 0, norm = v.Sum(t => (double)t * t) + (double)bias * bias;
                for (int i = 0; i < x.Rows; i++)
                {
                    var slack = Math.Max(0, 1 - (positive[c][i] ? 1 : -1) * (x.Dot(i, v) + bias));
                    loss += costs[i] * slack * slack;
                }
                return 0.5 * norm + Tight.C * loss;
            }
            var (f, g) = (Objective(mine, b[c]), Objective(alone, aloneBias));
            Assert.True(Math.Abs(f - g) <= 1e-3 * g, $"class {c}: objective {f} against {g} alone");
            for (int j = 0; j < x.Columns; j++) Assert.Equal(alone[j], mine[j], 2);
        }
    }

    [Fact]
    public void WarmStart_FromTheSolution_StaysThere()
    {
        const int classes = 3;
        var (x, y) = Problem(rows: 200, columns: 30, classes, seed: 9);
        var positive = OneVersusRest(y, classes);
        var alpha = new double[]?[classes];
        var (first, firstBias) = LockstepSvm.Train(x, positive, Tight, [1.0, 1.0, 1.0], alpha);
        Assert.All(alpha, a => Assert.Contains(a!, v => v > 0));
        var (again, againBias) = LockstepSvm.Train(x, positive, Tight, [1.0, 1.0, 1.0], alpha);
        for (int j = 0; j < first.Length; j++) Assert.Equal(first[j], again[j], 3);
        for (int c = 0; c < classes; c++) Assert.Equal(firstBias[c], againBias[c], 3);
    }

    [Fact]
    public void FromAWarmStart_TheWeightsStayTheSumOfTheRowsTheDualVariablesWeigh()
    {
        // w = Σ α y x and b = Σ α y for every class, however the solve started: a warm start whose last row has
        // non-zero dual variables must not leak into the classes the first update leaves alone.
        const int classes = 5;
        var (x, y) = Problem(rows: 150, columns: 20, classes, seed: 17);
        var positive = OneVersusRest(y, classes);
        var costs = Enumerable.Repeat(1.0, classes).ToList();
        var alpha = new double[]?[classes];
        LockstepSvm.Train(x, positive, Default with { Tolerance = 1.0, MaxIterations = 2 }, costs, alpha);
        Assert.All(alpha, a => Assert.NotEqual(0, a![x.Rows - 1] + a[x.Rows - 2] + a[x.Rows - 3]));
        var (w, b) = LockstepSvm.Train(x, positive, Default, costs, alpha);
        var stride = SparseMatrix.InterleavedStride(classes);
        for (int c = 0; c < classes; c++)
        {
            var expected = new float[x.Columns];
            double bias = 0;
            for (int i = 0; i < x.Rows; i++)
            {
                var ay = alpha[c]![i] * (positive[c][i] ? 1 : -1);
                x.AddTo(i, expected, (float)ay);
                bias += ay;
            }
            for (int j = 0; j < x.Columns; j++) Assert.Equal(expected[j], w[j * stride + c], 3);
            Assert.Equal(bias, b[c], 3);
        }
    }

    [Fact]
    public void ThreadCount_DoesNotChangeOneBitOfTheWeights()
    {
        const int classes = 20;
        var (x, y) = Problem(rows: 300, columns: 60, classes, seed: 11);
        var positive = OneVersusRest(y, classes);
        var options = Default;
        (GroupWeights, float[]) Run(int threads) => LockstepSvm.TrainAll(x, positive, options, Enumerable.Repeat(1.0, classes).ToList(), null, null, null,
            new ParallelOptions { MaxDegreeOfParallelism = threads });
        var (one, oneBias) = Run(1);
        var (two, twoBias) = Run(2);
        Assert.Equal(oneBias, twoBias);
        var (a, b) = (one.ToClassMajor(), two.ToClassMajor());
        for (int c = 0; c < classes; c++) Assert.Equal(a[c], b[c]);
    }

    [Fact]
    public void GroupWeights_RankRestrictAndScoreAsTheClassMajorWeightsDo()
    {
        const int classes = 7;
        var (x, y) = Problem(rows: 120, columns: 25, classes, seed: 13);
        var (grouped, bias) = LockstepSvm.TrainAll(x, OneVersusRest(y, classes), Default, Enumerable.Repeat(1.0, classes).ToList(),
            null, null, null, new ParallelOptions { MaxDegreeOfParallelism = 2 });
        var w = grouped.ToClassMajor();
        Assert.Equal(classes, w.Length);
        var norms = grouped.SquaredNorms();
        for (int j = 0; j < x.Columns; j++) Assert.Equal(w.Sum(v => (double)v[j] * v[j]), norms[j], 9);
        int[] keep = [0, 3, 4, 20];
        var restricted = grouped.Restrict(keep);
        for (int c = 0; c < classes; c++) Assert.Equal(keep.Select(j => w[c][j]), restricted[c]);
        var margins = new double[classes];
        for (int row = 0; row < x.Rows; row++)
        {
            grouped.Margins(x, row, bias, margins);
            for (int c = 0; c < classes; c++) Assert.Equal(x.Dot(row, w[c]) + bias[c], margins[c], 4);
        }
        // Class-major weights taken as they are score the same.
        var asIs = GroupWeights.OfClasses(w);
        Assert.Same(w[2], asIs.ToClassMajor()[2]);
        asIs.Margins(x, 0, bias, margins);
        Assert.Equal(x.Dot(0, w[6]) + bias[6], margins[6], 9);
    }
}
