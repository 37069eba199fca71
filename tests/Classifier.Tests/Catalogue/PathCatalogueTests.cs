using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, paths: a path that does not exist, a folder where a file is expected and the other way round, and
/// files that cannot be read or written. Already covered elsewhere: EndToEndTests.MissingDataFile_Exit2_NamesThePath
/// (train), EndToEndTests.ModelPathIsAFolder_Exit2_AndNothingWritten, EndToEndTests.Info_OnAMissingFile_Exit2,
/// ScoreFailureTests.Command_UnwritableOutputFolder_IsBadInput_AndNothingIsWritten, ReaderTests.MissingPathAndFolderVersusFileErrors.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PathCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public PathCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    private string Input() => _tmp.Write("in.csv", "id,title,text\n1,Goal,The striker scored a goal in the football match\n");

    // ------------------------------------------------------------ does not exist

    [Fact]
    public async Task Score_InputDoesNotExist_Exit2_NoOutput()
    {
        var missing = _tmp["missing.csv"];
        var output = _tmp["out.csv"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", missing, "-o", output);
        Outcome.BadInput(r, missing, "no such file or folder");
        Outcome.FolderHolds(_tmp.Path);
    }

    [Fact]
    public async Task Score_ModelDoesNotExist_Exit2_NoOutput()
    {
        var missing = _tmp["missing.zip"];
        var input = Input();
        var r = await CliHarness.RunAsync("score", "-m", missing, "-i", input, "-o", _tmp["out.csv"]);
        Assert.Equal($"error: {missing}: no such model file", Outcome.BadInput(r, missing));
        Outcome.FolderHolds(_tmp.Path, "in.csv");
    }

    [Fact]
    public async Task Evaluate_DataDoesNotExist_Exit2()
    {
        var missing = _tmp["missing.csv"];
        var r = await CliHarness.RunAsync("evaluate", "-m", _model.TrainedModel, "--data", missing);
        Assert.Equal($"error: {missing}: no such file or folder", Outcome.BadInput(r, missing));
        Outcome.FolderHolds(_tmp.Path);
    }

    // ------------------------------------------------- a folder where a file is expected

    [Fact]
    public async Task Train_DataIsAFolderWithoutLabelFolders_Exit2_NoModel()
    {
        var folder = Directory.CreateDirectory(_tmp["data"]).FullName;
        _tmp.Write("data/a.txt", "a document that is not in a label folder");
        var r = await CliHarness.RunAsync("train", "--data", folder, "--model", _tmp["m.zip"]);
        Outcome.BadInput(r, folder, "folder has no label sub-folders (expected one sub-folder of .txt files per label)");
        Outcome.FolderHolds(_tmp.Path, "data");
    }

    [Fact]
    public async Task Train_DataIsAFolder_WithFormatCsv_Exit2_NoModel()
    {
        var folder = Directory.CreateDirectory(_tmp["data.csv"]).FullName;
        var r = await CliHarness.RunAsync("train", "--data", folder, "--format", "csv", "--model", _tmp["m.zip"]);
        Outcome.BadInput(r, folder, "is a folder, but --format csv reads a file; use --format dir for a folder");
        Outcome.FolderHolds(_tmp.Path, "data.csv");
    }

    [Fact]
    public async Task Score_InputIsAFolder_WithFormatCsv_Exit2_NoOutput()
    {
        var folder = Directory.CreateDirectory(_tmp["in.csv"]).FullName;
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", folder, "--format", "csv", "-o", _tmp["out.csv"]);
        Outcome.BadInput(r, folder, "is a folder, but --format csv reads a file; use --format dir for a folder");
        Outcome.FolderHolds(_tmp.Path, "in.csv");
    }

    [Fact]
    public async Task Score_ModelIsAFolder_Exit2_NoOutput()
    {
        var folder = Directory.CreateDirectory(_tmp["model.zip"]).FullName;
        var input = Input();
        var r = await CliHarness.RunAsync("score", "-m", folder, "-i", input, "-o", _tmp["out.csv"]);
        Assert.Equal($"error: {folder}: expected a model file but found a folder", Outcome.BadInput(r, folder));
        Outcome.FolderHolds(_tmp.Path, "in.csv", "model.zip");
    }

    [Fact]
    public async Task Score_OutputIsAFolder_Exit2_TheFolderIsLeftAlone()
    {
        var folder = Directory.CreateDirectory(_tmp["out.csv"]).FullName;
        var input = Input();
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", folder);
        Assert.Equal($"error: {folder}: the output path is a folder; give a file name such as scores.csv", Outcome.BadInput(r, folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Outcome.FolderHolds(_tmp.Path, "in.csv", "out.csv");
    }

    [Fact]
    public async Task Predict_FileIsAFolder_Exit2()
    {
        var folder = Directory.CreateDirectory(_tmp["doc.txt"]).FullName;
        var r = await CliHarness.RunAsync("predict", "-m", _model.TrainedModel, "--file", folder);
        Assert.Equal($"error: {folder}: expected a file but found a folder", Outcome.BadInput(r, folder));
    }

    // ------------------------------------------------- a file where a folder is expected

    [Fact]
    public async Task Train_DataIsAFile_WithFormatDir_Exit2_NoModel()
    {
        var file = _tmp.Write("data.csv", Inputs.Csv());
        var r = await CliHarness.RunAsync("train", "--data", file, "--format", "dir", "--model", _tmp["m.zip"]);
        Outcome.BadInput(r, file, "expected a folder for --format dir, but this is a file");
        Outcome.FolderHolds(_tmp.Path, "data.csv");
    }

    [Fact]
    public async Task Train_ModelFolderIsAFile_Exit2_TheFileIsLeftAlone()
    {
        var data = _tmp.Write("data.csv", Inputs.Csv());
        var blocker = _tmp.Write("models", "a file named like the model folder\n");
        var r = await CliHarness.RunAsync("train", "--data", data, "--model", Path.Combine(blocker, "m.zip"));
        Assert.Equal($"error: {blocker}: a file stands where the model folder should be", Outcome.BadInput(r, blocker));
        Assert.Equal("a file named like the model folder\n", File.ReadAllText(blocker));
        Outcome.FolderHolds(_tmp.Path, "data.csv", "models");
    }

    [Fact]
    public async Task Score_OutputFolderIsAFile_Exit2_TheFileIsLeftAlone()
    {
        var input = Input();
        var blocker = _tmp.Write("out", "a file named like the output folder\n");
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "-o", Path.Combine(blocker, "scores.csv"));
        Assert.Equal($"error: {blocker}: a file stands where the output folder should be", Outcome.BadInput(r, blocker));
        Assert.Equal("a file named like the output folder\n", File.ReadAllText(blocker));
        Outcome.FolderHolds(_tmp.Path, "in.csv", "out");
    }

    // ------------------------------------------------- permissions (under root: run as 'nobody', see Permissions)

    /// <summary>The trained model, copied into the test folder so that an unprivileged run can read it.</summary>
    private string Model()
    {
        var model = _tmp["model.zip"];
        File.Copy(_model.TrainedModel, model);
        return model;
    }

    [SkippableFact]
    public async Task Train_DataNotReadable_Exit2_NoModel()
    {
        Skip.IfNot(Permissions.AreEnforced, Permissions.SkipReason);
        var data = _tmp.Write("data.csv", Inputs.Csv());
        using (Permissions.Restrict(data, UnixFileMode.None))
        {
            var r = await Permissions.RunAsync(_tmp.Path, "train", "--data", data, "--model", _tmp["m.zip"]);
            Assert.Equal($"error: {data}: permission denied", Outcome.BadInput(r, data));
        }
        Outcome.FolderHolds(_tmp.Path, "data.csv");
    }

    [SkippableFact]
    public async Task Score_InputNotReadable_Exit2_NoOutput()
    {
        Skip.IfNot(Permissions.AreEnforced, Permissions.SkipReason);
        var input = Input();
        using (Permissions.Restrict(input, UnixFileMode.None))
        {
            var r = await Permissions.RunAsync(_tmp.Path, "score", "-m", Model(), "-i", input, "-o", _tmp["out.csv"]);
            Assert.Equal($"error: {input}: permission denied", Outcome.BadInput(r, input));
        }
        Outcome.FolderHolds(_tmp.Path, "in.csv", "model.zip");
    }

    [SkippableFact]
    public async Task Score_ModelNotReadable_Exit2_NoOutput()
    {
        Skip.IfNot(Permissions.AreEnforced, Permissions.SkipReason);
        var model = Model();
        var input = Input();
        using (Permissions.Restrict(model, UnixFileMode.None))
        {
            var r = await Permissions.RunAsync(_tmp.Path, "score", "-m", model, "-i", input, "-o", _tmp["out.csv"]);
            Assert.Equal($"error: {model}: permission denied", Outcome.BadInput(r, model));
        }
        Outcome.FolderHolds(_tmp.Path, "in.csv", "model.zip");
    }

    [SkippableFact]
    public async Task Train_ModelFolderNotWritable_Exit2_BeforeTraining_NoModelNoTemp()
    {
        Skip.IfNot(Permissions.AreEnforced, Permissions.SkipReason);
        var data = _tmp.Write("data.csv", Inputs.Csv());
        var folder = Directory.CreateDirectory(_tmp["models"]).FullName;
        var model = Path.Combine(folder, "m.zip");
        CliResult r;
        using (Permissions.Restrict(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute))
            r = await Permissions.RunAsync(_tmp.Path, "train", "--data", data, "--model", model);
        Outcome.BadInput(r, model, "cannot write the model here: ");
        Assert.DoesNotContain("training", r.Stderr); // it fails before the expensive part
        Outcome.FolderHolds(folder);
    }

    [SkippableFact]
    public async Task Score_OutputFolderNotWritable_Exit2_NoOutputNoTemp()
    {
        Skip.IfNot(Permissions.AreEnforced, Permissions.SkipReason);
        var input = Input();
        var folder = Directory.CreateDirectory(_tmp["out"]).FullName;
        var output = Path.Combine(folder, "scores.csv");
        CliResult r;
        using (Permissions.Restrict(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute))
            r = await Permissions.RunAsync(_tmp.Path, "score", "-m", Model(), "-i", input, "-o", output);
        Outcome.BadInput(r, output, "cannot write the output here: ");
        Outcome.FolderHolds(folder);
    }
}
