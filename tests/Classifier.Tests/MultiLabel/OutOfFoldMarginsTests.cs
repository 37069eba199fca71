using Classifier.Core.Features;
using Classifier.Core.Training;
using Classifier.Tests.Training;

namespace Classifier.Tests.MultiLabel;

public sealed class OutOfFoldMarginsTests
{
    /// <summary>Random sparse rows and three labels, each the sign of its own hidden rule (a tenth flipped).</summary>
    private static (SparseMatrix X, bool[][] Member) Problem(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var hidden = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, columns).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var vectors = Enumerable.Range(0, rows).Select(_ => RandomRows.Draw(random, columns)).ToList();
        var member = hidden.Select(h => vectors.Select(v => (RandomRows.Score(v, h) > 0) ^ (random.NextDouble() < 0.1)).ToArray()).ToArray();
        return (new SparseMatrix(vectors, columns), member);
    }

    [Fact]
    public void EveryFoldStartsFromTheGivenSolution_AndTheFinalStartIsTheMeanOfEachRowsFoldSolutions()
    {
        var (x, member) = Problem(rows: 90, columns: 30, seed: 5);
        var o = new TrainerOptions { Seed = 11, Threads = 1 };
        const int folds = 3;
        // A start that is no fold's optimum, as the ranking solve's is not: folds chained from one another would move it.
        var start = member.Select((_, l) => Enumerable.Range(0, x.Rows).Select(i => 0.05 * ((i + l) % 4)).ToArray()).ToArray();
        var warm = start.Select(a => a.ToArray()).ToArray();

        var margins = MultiLabelTrainer.OutOfFoldMargins(x, member, folds, o, warm, CancellationToken.None, progress: null);

        // Each fold solved alone, from the same start on its own rows.
        var fold = MultiLabelTrainer.FoldOf(x.Rows, folds, o.Seed);
        var sums = member.Select(_ => new double[x.Rows]).ToArray();
        var expected = member.Select(_ => new double[x.Rows]).ToArray();
        for (int f = 0; f < folds; f++)
        {
            var fit = Enumerable.Range(0, x.Rows).Where(i => fold[i] != f).ToArray();
            var alpha = start.Select(a => fit.Select(i => a[i]).ToArray()).ToArray();
            var (weights, bias) = MultiLabelTrainer.TrainLabels(x, member.Select(m => fit.Select(i => m[i]).ToArray()).ToArray(), o,
                CancellationToken.None, alpha, rows: fit);
            for (int l = 0; l < member.Length; l++)
                for (int k = 0; k < fit.Length; k++) sums[l][fit[k]] += alpha[l][k];
            var m = new double[member.Length];
            foreach (var i in Enumerable.Range(0, x.Rows).Where(i => fold[i] == f))
            {
                weights.Margins(x, i, bias, m);
                for (int l = 0; l < member.Length; l++) expected[l][i] = m[l];
            }
        }
        for (int l = 0; l < member.Length; l++)
        {
            Assert.Equal(expected[l], margins[l]);
            for (int i = 0; i < x.Rows; i++) Assert.Equal(sums[l][i] / (folds - 1), warm[l][i], 12);
        }
        // The fold solves did move the dual variables, so the mean above is not the start handed back.
        Assert.Contains(Enumerable.Range(0, x.Rows), i => Math.Abs(warm[0][i] - start[0][i]) > 1e-3);
    }

    [Fact]
    public void FewerThanTwoValidationFolds_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiLabelOptions { ValidationFolds = 1 }.Validate());
        new MultiLabelOptions { ValidationFolds = 2 }.Validate();
    }

    [Fact]
    public void FoldOf_DealsEveryRowToOneFold_SizesWithinOne()
    {
        var fold = MultiLabelTrainer.FoldOf(rows: 10, folds: 3, seed: 1);
        Assert.All(fold, f => Assert.InRange(f, 0, 2));
        var sizes = fold.GroupBy(f => f).Select(g => g.Count()).OrderBy(c => c).ToArray();
        Assert.Equal(new[] { 3, 3, 4 }, sizes);
        Assert.Equal(fold, MultiLabelTrainer.FoldOf(rows: 10, folds: 3, seed: 1));
    }
}
