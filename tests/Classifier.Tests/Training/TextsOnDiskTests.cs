using System.IO.Compression;
using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Tests.Training;

/// <summary>
/// `train --max-memory` on a file larger than memory leaves the texts on disk: the first read keeps the labels, the
/// second hands each text to the counting pass as it comes. The model, its evaluation and the rows skipped must be
/// those of the texts loaded into memory.
/// </summary>
public sealed class TextsOnDiskTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("classifier-texts-on-disk-").FullName;
    private readonly string _csv;

    public TextsOnDiskTests()
    {
        _csv = Path.Combine(_folder, "data.csv");
        var lines = new List<string> { "text,label" };
        for (int i = 0; i < 3000; i++)
        {
            var c = i * 3 / 3000; // sorted by label, as many files are
            lines.Add($"\"Report {i % 89} on {(c == 0 ? "goals and matches" : c == 1 ? "shares and banks" : "doctors and clinics")} from region{i % 41} " +
                      $"with tag{i % 577} {(i % 5 == 0 ? $"rare{i}" : "")}\",c{c}");
            // Rows the loader leaves out, which the second read must skip without their being counted twice.
            if (i == 10) lines.Add("\"a row with one field too many\",c0,extra");
            if (i == 1500) lines.Add("\"\",c1");
            if (i == 2999) lines.Add("\"no label here\",");
        }
        File.WriteAllLines(_csv, lines);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private LabeledDataset Load(bool onDisk, BadRowLedger? ledger = null)
    {
        using var reader = RecordReaders.Open(_csv, DataFormat.Auto);
        return DatasetLoader.Load(reader, ["text"], "label", ledger ?? new BadRowLedger(), reopen: onDisk ? () => RecordReaders.Open(_csv, DataFormat.Auto) : null);
    }

    [Fact]
    public void TheFirstRead_KeepsLabelsAndLinesAndSkipsTheSameRows_AndTheSecondGivesTheTextsBackInOrder()
    {
        var inMemory = Load(onDisk: false);
        var ledger = new BadRowLedger();
        var onDisk = Load(onDisk: true, ledger);
        Assert.Equal(3000, onDisk.Count);
        Assert.Equal(3, ledger.Total);
        Assert.Equal(inMemory.Labels, onDisk.Labels);
        Assert.Equal(inMemory.Lines, onDisk.Lines);
        Assert.All(onDisk.Texts, t => Assert.Equal("", t));
        Assert.Equal(inMemory.Texts.Sum(t => (long)t.Length), onDisk.OnDisk!.Chars());
        Assert.Equal(inMemory.Texts[7].Length + inMemory.Texts[2000].Length, onDisk.Subset([7, 2000]).OnDisk!.Chars());
        var again = onDisk.OnDisk.Read().ToList();
        Assert.Equal(Enumerable.Range(0, 3000), again.Select(r => r.Row));
        Assert.Equal(inMemory.Texts, again.Select(r => r.Text));
        // The second read reports nothing: its bad rows were counted by the first.
        Assert.Equal(3, ledger.Total);
        // Each label is one string, not one a row.
        Assert.Same(onDisk.Labels[0], onDisk.Labels[1]);

        onDisk.LoadTexts();
        Assert.Null(onDisk.OnDisk);
        Assert.Equal(inMemory.Texts, onDisk.Texts);
    }

    [Fact]
    public void AFileChangedBetweenTheTwoReads_IsRefusedInOneLine()
    {
        var onDisk = Load(onDisk: true);
        var lines = File.ReadAllLines(_csv).ToList();
        lines[100] = lines[100].Replace("Report", "A longer report");
        File.WriteAllLines(_csv, lines);
        var e = Assert.Throws<InputException>(() => onDisk.OnDisk!.Read().ToList());
        Assert.Contains("the file changed while it was read", e.Message);
        Assert.Equal(_csv, e.File);
        Assert.Equal(101, e.Line); // lines[100] is the file's line 101: the row that changed

        File.WriteAllLines(_csv, lines.Take(2000));
        e = Assert.Throws<InputException>(() => onDisk.OnDisk!.Read().ToList());
        Assert.Contains("the file changed while it was read", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Training_FromTextsOnDisk_MakesTheModelAndEvaluationOfTextsInMemory(bool multiLabel)
    {
        TrainingResult Train(LabeledDataset data) => TrainingWorkflow.Run(new TrainingRequest
        {
            Data = data, Evaluation = EvaluationPlan.Holdout(0.2), ReleaseTexts = true, Memory = new MemoryLimit(),
            Trainer = new TrainerOptions { Threads = 2 }, MultiLabel = multiLabel ? new MultiLabelOptions() : null,
        });
        var memory = Train(Load(onDisk: false));
        var disk = Train(Load(onDisk: true));
        Assert.Equal(ModelBin(memory.Model!), ModelBin(disk.Model!));
        Assert.Equal(memory.Test!.Texts, disk.Test!.Texts);
        Assert.Equal(memory.Evaluation!.Headline, disk.Evaluation!.Headline);
        Assert.True(disk.Evaluation.Headline > 0.9, $"headline {disk.Evaluation.Headline}");
    }

    [Fact]
    public void CrossValidation_OfADatasetWithTextsOnDisk_ReadsThemFirst()
    {
        var request = new TrainingRequest { Data = Load(onDisk: false), Evaluation = EvaluationPlan.Folds(3), Trainer = new TrainerOptions { Threads = 1 } };
        var memory = TrainingWorkflow.Run(request);
        var disk = TrainingWorkflow.Run(request with { Data = Load(onDisk: true) });
        Assert.Equal(memory.Folds!.Folds.Select(f => f.Accuracy), disk.Folds!.Folds.Select(f => f.Accuracy));
    }

    [Fact]
    public void TheLibrarysOtherEntryPoints_ReadTextsLeftOnDisk_BeforeUsingThem()
    {
        var memory = Load(onDisk: false);
        var model = ModelTrainer.Fit(Load(onDisk: true), new FeaturizerOptions(), new TrainerOptions { Threads = 1 },
            new DataDescription("toy", "", 3000, 0, 3000, 0));
        Assert.Equal(ModelBin(ModelTrainer.Fit(memory, new FeaturizerOptions(), new TrainerOptions { Threads = 1 },
            new DataDescription("toy", "", 3000, 0, 3000, 0))), ModelBin(model));
        var part = Load(onDisk: true).Subset([5, 17, 2999]);
        Assert.Equal(3, part.OnDisk!.Count);
        Assert.Equal(ModelTrainer.Evaluate(model, memory.Subset([5, 17, 2999])).Metrics.LogLoss, ModelTrainer.Evaluate(model, part).Metrics.LogLoss);
        Assert.Equal(new[] { memory.Texts[5], memory.Texts[17], memory.Texts[2999] }, part.Texts);
        // Read back in file order, a subset of texts on disk must keep it.
        Assert.Throws<ArgumentException>(() => Load(onDisk: true).Subset([17, 5]));
    }

    [Fact]
    public void AReadThatFails_FailsTheCountingPassWithItsOwnError_OnEveryThread()
    {
        var onDisk = Load(onDisk: true);
        var lines = File.ReadAllLines(_csv).ToList();
        File.WriteAllLines(_csv, lines.Take(1000));
        using var streamed = new StreamedTexts(onDisk.OnDisk!, CancellationToken.None);
        var e = Assert.ThrowsAny<Exception>(() => CountingPass.Run(streamed, new FeaturizerOptions(), 2, CancellationToken.None, release: streamed.Release, pack: false));
        var errors = e is AggregateException a ? a.Flatten().InnerExceptions : [e];
        Assert.All(errors, x => Assert.Contains("the file changed while it was read", Assert.IsType<InputException>(x).Message));
    }

    [Fact]
    public void WordSequencesSpilledToDisk_NameTheFeaturesAsInMemory()
    {
        var texts = Load(onDisk: false).Texts;
        var options = new FeaturizerOptions();
        FeatureNames Names(SpillFile? spill)
        {
            var corpus = CountingPass.Run(texts, options, 2, CancellationToken.None, pack: true, spill: spill);
            var (featurizer, _) = corpus.Vocabulary(null, options, 2, CancellationToken.None);
            return corpus.Names.Name(featurizer);
        }
        var memory = Names(null);
        using var file = SpillFile.Create(_folder, 0);
        var spilled = Names(file);
        Assert.Equal(memory, spilled);
        Assert.Contains(memory, n => n is not null && n.Contains(' ')); // word bigrams were named from the sequences
    }

    private string ModelBin(ClassifierModel model)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.zip");
        ModelFile.Save(model, path);
        using var zip = ZipFile.OpenRead(path);
        using var s = zip.GetEntry("model.bin")!.Open();
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(copy.ToArray()));
    }
}
