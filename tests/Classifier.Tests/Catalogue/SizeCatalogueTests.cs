using System.Diagnostics;
using System.Text;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>A words-only model (no character n-grams): featurizing a huge document then costs seconds, not minutes.</summary>
public sealed class WordsOnlyModelFixture : IAsyncLifetime
{
    public TempDirectory Dir { get; } = new();
    public string Model => Dir["words.zip"];
    public CliResult Train { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var data = Dir.CopyFixture("tiny-news.csv");
        Train = await CliHarness.RunAsync(["train", "--data", data, "--text", "text", "--char-ngrams", "0", "--model", Model, "--quiet"], stdin: null);
    }

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }

    public string TrainedModel
    {
        get
        {
            Assert.True(Train.ExitCode == 0, $"training the words-only model failed:\n{Train}");
            return Model;
        }
    }
}

/// <summary>
/// Catalogue, size: one document of 50 MB and a line of 10 MB with no newline at the end. Both are handled: scored or
/// trained on, in bounded time. Memory grows with the size of the largest document (all its n-gram hashes are held at
/// once), which docs/catalogue.md records; with the default featurizer (character n-grams) a 50 MB document takes
/// about 25 s and 4 GB to score, so that variant only runs with CLASSIFIER_CATALOGUE_LARGE=1. Already covered:
/// ReaderTests.Csv_RunawayQuoteLongerThanLimitFailsWithLine (a row over the CSV size limit).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class SizeCatalogueTests : IClassFixture<WordsOnlyModelFixture>, IClassFixture<ScoreModelFixture>, IDisposable
{
    private const int Mb = 1_000_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private readonly WordsOnlyModelFixture _words;
    private readonly ScoreModelFixture _full;
    private readonly TempDirectory _tmp = new();

    public SizeCatalogueTests(WordsOnlyModelFixture words, ScoreModelFixture full)
    {
        _words = words;
        _full = full;
    }

    public void Dispose() => _tmp.Dispose();

    /// <summary>Sports words up to <paramref name="chars"/> characters, no newline, no comma, no quote.</summary>
    private static string Document(int chars)
    {
        string[] words = ["the", "striker", "scored", "a", "goal", "in", "football", "match", "team", "won", "stadium", "league"];
        var sb = new StringBuilder(chars + 16);
        for (int i = 0; sb.Length < chars; i = (i * 7 + 3) % words.Length) sb.Append(words[i]).Append(' ');
        sb.Length = chars;
        return sb.ToString();
    }

    private async Task<(CliResult Result, TimeSpan Elapsed)> Timed(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var r = await CliHarness.RunAsync(args).WaitAsync(Bound);
        return (r, clock.Elapsed);
    }

    private async Task Score50MbDocument(string model, string textColumns)
    {
        var header = textColumns == "text" ? "id,text\n" : "id,title,text\n";
        var prefix = textColumns == "text" ? "" : "Huge,";
        var input = _tmp.Write("huge.csv", $"{header}big,{prefix}{Document(50 * Mb)}\nsmall,{prefix}The striker scored a goal in the match\n");
        Assert.True(new FileInfo(input).Length > 50 * Mb);
        var output = _tmp["out.csv"];
        var (r, elapsed) = await Timed("score", "-m", model, "-i", input, "-o", output, "--keep", "none");
        Outcome.Ok(r);
        Assert.Equal((2L, 0L), ScoreAssert.Summary(r));
        var rows = Csv.Records(File.ReadAllText(output));
        Assert.Equal(["big", "small"], rows.Select(x => x["id"]));
        Assert.Equal("sport", rows[1]["label"]);
        Assert.True(elapsed < Bound, $"took {elapsed}");
        Outcome.FolderHolds(_tmp.Path, "huge.csv", "out.csv");
    }

    [Fact]
    public Task Score_A50MbDocument_IsScored() => Score50MbDocument(_words.TrainedModel, "text");

    [SkippableFact]
    public Task Score_A50MbDocument_WithTheDefaultFeaturizer_IsScored()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("CLASSIFIER_CATALOGUE_LARGE") == "1", "set CLASSIFIER_CATALOGUE_LARGE=1 (needs about 25 s and 5 GB)");
        return Score50MbDocument(_full.TrainedModel, "title,text");
    }

    [Fact]
    public async Task Score_A10MbLineWithoutNewline_IsScored()
    {
        var input = _tmp.Write("line.txt", "The bank raised interest rates\n" + Document(10 * Mb));
        var (r, _) = await Timed("score", "-m", _words.TrainedModel, "-i", input, "-o", "-");
        Outcome.Ok(r);
        Assert.Equal((2L, 0L), ScoreAssert.Summary(r));
        var lines = ScoreAssert.JsonLines(r.Stdout);
        Assert.Equal(["1", "2"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.Equal("sport", lines[1].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Train_A10MbLastLineWithoutNewline_IsTrainedOn()
    {
        var data = _tmp.Write("train.csv", Inputs.Csv() + $"{Document(10 * Mb)},sport");
        var model = _tmp["m.zip"];
        var (r, _) = await Timed("train", "--data", data, "--char-ngrams", "0", "--model", model, "--quiet");
        Outcome.Ok(r);
        Assert.Equal("", r.Stderr);
        var info = (await CliHarness.RunOkAsync("info", "-m", model, "--json")).Json();
        var d = info.GetProperty("data");
        Assert.Equal((19, 0), (d.GetProperty("rows").GetInt32(), d.GetProperty("skipped_rows").GetInt32()));
        Assert.Equal(19, d.GetProperty("train_rows").GetInt32() + d.GetProperty("test_rows").GetInt32());
        Outcome.FolderHolds(_tmp.Path, "train.csv", "m.zip");
    }
}
