using System.IO.Compression;
using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Models;
using Classifier.Core.Training;
using CsCheck;
using Xunit.Abstractions;

namespace Classifier.Tests.Fuzzing;

/// <summary>
/// Property: whatever the bytes of a model file, loading it and predicting with it either succeed or throw
/// <see cref="InputException"/> (exit code 2). Inputs: random bytes, mutations of a real model file, and real model
/// files whose model.bin or manifest.json alone is mutated (so that the zip layer lets the damage through to our
/// own readers). Runs as long as <see cref="ReaderFuzzTests"/> does (CLASSIFIER_FUZZ_ITER, CLASSIFIER_FUZZ_SECONDS).
/// </summary>
public sealed class ModelFuzzTests(ITestOutputHelper output)
{
    private static readonly Lazy<byte[]> Model = new(() =>
    {
        var data = new LabeledDataset
        {
            Source = "toy",
            TextColumns = ["text"],
            LabelColumn = "label",
            Texts = ["goal match striker league", "coach match season goal", "shares bank profit market", "market shares inflation bank",
                     "vaccine hospital doctors", "patients hospital clinic"],
            Labels = ["sport", "sport", "business", "business", "health", "health"],
            Lines = [1, 2, 3, 4, 5, 6],
        };
        var model = ModelTrainer.Fit(data, new FeaturizerOptions { CharNgramMin = 3, CharNgramMax = 4 }, new TrainerOptions { Threads = 1 },
            new DataDescription("toy", "", 6, 0, 6, 0));
        using var m = new MemoryStream();
        ModelFile.Write(model, m);
        return m.ToArray();
    });

    private static byte[] Entry(byte[] zipBytes, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        using var s = zip.GetEntry(name)!.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    /// <summary>The model file with one entry's bytes replaced (compressed again, so its checksum is right).</summary>
    private static byte[] WithEntry(string name, byte[] bytes)
    {
        using var m = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(Model.Value), ZipArchiveMode.Read))
        using (var target = new ZipArchive(m, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var e in source.Entries)
            {
                using var w = target.CreateEntry(e.FullName, CompressionLevel.Fastest).Open();
                if (e.FullName == name) w.Write(bytes);
                else using (var r = e.Open()) r.CopyTo(w);
            }
        return m.ToArray();
    }

    private static readonly Gen<(int Kind, double At, byte Value, int Length)[]> Edits =
        Gen.Select(Gen.Int[0, 8], Gen.Double[0, 1], Gen.Byte, Gen.Int[1, 40]).Array[1, 8];

    private static readonly Gen<byte[]> AnyModel = Gen.Frequency(
        (1, Gen.Byte.Array[0, 400]),
        (2, Edits.Select(e => ReaderFuzzTests.Mutate(Model.Value, e))),
        (6, Edits.Select(e => WithEntry("model.bin", ReaderFuzzTests.Mutate(Entry(Model.Value, "model.bin"), e)))),
        (2, Edits.Select(e => WithEntry("manifest.json", ReaderFuzzTests.Mutate(Entry(Model.Value, "manifest.json"), e)))));

    [Fact]
    public void ModelLoader_OnAnyBytes_SucceedsOrThrowsInputException()
    {
        var loaded = 0;
        ReaderFuzzTests.Sample(AnyModel, bytes =>
        {
            try
            {
                var model = ModelFile.Load(new MemoryStream(bytes, writable: false), "fuzz.zip");
                var p = model.Predict("the striker scored a goal in the league match at the hospital");
                Assert.Equal(model.Labels.Count, p.All.Count);
                Interlocked.Increment(ref loaded);
            }
            catch (InputException e)
            {
                _ = e.Describe();
            }
        }, output);
        output.WriteLine($"{loaded} inputs loaded and predicted");
    }

    [Fact]
    public void ModelLoader_OnTheUnmutatedModel_Loads() =>
        Assert.Equal(["business", "health", "sport"], ModelFile.Load(new MemoryStream(Model.Value), "toy.zip").Labels);
}
