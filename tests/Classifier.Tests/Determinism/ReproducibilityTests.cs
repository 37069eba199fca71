using System.Text.Json.Nodes;
using Classifier.Core.Training;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Determinism;

/// <summary>
/// Same data, same --seed, --threads 1: two `train` runs give the same metrics (all but train_seconds and the model
/// path) and byte-identical `score` output on a test file, whatever the trainer. The default trainer (svm) is
/// reproducible with any number of threads, and gives the same model with one thread as with all of them. The
/// trainers that are not (TrainerKinds.NondeterministicWithThreads) are named in `train --help` and the README.
/// Already covered: EndToEndTests.Train_SameSeedOneThread_IsReproducible (predict on two documents),
/// ScoreOrderTests.FourThreadsTinyBatches_KeepInputOrder_AndEqualOneThreadByteForByte (score threads).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ReproducibilityTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public ReproducibilityTests()
    {
        _tmp.CopyFixture("tiny-news.csv", "train.csv");
        // The test file: the JSON Lines fixture (other documents than the training ones), as a CSV with the model's columns.
        var lines = File.ReadAllLines(CliHarness.Fixture("tiny-news.jsonl")).Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        _tmp.Write("test.csv", "id,title,text\n" + string.Concat(lines.Select((o, i) =>
            Scoring.Csv.Line(',', $"t{i}", (string?)o["title"] ?? "", (string?)o["text"] ?? ""))));
    }

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string> Trainers => new(TrainerKinds.All.Select(k => k.Name()));

    /// <summary>Trains, then scores the test file; returns the metrics JSON without the timing and the path, and the scores.</summary>
    private async Task<(string Metrics, string Scores)> TrainAndScore(string name, params string[] options)
    {
        var model = _tmp[$"{name}.zip"];
        var train = await CliHarness.RunOkAsync(["train", "--data", _tmp["train.csv"], "--text", "title,text", "--model", model, "--json", "--quiet", .. options]);
        var metrics = JsonNode.Parse(train.Stdout)!.AsObject();
        Assert.True(metrics.Remove("train_seconds"));
        Assert.True(metrics.Remove("model"));
        var output = _tmp[$"{name}.csv"];
        await CliHarness.RunOkAsync("score", "-m", model, "-i", _tmp["test.csv"], "-o", output, "--top", "3", "--quiet");
        return (metrics.ToJsonString(), File.ReadAllText(output));
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public async Task SameSeedOneThread_TwoTrainRuns_GiveIdenticalMetricsAndScores(string trainer)
    {
        var a = await TrainAndScore($"{trainer}-a", "--trainer", trainer, "--seed", "11", "--threads", "1");
        var b = await TrainAndScore($"{trainer}-b", "--trainer", trainer, "--seed", "11", "--threads", "1");
        Assert.Equal(a.Metrics, b.Metrics);
        Assert.Equal(a.Scores, b.Scores);
        Assert.Contains("\"accuracy\":", a.Metrics);
        Assert.True(a.Scores.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 10, a.Scores);
    }

    [Fact]
    public async Task Svm_DefaultThreads_IsReproducible_AndEqualsOneThread()
    {
        Assert.False(TrainerKind.Svm.NondeterministicWithThreads());
        Assert.Equal(TrainerKind.Svm, new TrainerOptions().Trainer);
        var a = await TrainAndScore("svm-all-a");
        var b = await TrainAndScore("svm-all-b");
        var one = await TrainAndScore("svm-one", "--threads", "1");
        var two = await TrainAndScore("svm-two", "--threads", "2");
        Assert.Equal(a, b);
        Assert.Equal(a, one);
        Assert.Equal(a, two);
    }

    [Fact]
    public async Task DifferentSeeds_GiveDifferentSplits()
    {
        // The seed must matter, or the tests above would pass for the wrong reason.
        var a = await TrainAndScore("seed-1", "--seed", "1", "--threads", "1");
        var b = await TrainAndScore("seed-2", "--seed", "2", "--threads", "1");
        Assert.NotEqual(a.Scores, b.Scores);
    }

    [Fact]
    public async Task TrainHelp_AndReadme_NameTheTrainersThatNeedOneThread()
    {
        var nondeterministic = TrainerKinds.All.Where(TrainerKinds.NondeterministicWithThreads).Select(TrainerKinds.Name).ToList();
        Assert.NotEmpty(nondeterministic);
        var help = (await CliHarness.RunOkAsync("train", "--help")).Stdout;
        var lines = help.Split('\n').Select(l => l.Trim()).SkipWhile(l => !l.StartsWith("--threads", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        // The option's line and its wrapped continuation lines, up to the next option.
        var threads = string.Join(' ', lines.Take(1).Concat(lines.Skip(1).TakeWhile(l => l.Length > 0 && !l.StartsWith('-'))));
        Assert.Contains("--threads 1", threads);
        foreach (var name in nondeterministic) Assert.Contains(name, threads);

        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Classifier.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var readme = File.ReadAllText(Path.Combine(root!.FullName, "README.md"));
        var start = readme.IndexOf("## Reproducibility", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Reproducibility' section");
        var next = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        var section = next < 0 ? readme[start..] : readme[start..next];
        foreach (var name in nondeterministic) Assert.Contains($"`{name}`", section);
        Assert.Contains("--threads 1", section);
    }
}
