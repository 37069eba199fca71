using Classifier.Core.Training;

namespace Classifier.Tests.Cli;

/// <summary>The estimate `train` prints before the expensive work (bench/scale.sh measured the peak per byte).</summary>
public sealed class MemoryEstimateTests
{
    [Fact]
    public void Estimate_Is80MBAndBytesPerCharacter_FewerWhenPacked_AndSpillsOnlyAboveTheLimit()
    {
        // Packed above 50 M characters: 80 MB + 9.5 x 1e9 = 9.58 GB. Below, 13.5 a character: 80 MB + 13.5 x 4e7 = 620 MB;
        // 80 MB + 13.5 x 2e5 = 82.7 MB.
        var limit = new MemoryLimit { MaxBytes = 24_000_000_000 };
        var plan = MemoryEstimate.Plan(1_000_000_000, limit);
        Assert.Equal("1.0 GB of text to train on: about 9.6 GB of memory at the peak (24.0 GB allowed)", plan.Line);
        Assert.False(plan.Spills);
        Assert.Null(plan.Warning);
        Assert.Equal("40.0 MB of text to train on: about 620.0 MB of memory at the peak (24.0 GB allowed)", MemoryEstimate.Plan(40_000_000, limit).Line);
        Assert.Equal("0.2 MB of text to train on: about 82.7 MB of memory at the peak (24.0 GB allowed)", MemoryEstimate.Plan(200_000, limit).Line);
        // 3 GB packed would take 28.6 GB: above 24 GB the store goes to disk, 80 MB + 500 MB + 2.5 x 3e9 = 8.1 GB in memory.
        plan = MemoryEstimate.Plan(3_000_000_000, limit);
        Assert.True(plan.Spills);
        Assert.StartsWith("3.0 GB of text to train on: more than the 24.0 GB of --max-memory in memory, so its store goes to disk: about 8.1 GB", plan.Line);
    }

    [Fact]
    public void UnderTheDefaultLimit_APlanAboveEvenTheSpilledEstimateWarns_ButRuns()
    {
        var available = MemoryLimit.DefaultBytes;
        var chars = (long)(available / MemoryEstimate.BytesPerCharSpilled) + 1_000_000_000;
        var plan = MemoryEstimate.Plan(chars, new MemoryLimit());
        Assert.True(plan.Spills);
        Assert.StartsWith($"training on {chars / 1e9:0.0} GB of text needs about", plan.Warning);
        Assert.Contains("even with its store on disk", plan.Warning);
    }
}
