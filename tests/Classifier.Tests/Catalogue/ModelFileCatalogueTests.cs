using System.IO.Compression;
using System.Text;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, model files that are damaged or are not models. Already covered elsewhere: EndToEndTests.Info_OnATruncatedModel_Exit2,
/// EndToEndTests.Model_WithNewerManifestSchema_Exit2_SaysNewer, EndToEndTests.Info_OnANonZipFile_Exit2_NotAModelFile and
/// EndToEndTests.Model_WithoutManifest_Exit2. Here: the same through `score`, which must write nothing, and damage inside
/// the entries of an otherwise valid zip.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ModelFileCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public ModelFileCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    /// <summary>A copy of the trained model with one entry's bytes replaced.</summary>
    private string WithEntry(string name, string entry, Func<byte[], byte[]> change)
    {
        var path = _tmp[name];
        File.Copy(_model.TrainedModel, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var old = zip.GetEntry(entry)!;
        byte[] bytes;
        using (var s = old.Open())
        using (var m = new MemoryStream())
        {
            s.CopyTo(m);
            bytes = m.ToArray();
        }
        old.Delete();
        using var w = zip.CreateEntry(entry).Open();
        w.Write(change(bytes));
        return path;
    }

    public static TheoryData<string, string> Damage => new()
    {
        { "empty", "not a model file (not a zip archive, or a truncated one)" },
        { "truncated", "not a model file (not a zip archive, or a truncated one)" },
        { "text", "not a model file (not a zip archive, or a truncated one)" },
        { "other-zip", "not a classifier model: manifest.json is missing" },
        { "manifest-not-json", "model manifest is damaged: " },
        { "manifest-an-array", "model manifest has no valid schema_version" },
        { "manifest-without-labels", "model manifest is damaged: " },
        { "manifest-newer", "model was written with manifest schema 3, newer than this tool reads (2); upgrade the tool" },
        { "manifest-older", "model was written with manifest schema 1 by an earlier version of the tool; this version reads schema 2 (compact models): train it again with 'classifier train'" },
        { "model-missing", "not a classifier model: model.bin is missing" },
        { "model-garbage", "model file is damaged: " },
        { "model-truncated", "model file is damaged: " },
        { "model-wrong-format", "model file is damaged: model.bin format 9 is not supported (this tool reads 1 and 2)" },
        { "model-trailing-bytes", "model file is damaged: model.bin has data after its end" },
    };

    private string Make(string kind)
    {
        var bytes = File.ReadAllBytes(_model.TrainedModel);
        switch (kind)
        {
            case "empty": return _tmp.Write("m.zip", "");
            case "truncated": return _tmp.WriteBytes("m.zip", bytes[..(bytes.Length * 2 / 3)]);
            case "text": return _tmp.Write("m.zip", "id,text\n1,not a model\n");
            case "other-zip":
                var path = _tmp["m.zip"];
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                using (var w = zip.CreateEntry("readme.txt").Open()) w.Write("hello"u8);
                return path;
            case "manifest-not-json": return WithEntry("m.zip", "manifest.json", _ => "{not json"u8.ToArray());
            case "manifest-an-array": return WithEntry("m.zip", "manifest.json", _ => "[1, 2]"u8.ToArray());
            case "manifest-without-labels": return WithEntry("m.zip", "manifest.json", b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("\"labels\"", "\"labelz\"")));
            case "manifest-newer": return WithEntry("m.zip", "manifest.json", b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("\"schema_version\": 2", "\"schema_version\": 3")));
            case "manifest-older": return WithEntry("m.zip", "manifest.json", b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("\"schema_version\": 2", "\"schema_version\": 1")));
            case "model-missing":
                var copy = _tmp["m.zip"];
                File.Copy(_model.TrainedModel, copy);
                using (var zip = ZipFile.Open(copy, ZipArchiveMode.Update)) zip.GetEntry("model.bin")!.Delete();
                return copy;
            case "model-garbage": return WithEntry("m.zip", "model.bin", _ => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("garbage", 10))));
            case "model-truncated": return WithEntry("m.zip", "model.bin", b => b[..(b.Length / 2)]);
            // The header is the magic string (length byte + 16 bytes), then the format version.
            case "model-wrong-format": return WithEntry("m.zip", "model.bin", b => { var c = (byte[])b.Clone(); c[17] = 9; return c; });
            case "model-trailing-bytes": return WithEntry("m.zip", "model.bin", b => [.. b, 0, 1, 2]);
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task Score_WithADamagedModel_Exit2_NamesTheModel_WritesNothing(string kind, string message)
    {
        var model = Make(kind);
        var input = _tmp.Write("in.csv", "id,title,text\n1,Goal,The striker scored a goal\n");
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", model, "-i", input, "-o", output);
        Outcome.BadInput(r, $"{model}: {message}");
        Outcome.FolderHolds(_tmp.Path, "m.zip", "in.csv");
    }

    [Fact]
    public async Task Score_WithBytesFlippedInTheModel_Exit2_WritesNothing()
    {
        var input = _tmp.Write("in.csv", "id,title,text\n1,Goal,The striker scored a goal\n");
        var bytes = File.ReadAllBytes(_model.TrainedModel);
        // Damage at several places: the manifest, the vocabulary and the weights, and the zip directory at the end.
        foreach (var at in new[] { 0.02, 0.3, 0.6, 0.9, 0.995 })
        {
            var copy = (byte[])bytes.Clone();
            var start = (int)(copy.Length * at);
            for (int i = start; i < Math.Min(copy.Length, start + 64); i++) copy[i] ^= 0x5A;
            var model = _tmp.WriteBytes("m.zip", copy);
            var r = await CliHarness.RunAsync("score", "-m", model, "-i", input, "-o", _tmp["out.csv"]);
            // Damage inside a stored entry can go unnoticed by the zip layer; it must then still load or fail cleanly.
            if (r.ExitCode == 0)
            {
                File.Delete(_tmp["out.csv"]);
                continue;
            }
            Outcome.BadInput(r, $"{model}: ");
            Outcome.FolderHolds(_tmp.Path, "m.zip", "in.csv");
        }
    }
}
