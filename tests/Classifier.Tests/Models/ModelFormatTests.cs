using Classifier.Tests.Cli;

namespace Classifier.Tests.Models;

/// <summary>
/// Models written by earlier builds keep loading and scoring as they did: data/fixtures/earlier-formats holds one file of each
/// earlier model.bin format (written by make.sh there) with the scores that build gave, byte for byte.
/// </summary>
public sealed class ModelFormatTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("format1-multiclass", "tiny-news.csv")]
    [InlineData("format2-places", "tiny-news.csv")]
    [InlineData("format1-multilabel", "multi-label.csv")]
    public async Task An_earlier_format_scores_as_it_did(string model, string data)
    {
        var output = _tmp["scores.csv"];
        await CliHarness.RunOkAsync("score", "-m", CliHarness.Fixture($"earlier-formats/{model}.zip"), "-i", CliHarness.Fixture(data),
            "-o", output, "--top", "3", "--keep", "id", "--quiet");
        Assert.Equal(File.ReadAllText(CliHarness.Fixture($"earlier-formats/{model}.scores.csv")), File.ReadAllText(output));
    }
}
