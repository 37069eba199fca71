using Classifier.Core;
using Classifier.Core.Training;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Training;

/// <summary>--class-weight: the weights worked by hand, and what the option accepts and refuses.</summary>
public sealed class ClassWeightingTests
{
    [Fact]
    public void Balanced_IsNOverClassesTimesClassSize()
    {
        // Four documents, two classes of 3 and 1: 4 / (2 x 3) and 4 / (2 x 1). A class absent from the labels keeps 1.
        Assert.Equal([4.0 / 6, 2.0, 1.0], ClassWeighting.Balanced.Of([0, 0, 0, 1], classes: 3));
        Assert.Equal([1.0, 1.0], ClassWeighting.None.Of([0, 0, 0, 1], classes: 2));
    }

    [Fact]
    public void MultiLabelBalanced_IsNegativesOverPositives()
    {
        // A label on 1 document of 5: its positives cost 4 / 1; on 2 of 6, 4 / 2. A label on none or on all keeps 1.
        Assert.Equal(4.0, ClassWeighting.Balanced.PositiveWeight([true, false, false, false, false]));
        Assert.Equal(2.0, ClassWeighting.Balanced.PositiveWeight([false, true, false, true, false, false]));
        Assert.Equal(1.0, ClassWeighting.Balanced.PositiveWeight([false, false]));
        Assert.Equal(1.0, ClassWeighting.Balanced.PositiveWeight([true, true]));
        Assert.Equal(1.0, ClassWeighting.None.PositiveWeight([true, false, false]));
    }

    [Fact]
    public void Names_RoundTrip_AndOthersAreRefused()
    {
        Assert.Equal(ClassWeighting.Balanced, ClassWeightings.Parse(" Balanced "));
        Assert.Equal("none", ClassWeighting.None.Name());
        Assert.Throws<InputException>(() => ClassWeightings.Parse("auto"));
    }

    [Fact]
    public async Task Train_RecordsTheWeighting_SingleAndMultiLabel_AndRefusesItWhereItDoesNotApply()
    {
        using var tmp = new TempDirectory();
        var model = Path.Combine(tmp.Path, "m.zip");
        await CliHarness.RunOkAsync("train", "--class-weight", "balanced", "--model", model, "--quiet");
        var info = await CliHarness.RunOkAsync("info", "-m", model);
        Assert.Contains("class weight balanced", info.Stdout);

        var other = await CliHarness.RunAsync("train", "--class-weight", "balanced", "--trainer", "naive-bayes", "--model", model, "--quiet");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("needs the svm trainer", other.Stderr);
        // Multi-label: each label's positives are weighted in its own problem, and the manifest says so.
        var multiModel = Path.Combine(tmp.Path, "multi.zip");
        await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("multi-label.csv"), "--label", "labels", "--multi-label", "--class-weight", "balanced",
            "--model", multiModel, "--quiet");
        Assert.Contains("class weight balanced", (await CliHarness.RunOkAsync("info", "-m", multiModel)).Stdout);
        var bad = await CliHarness.RunAsync("train", "--class-weight", "auto", "--model", model, "--quiet");
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.Stderr.Trim().Split('\n'));
    }
}
