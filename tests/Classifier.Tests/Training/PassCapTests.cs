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
    public void DualCoordinateSvm_AProblemThatConvergesOnItsLastPassIsNotCapped()
    {
        var (x, positive) = Problem();
        var passes = 0;
        DualCoordinateSvm.Train(x, positive[0], new DualCoordinateSvm.Options(C: 1, MaxIterations: 1000, Tolerance: 0.1, Seed: 3, OnPass: (_, _) => passes++));
        Assert.InRange(passes, 2, 999);
        int Capped(int cap)
        {
            var told = 0;
            DualCoordinateSvm.Train(x, positive[0], new DualCoordinateSvm.Options(C: 1, MaxIterations: cap, Tolerance: 0.1, Seed: 3, OnCap: _ => told++));
            return told;
        }
        Assert.Equal(0, Capped(passes));
        Assert.Equal(1, Capped(passes - 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OneVersusRestSvm_WarnsOnceASolve_WhicheverSolverRuns(bool classAtATime)
    {
        var (x, positive) = Problem();
        var y = positive[0].Select(p => p ? 1 : 0).ToArray();
        var reports = new List<ProgressUpdate>();
        OneVersusRestSvm.TrainAll(x, y, 2, new TrainerOptions { Iterations = 1, Threads = 1 }, CancellationToken.None,
            progress: new Collect(reports), stage: "svm: final solve, classes done", classAtATime: classAtATime);
        var warning = Assert.Single(reports, r => r.Warning);
        Assert.StartsWith("svm: final solve: one or more classes reached the cap of 1 pass before converging", warning.Stage);

        reports.Clear();
        OneVersusRestSvm.TrainAll(x, y, 2, new TrainerOptions { Threads = 1 }, CancellationToken.None,
            progress: new Collect(reports), stage: "svm: final solve, classes done", classAtATime: classAtATime);
        Assert.DoesNotContain(reports, r => r.Warning);
    }

    [Fact]
    public void Report_NamesTheSolveWithoutItsCount_AndSaysNothingWhenNoProblemWasCapped()
    {
        var reports = new List<ProgressUpdate>();
        var progress = new Collect(reports);
        var cap = new PassCap();
        cap.Report(progress, "svm: final solve", 100, "classes");
        Assert.Empty(reports);
        Assert.Equal("svm: final solve", PassCap.SolveOf("svm: final solve, classes done"));
        Assert.Equal("svm: labels done", PassCap.SolveOf("svm: labels done"));

        var o = cap.Counting(new DualCoordinateSvm.Options(C: 1, MaxIterations: 7, Tolerance: 0.1, Seed: 3));
        o.OnCap!(2);
        o.OnCap!(5);
        Assert.Equal(2, cap.Count);
        cap.Report(progress, "svm: validation folds", o.MaxIterations, "labels");
        var warning = Assert.Single(reports);
        Assert.True(warning.Warning);
        Assert.Equal("svm: validation folds: one or more labels reached the cap of 7 passes before converging; their weights may be short of the optimum (--iterations raises the cap)",
            warning.Stage);
    }

    /// <summary>Reports kept as they come (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Collect(List<ProgressUpdate> into) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => into.Add(value);
    }
}
