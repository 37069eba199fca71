using System.IO.Compression;
using System.Text.Json;
using Classifier.Core.Features;
using Microsoft.ML;

namespace Classifier.Core.Models;

/// <summary>
/// Reads and writes the model file: a zip holding manifest.json, the featurizer and the ML.NET model.
/// Writing goes to a temporary file beside the target, renamed at the end, so a failure never leaves a
/// half-written model where a model is expected.
/// </summary>
public static class ModelFile
{
    private const string ManifestEntry = "manifest.json";
    private const string FeaturizerEntry = "featurizer.bin";
    private const string MlNetEntry = "mlnet-model.zip";

    public static void Save(ClassifierModel model, string path, CancellationToken cancel = default)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot create the model folder: {e.Message}", dir, inner: e);
        }
        if (Directory.Exists(full)) throw new InputException("the model path is a folder; give a file name such as model.zip", path);
        AtomicFile.Write(full, stream => Write(model, stream, cancel));
    }

    public static void Write(ClassifierModel model, Stream stream, CancellationToken cancel = default)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var s = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal).Open())
            JsonSerializer.Serialize(s, model.Manifest, JsonDefaults.Options);
        cancel.ThrowIfCancellationRequested();
        using (var s = zip.CreateEntry(FeaturizerEntry, CompressionLevel.Fastest).Open())
            model.Featurizer.Write(s);
        cancel.ThrowIfCancellationRequested();
        using (var s = zip.CreateEntry(MlNetEntry, CompressionLevel.NoCompression).Open())
        {
            // ML.NET's Save needs a seekable stream; buffer it.
            using var buffer = new MemoryStream();
            model.Context.Model.Save(model.Transformer, null, buffer);
            buffer.Position = 0;
            buffer.CopyTo(s);
        }
    }

    /// <summary>Only the manifest: cheap, for `info`.</summary>
    public static Manifest ReadManifest(string path)
    {
        using var zip = OpenZip(path);
        return ReadManifest(zip, path);
    }

    public static ClassifierModel Load(string path, int seed = 1)
    {
        using var zip = OpenZip(path);
        var manifest = ReadManifest(zip, path);
        try
        {
            TextFeaturizer featurizer;
            using (var s = Entry(zip, FeaturizerEntry, path).Open()) featurizer = TextFeaturizer.Read(s);
            var ml = new MLContext(seed);
            ITransformer transformer;
            using (var s = Entry(zip, MlNetEntry, path).Open())
            using (var buffer = new MemoryStream())
            {
                s.CopyTo(buffer);
                buffer.Position = 0;
                transformer = ml.Model.Load(buffer, out _);
            }
            return new ClassifierModel(manifest, featurizer, transformer, ml);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or InvalidOperationException or IOException)
        {
            throw new InputException($"model file is damaged: {e.Message}", path, inner: e);
        }
    }

    private static ZipArchive OpenZip(string path)
    {
        if (Directory.Exists(path)) throw new InputException("expected a model file but found a folder", path);
        if (!File.Exists(path)) throw new InputException("no such model file", path);
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InputException("not a model file (not a zip archive, or a truncated one)", path, inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException("permission denied", path, inner: e);
        }
    }

    private static ZipArchiveEntry Entry(ZipArchive zip, string name, string path) =>
        zip.GetEntry(name) ?? throw new InputException($"not a classifier model: {name} is missing", path);

    private static Manifest ReadManifest(ZipArchive zip, string path)
    {
        try
        {
            using var s = Entry(zip, ManifestEntry, path).Open();
            using var doc = JsonDocument.Parse(s);
            var version = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("schema_version", out var v)
                && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : -1;
            if (version > Manifest.CurrentSchemaVersion)
                throw new InputException($"model was written with manifest schema {version}, newer than this tool reads ({Manifest.CurrentSchemaVersion}); upgrade the tool", path);
            if (version < 1) throw new InputException("model manifest has no valid schema_version", path);
            var manifest = doc.RootElement.Deserialize<Manifest>(JsonDefaults.Options) ?? throw new InputException("model manifest is empty", path);
            if (manifest.Labels is null || manifest.TextColumns is null || manifest.Featurizer is null || manifest.Trainer is null || manifest.Data is null || manifest.Labels.Count < 2)
                throw new InputException("model manifest is incomplete (labels, columns or settings missing)", path);
            return manifest;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or InvalidOperationException or NotSupportedException)
        {
            throw new InputException($"model manifest is damaged: {e.Message}", path, inner: e);
        }
    }
}
