namespace Classifier.Tests.Cli;

/// <summary>The estimate `train` prints before the expensive work (bench/scale.sh measured the peak per byte).</summary>
public sealed class MemoryEstimateTests
{
    [Fact]
    public void Estimate_Is80MBAndBytesPerCharacter_FewerWhenPacked_AndWarnsOnlyAboveWhatIsAvailable()
    {
        // Packed above 50 M characters: 80 MB + 9.5 x 1e9 = 9.58 GB; 80 MB + 9.5 x 3e9 = 28.58 GB. Below, 13.5 a character:
        // 80 MB + 13.5 x 4e7 = 620 MB; 80 MB + 13.5 x 2e5 = 82.7 MB.
        var (line, warning) = Classifier.Core.Training.MemoryEstimate.Of(1_000_000_000, 24_000_000_000);
        Assert.Equal("1.0 GB of text to train on: about 9.6 GB of memory at the peak (24.0 GB available)", line);
        Assert.Null(warning);
        (line, warning) = Classifier.Core.Training.MemoryEstimate.Of(3_000_000_000, 24_000_000_000);
        Assert.StartsWith("training on 3.0 GB of text needs about 28.6 GB of memory, more than the 24.0 GB available; it may run out of memory", warning);
        Assert.Equal("40.0 MB of text to train on: about 620.0 MB of memory at the peak (24.0 GB available)",
            Classifier.Core.Training.MemoryEstimate.Of(40_000_000, 24_000_000_000).Line);
        Assert.Equal("0.2 MB of text to train on: about 82.7 MB of memory at the peak (24.0 GB available)",
            Classifier.Core.Training.MemoryEstimate.Of(200_000, 24_000_000_000).Line);
    }
}
