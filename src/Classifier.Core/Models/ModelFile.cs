using System.IO.Compression;
using System.Text.Json;
using Classifier.Core.Features;

namespace Classifier.Core.Models;

/// <summary>
/// Reads and writes the model file: a zip holding manifest.json, model.bin (the vocabulary and the weights, laid out
/// as scoring uses them, read in one pass with no object per feature) and, for trainers without weights or when an
/// export was asked for, mlnet-model.zip. Writing goes to a temporary file beside the target, renamed at the end, so
/// a failure never leaves a half-written model where a model is expected.
/// </summary>
public static class ModelFile
{
    private const string ManifestEntry = "manifest.json";
    private const string ModelEntry = "model.bin";
    private const string MlNetEntry = "mlnet-model.zip";
    private const string Magic = "classifier-model";
    /// <summary>2 for a model with place features (its vocabulary holds a place block that version 1 readers would misread), else 1.</summary>
    private const int FormatVersion = 1, PlacesFormatVersion = 2;

    public static void Save(ClassifierModel model, string path, CancellationToken cancel = default)
    {
        var full = Path.GetFullPath(path);
        // The folder of the file the path finally leads to: a symbolic link may point elsewhere (see WriteTarget).
        var dir = WriteTarget.Of(full).Folder;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot create the model folder: {e.Message}", dir, inner: e);
        }
        if (Directory.Exists(full)) throw new InputException("the model path is a folder; give a file name such as model.zip", path);
        // A model is a zip already: a name ending in .gz gets the zip as it is, which Load reads whatever the name.
        AtomicFile.Write(full, stream => Write(model, stream, cancel), gzipByName: false);
    }

    public static void Write(ClassifierModel model, Stream stream, CancellationToken cancel = default)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var s = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal).Open())
            JsonSerializer.Serialize(s, model.Manifest, JsonDefaults.Options);
        cancel.ThrowIfCancellationRequested();
        using (var s = zip.CreateEntry(ModelEntry, CompressionLevel.Optimal).Open())
        using (var w = new BinaryWriter(new BufferedStream(s, 1 << 16), System.Text.Encoding.UTF8))
        {
            w.Write(Magic);
            w.Write(model.Featurizer.Options.Places ? PlacesFormatVersion : FormatVersion);
            model.Featurizer.Write(w);
            w.Write(model.Linear is not null);
            model.Linear?.Write(w);
        }
        cancel.ThrowIfCancellationRequested();
        var mlNet = model.Linear is null ? model.MlNet : model.Manifest.Compact?.MlNetExport == true ? MlNetModel.FromLinear(model.Linear, model.Manifest.Trainer.Seed) : null;
        if (mlNet is not null)
            using (var s = zip.CreateEntry(MlNetEntry, CompressionLevel.NoCompression).Open())
                mlNet.Save(s);
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
        return Load(zip, path, seed);
    }

    /// <summary>A model from bytes: <paramref name="source"/> names it in errors.</summary>
    public static ClassifierModel Load(Stream stream, string source, int seed = 1)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InputException("not a model file (not a zip archive, or a truncated one)", source, inner: e);
        }
        using (zip) return Load(zip, source, seed);
    }

    private static ClassifierModel Load(ZipArchive zip, string path, int seed)
    {
        // The manifest is parsed on another thread, beside model.bin. Its errors still come first, as they would if it
        // were read first.
        var manifestBytes = ManifestBytes(zip, path);
        var parsing = Task.Run(() => ParseManifest(manifestBytes, path));
        (TextFeaturizer Featurizer, LinearScorer? Linear) parts;
        try
        {
            parts = ReadModelBin(zip, path);
        }
        catch (Exception e) when (Damage(e))
        {
            parsing.GetAwaiter().GetResult();
            throw new InputException($"model file is damaged: {e.Message}", path, inner: e);
        }
        catch (InputException)
        {
            parsing.GetAwaiter().GetResult();
            throw;
        }
        var manifest = parsing.GetAwaiter().GetResult();
        try
        {
            var (featurizer, linear) = parts;
            if (linear is not null && (linear.Weights.Features != featurizer.Dimension || linear.Classes != manifest.Labels.Count))
                throw new InvalidDataException($"the weights ({linear.Weights.Features:N0} features, {linear.Classes} classes) do not fit the vocabulary ({featurizer.Dimension:N0}) and labels ({manifest.Labels.Count})");
            MlNetModel? mlNet = null;
            if (linear is null)
            {
                var ml = Entry(zip, MlNetEntry, path);
                CheckSize(ml);
                using var s = ml.Open();
                mlNet = LoadMlNet(s, featurizer.Dimension, manifest.Labels.Count, seed);
            }
            return new ClassifierModel(manifest, featurizer, linear, mlNet);
        }
        catch (Exception e) when (Damage(e))
        {
            throw new InputException($"model file is damaged: {e.Message}", path, inner: e);
        }
    }

    /// <summary>What reading a damaged model.bin can throw.</summary>
    private static bool Damage(Exception e) => e is InvalidDataException or EndOfStreamException or FormatException or InvalidOperationException
        or IOException or JsonException or ArgumentException or OverflowException or NotSupportedException or IndexOutOfRangeException
        or NullReferenceException;

    /// <summary>The vocabulary and the weights (null for a model whose weights live in ML.NET's file).</summary>
    private static (TextFeaturizer Featurizer, LinearScorer? Linear) ReadModelBin(ZipArchive zip, string path)
    {
        var entry = Entry(zip, ModelEntry, path);
        CheckSize(entry);
        using var s = new EntryReadStream(entry.Open(), entry.Length, entry.Crc32);
        using var r = new BinaryReader(s, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadString() != Magic) throw new InvalidDataException("model.bin has the wrong header");
        var version = r.ReadInt32();
        if (version is not (FormatVersion or PlacesFormatVersion)) throw new InvalidDataException($"model.bin format {version} is not supported (this tool reads {FormatVersion} and {PlacesFormatVersion})");
        var vocabulary = TextFeaturizer.ReadStored(r);
        // The weights follow the vocabulary in model.bin: they inflate on another thread while the names are hashed and
        // indexed on this one (about 40 ms each for the 20 Newsgroups model).
        var weights = Task.Run(() =>
        {
            var linear = r.ReadBoolean() ? LinearScorer.Read(r) : null;
            s.VerifyEnd(ModelEntry);
            return linear;
        });
        TextFeaturizer featurizer;
        try
        {
            featurizer = TextFeaturizer.FromStored(vocabulary);
            if (featurizer.PlaceFeatureCount > 0) Features.Places.Gazetteer.Preload();
        }
        catch
        {
            // The stream must not be closed under the other thread; its own error, if any, matters less than this one.
            TaskEnds.WaitQuietly(weights);
            throw;
        }
        return (featurizer, weights.GetAwaiter().GetResult());
    }

    /// <summary>
    /// The size an entry declares, checked against what deflate can give from its compressed bytes (at most about
    /// 1,032 to 1), so that a damaged or hostile header cannot make the loader allocate gigabytes.
    /// </summary>
    private static void CheckSize(ZipArchiveEntry entry)
    {
        if (entry.Length > int.MaxValue || entry.Length > entry.CompressedLength * 1100L + (1 << 20))
            throw new InvalidDataException($"{entry.FullName} declares {entry.Length:N0} bytes from {entry.CompressedLength:N0} compressed");
    }

    /// <summary>
    /// In a method of its own, so that loading a linear model never loads ML.NET. One prediction proves that the model
    /// takes this vocabulary's vectors and gives one score per label, so that damage shows here and not in a worker.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static MlNetModel LoadMlNet(Stream s, int dimension, int labels, int seed)
    {
        var model = MlNetModel.Load(s, dimension, seed);
        var scores = model.CreateSession().Scores(new SparseVector([], []), labels);
        if (scores.Length != labels) throw new InvalidDataException($"the ML.NET model gives {scores.Length} scores for {labels} labels");
        return model;
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

    private static Manifest ReadManifest(ZipArchive zip, string path) => ParseManifest(ManifestBytes(zip, path), path);

    private static byte[] ManifestBytes(ZipArchive zip, string path)
    {
        try
        {
            var entry = Entry(zip, ManifestEntry, path);
            CheckSize(entry);
            using var s = entry.Open();
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            var bytes = copy.ToArray();
            if (System.IO.Hashing.Crc32.HashToUInt32(bytes) != entry.Crc32) throw new InvalidDataException("it does not match its checksum (CRC-32)");
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InputException($"model manifest is damaged: {e.Message}", path, inner: e);
        }
    }

    private static Manifest ParseManifest(byte[] json, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var version = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("schema_version", out var v)
                && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : -1;
            if (version > Manifest.CurrentSchemaVersion)
                throw new InputException($"model was written with manifest schema {version}, newer than this tool reads ({Manifest.CurrentSchemaVersion}); upgrade the tool", path);
            if (version < 1) throw new InputException("model manifest has no valid schema_version", path);
            if (version < Manifest.CurrentSchemaVersion)
                throw new InputException($"model was written with manifest schema {version} by an earlier version of the tool; this version reads schema {Manifest.CurrentSchemaVersion} (compact models): train it again with 'classifier train'", path);
            var manifest = ManifestJson.ReadManifest(doc.RootElement);
            if (manifest.Labels is null || manifest.TextColumns is null || manifest.Featurizer is null || manifest.Trainer is null || manifest.Data is null || manifest.Labels.Count < 2)
                throw new InputException("model manifest is incomplete (labels, columns or settings missing)", path);
            return manifest;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new InputException($"model manifest is damaged: {e.Message}", path, inner: e);
        }
    }
}
