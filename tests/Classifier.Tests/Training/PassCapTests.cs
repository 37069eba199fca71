using Classifier.Core;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>The pass cap's report: told of the problems it ended before they converged, and of no other.</summary>
public sealed class PassCapTests
{
    private static (Core.Training.SparseMatrix X, bool[][] Positive) Problem()
    {
        // Three binary problems on the same noisy rows: a tenth of the labels flipped, so that one pass is far from enough.
        var (x, y) = RandomRows.BinaryProblem(rows: 200, columns: 40, seed: 9, flipped: 0.1);
        var random = new Random(4);
        var positive = new[] { y, y.Select(v => !v).ToArray(), y.Select(_ => random.NextDouble() < 0.5).ToArray() };
        return (x, positive);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(1000, 0)]
    public void LockstepSvm_TellsTheClassesThePassCapEnded(int passes, int capped)
    {
        var (x, positive) = Problem();
        var told = new List<int>();
        var o = new DualCoordinateSvm.Options(C: 1, MaxIterations: passes, Tolerance: 0.1, Seed: 3, OnCap: c => { lock (told) told.Add(c); });
        LockstepSvm.TrainAll(x, positive, o, [1.0, 1.0, 1.0], null, null, null, new ParallelOptions { MaxDegreeOfParallelism = 1 });
        // Each class once, by its index among all classes (not within its group).
        Assert.Equal(Enumerable.Range(0, capped), told.Order());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1000, 0)]
    public void DualCoordinateSvm_TellsWhenThePassCapEndedTheProblem(int passes, int capped)
    {
        var (x, positive) = Problem();
        var told = 0;
        var o = new DualCoordinateSvm.Options(C: 1, MaxIterations: passes, Tolerance: 0.1, Seed: 3, OnCap: _ => told++);
        DualCoordinateSvm.Train(x, positive[0], o);
        Assert.Equal(capped, told);
    }

    [Fact]
    public void Report_NamesTheSolveWithoutItsCount_AndSaysNothingWhenNoProblemWasCapped()
    {
        var reports = new List<ProgressUpdate>();
        var progress = new Collect(reports);
        var cap = new PassCap();
        cap.Report(progress, "svm: final solve, classes done", 100, "classes");
        Assert.Empty(reports);

        var o = cap.Counting(new DualCoordinateSvm.Options(C: 1, MaxIterations: 7, Tolerance: 0.1, Seed: 3));
        o.OnCap!(2);
        o.OnCap!(5);
        Assert.Equal(2, cap.Count);
        cap.Report(progress, "svm: fold 2/3, labels done", o.MaxIterations, "labels");
        var warning = Assert.Single(reports);
        Assert.True(warning.Warning);
        Assert.Equal("svm: fold 2/3: some labels reached the cap of 7 passes before converging; their weights are near the optimum, not at it (--iterations raises the cap)",
            warning.Stage);
    }

    /// <summary>Reports kept as they come (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Collect(List<ProgressUpdate> into) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => into.Add(value);
    }
}
