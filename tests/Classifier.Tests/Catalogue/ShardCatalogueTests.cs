using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Shards and bad rows (docs/catalogue.md, "Shards"): positions count every record, bad ones too, and each bad row is
/// counted by the one shard that owns it, so that the shards' totals add up to one run's.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ShardCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public ShardCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    /// <summary>20 records with ids 1-20; records 5 and 12 have too many fields.</summary>
    private string Input()
    {
        var rows = Enumerable.Range(1, 20).Select(i => i is 5 or 12
            ? $"{i},The striker scored,extra field\n"
            : $"{i},The striker scored a goal in match {i}\n");
        return _tmp.Write("in.csv", "id,text\n" + string.Concat(rows));
    }

    [Theory]
    [InlineData("keep")]
    [InlineData("drop")]
    public async Task BadRows_CountOnceAcrossShards_AndKeepTheirPositions(string mode)
    {
        var input = Input();
        var whole = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", "-", "--bad-rows", mode, "--quiet");
        Outcome.BadRows(whole);
        var (_, wholeBad) = ScoreAssert.Summary(whole);
        Assert.Equal(2, wholeBad);

        long bad = 0;
        var ids = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            var part = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", "-", "--bad-rows", mode, "--shard", $"{i}/3");
            var partIds = Csv.Records(part.Stdout).Select(r => r["id"]).ToList();
            var expected = Enumerable.Range(1, 20).Where(p => (p - 1) % 3 == i - 1 && (mode == "keep" || p is not (5 or 12))).Select(p => p.ToString()).ToList();
            Assert.Equal(expected, partIds);
            var partBad = ScoreAssert.Summary(part).Bad;
            // Only the shard that owns a bad row warns about it.
            Assert.Equal(partBad, Outcome.Warnings(part).Length);
            bad += partBad;
            ids.AddRange(partIds);
        }
        Assert.Equal(wholeBad, bad);
        Assert.Equal(Csv.Records(whole.Stdout).Select(r => r["id"]).Order(), ids.Order());
    }
}
