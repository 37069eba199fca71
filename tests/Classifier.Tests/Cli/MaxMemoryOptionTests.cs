using Classifier.Cli.Options;
using Classifier.Core;

namespace Classifier.Tests.Cli;

/// <summary>`train --max-memory SIZE --temp-dir DIR`: sizes as `free` and `ulimit` write them, and one line for what cannot work.</summary>
public sealed class MaxMemoryOptionTests
{
    [Theory]
    [InlineData("4G", 4L << 30)]
    [InlineData("4g", 4L << 30)]
    [InlineData("4GB", 4L << 30)]
    [InlineData("4GiB", 4L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("800k", 800L << 10)]
    [InlineData("1000", 1000L)]
    [InlineData(" 2T ", 2L << 40)]
    public void Sizes_AreParsedInPowersOf1024(string text, long bytes) => Assert.Equal(bytes, ByteSizes.Parse(text, "--max-memory"));

    [Theory]
    [InlineData("four")]
    [InlineData("4X")]
    [InlineData("-1G")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("1e30G")]
    public void BadSizes_AreRefused(string text) =>
        Assert.StartsWith("--max-memory ", Assert.Throws<InputException>(() => ByteSizes.Parse(text, "--max-memory")).Message);

    [Fact]
    public async Task ALimitBelowWhatEvenASpilledRunNeeds_IsRefusedInOneLine_AndNoModelIsWritten()
    {
        var folder = Directory.CreateTempSubdirectory("classifier-maxmem-").FullName;
        try
        {
            var model = Path.Combine(folder, "m.zip");
            var result = await CliHarness.RunAsync("train", "--max-memory", "1K", "--temp-dir", folder, "--model", model);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("error: --max-memory 1,024 bytes is too small: training on 0.2 MB of text needs about", result.Stderr);
            Assert.Empty(Directory.GetFiles(folder));

            result = await CliHarness.RunAsync("train", "--temp-dir", Path.Combine(folder, "missing"), "--model", model);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"--temp-dir {Path.Combine(folder, "missing")}: no such folder", result.Stderr);

            result = await CliHarness.RunAsync("train", "--max-memory", "lots", "--model", model);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("--max-memory takes a size such as 4G, 512M or a number of bytes, not 'lots'", result.Stderr);
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Help_ShowsTheDefaults()
    {
        var help = (await CliHarness.RunOkAsync("train", "--help")).Stdout;
        Assert.Contains("--max-memory", help);
        Assert.Contains("the memory available less 10 %", help);
        Assert.Contains("--temp-dir", help);
    }
}
