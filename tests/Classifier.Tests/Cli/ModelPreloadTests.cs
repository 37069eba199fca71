using System.Text;
using Classifier.Cli;
using Classifier.Core;

namespace Classifier.Tests.Cli;

/// <summary>`predict`'s model loaded before the command line is parsed: taken only for the path parsed, failing as a load does.</summary>
[Collection(CliCollection.Name)]
public sealed class ModelPreloadTests : IClassFixture<TrainedModelFixture>
{
    private readonly TrainedModelFixture _trained;

    public ModelPreloadTests(TrainedModelFixture trained) => _trained = trained;

    [Theory]
    [InlineData("predict --model M text", "M")]
    [InlineData("predict text -m M", "M")]
    [InlineData("predict --top 2 --model=M text", "M")]
    [InlineData("predict --model:M text", "M")]
    [InlineData("predict -m=M text", "M")]
    [InlineData("predict -m:M text", "M")]
    public void AModelNamedPlainly_StartsLoading(string args, string path) =>
        Assert.Equal(path, ModelPreload.Start(args.Split(' '))?.Path);

    [Theory]
    [InlineData("score --model M")]
    [InlineData("predict text")]
    [InlineData("predict --model")]
    [InlineData("predict -- --model M")]
    [InlineData("--verbose predict --model M")]
    public void OtherArguments_StartNothing(string args) => Assert.Null(ModelPreload.Start(args.Split(' ')));

    [Fact]
    public void TheSamePath_TakesThePreloadedModelOnce_AndAnotherPathLoadsItsOwn()
    {
        Assert.Equal(0, _trained.Train.ExitCode);
        var preload = ModelPreload.Start(["predict", "--model", _trained.Model, "x"])!;
        Assert.False(preload.Taken);
        var first = ModelPreload.Load(preload, _trained.Model);
        Assert.True(preload.Taken);
        var second = ModelPreload.Load(preload, _trained.Model);
        Assert.NotSame(first, second);
        Assert.Equal(first.Labels, second.Labels);
        // Named differently (a relative path to the same file): not the preloaded one, but a load of its own.
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _trained.Model);
        var other = ModelPreload.Start(["predict", "--model", _trained.Model, "x"])!;
        Assert.Equal(first.Labels, ModelPreload.Load(other, relative).Labels);
        Assert.False(other.Taken);
    }

    [Fact]
    public void AFailedPreload_FailsAsTheLoadWould()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.zip");
        var direct = Assert.Throws<InputException>(() => ModelPreload.Load(null, missing));
        var preload = ModelPreload.Start(["predict", "-m", missing, "x"]);
        var preloaded = Assert.Throws<InputException>(() => ModelPreload.Load(preload, missing));
        Assert.True(preload!.Taken);
        Assert.Equal(direct.Describe(), preloaded.Describe());
    }

    [Fact]
    public async Task AnEmptyJoinedValue_LeavesThePreloadUntaken_AndLoadsTheModelTheParserChose()
    {
        Assert.Equal(0, _trained.Train.ExitCode);
        // `--model= PATH`: the parser takes PATH as the model; the preload of "" fails unseen and is not taken.
        string[] args = ["predict", "--model=", _trained.Model, "The striker scored a goal at the stadium."];
        var plain = await CliHarness.RunOkAsync(["predict", "--model", _trained.Model, "The striker scored a goal at the stadium."]);
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, () => new MemoryStream(Encoding.UTF8.GetBytes(""))) { Preload = ModelPreload.Start(args) };
        Assert.Equal("", context.Preload!.Path);
        Assert.Equal(0, await CliApp.RunAsync(args, context));
        Assert.False(context.Preload.Taken);
        Assert.Equal(plain.Stdout, output.ToString());
    }

    [Theory]
    [InlineData("--model", true)]
    [InlineData("--model=", false)]
    [InlineData("--model:", false)]
    [InlineData("-m=", false)]
    [InlineData("-m:", false)]
    [InlineData("-m", true)]
    public async Task Predict_WithAPreload_TakesIt_AndPrintsWhatItPrintsWithout(string option, bool separate)
    {
        Assert.Equal(0, _trained.Train.ExitCode);
        string[] args = separate
            ? ["predict", option, _trained.Model, "The striker scored a goal at the stadium."]
            : ["predict", option + _trained.Model, "The striker scored a goal at the stadium."];
        var plain = await CliHarness.RunOkAsync(args);
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, () => new MemoryStream(Encoding.UTF8.GetBytes(""))) { Preload = ModelPreload.Start(args) };
        Assert.Equal(0, await CliApp.RunAsync(args, context));
        Assert.True(context.Preload!.Taken);
        Assert.Equal(plain.Stdout, output.ToString());
        Assert.Equal(plain.Stderr, error.ToString());
    }
}
