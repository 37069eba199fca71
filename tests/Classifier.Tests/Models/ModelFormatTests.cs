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

    [Theory]
    [InlineData("model.bin", "model file is damaged: model.bin does not match its checksum (CRC-32)")]
    [InlineData("manifest.json", "model manifest is damaged: it does not match its checksum (CRC-32)")]
    public async Task An_entry_whose_bytes_do_not_match_its_checksum_is_damaged(string entry, string message)
    {
        // The entry's bytes stay as they were (they inflate without error); only the CRC-32 the zip records for them
        // changes, as it would not match after a bit flipped in storage.
        var bytes = File.ReadAllBytes(CliHarness.Fixture("earlier-formats/format1-multiclass.zip"));
        var name = System.Text.Encoding.ASCII.GetBytes(entry);
        var patched = 0;
        for (int at = 0; at + 46 + name.Length <= bytes.Length; at++)
        {
            // Central directory headers (PK 1 2): the CRC-32 at +16, the name at +46.
            if (bytes[at] != 0x50 || bytes[at + 1] != 0x4b || bytes[at + 2] != 1 || bytes[at + 3] != 2) continue;
            if (!bytes.AsSpan(at + 46, name.Length).SequenceEqual(name)) continue;
            bytes[at + 16] ^= 0xFF;
            patched++;
        }
        Assert.Equal(1, patched);
        var path = _tmp["damaged.zip"];
        File.WriteAllBytes(path, bytes);
        var result = await CliHarness.RunAsync("predict", "--model", path, "a striker scored twice");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {path}: {message}\n", result.Stderr);
        Assert.Equal("", result.Stdout);
    }
}
