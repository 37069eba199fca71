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
    public void Names_RoundTrip_AndOthersAreRefused()
    {
        Assert.Equal(ClassWeighting.Balanced, ClassWeightings.Parse(" Balanced "));
        Assert.Equal("none", ClassWeighting.None.Name());
        Assert.Throws<InputException>(() => ClassWeightings.Parse("auto"));
    }

    [Fact]
    public async Task Train_RecordsTheWeighting_AndRefusesItWhereItDoesNotApply()
    {
        using var tmp = new TempDirectory();
        var model = Path.Combine(tmp.Path, "m.zip");
        await CliHarness.RunOkAsync("train", "--class-weight", "balanced", "--model", model, "--quiet");
        var info = await CliHarness.RunOkAsync("info", "-m", model);
        Assert.Contains("class weight balanced", info.Stdout);

        var other = await CliHarness.RunAsync("train", "--class-weight", "balanced", "--trainer", "naive-bayes", "--model", model, "--quiet");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("needs the svm trainer", other.Stderr);
        var multi = await CliHarness.RunAsync("train", "--data", CliHarness.Fixture("multi-label.csv"), "--multi-label", "--class-weight", "balanced",
            "--model", model, "--quiet");
        Assert.Equal(2, multi.ExitCode);
        Assert.Contains("single-label", multi.Stderr);
        var bad = await CliHarness.RunAsync("train", "--class-weight", "auto", "--model", model, "--quiet");
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.Stderr.Trim().Split('\n'));
    }
}
