using System.Text;
using System.Text.Json;
using Classifier.Cli;
using Classifier.Core.Models;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Tuning;

/// <summary>`classifier tune` end to end on the embedded corpus: reproducible, always a model, honest about its budget.</summary>
// In the CLI collection: its runs of `tune` use every core, and beside the collection's timed and signalled runs of the
// real executable they slowed the test host enough to make those races closer.
[Collection(CliCollection.Name)]
public sealed class TuneCommandTests
{
    [Fact]
    public async Task WithTrialsAndSeed_TwoRunsTryTheSameSettings_AndPickTheSameBest()
    {
        using var tmp = new TempDirectory();
        var a = (await CliHarness.RunOkAsync("tune", "--trials", "4", "--seed", "3", "--json", "--quiet", "--model", Path.Combine(tmp.Path, "a.zip"))).Json();
        var b = (await CliHarness.RunOkAsync("tune", "--trials", "4", "--seed", "3", "--json", "--quiet", "--model", Path.Combine(tmp.Path, "b.zip"))).Json();
        Assert.Equal(a.GetProperty("best").GetRawText(), b.GetProperty("best").GetRawText());
        string Settings(JsonElement j) => string.Join("|", j.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("settings").GetRawText()));
        Assert.Equal(Settings(a), Settings(b));
        Assert.Equal(4, a.GetProperty("trials").GetArrayLength());
        Assert.Equal("trials", a.GetProperty("ended").GetString());
        // The first trial is the defaults.
        Assert.Equal(a.GetProperty("baseline").GetProperty("settings").GetRawText(), a.GetProperty("trials")[0].GetProperty("settings").GetRawText());
        var manifest = ModelFile.Load(Path.Combine(tmp.Path, "a.zip")).Manifest;
        Assert.NotNull(manifest.Tune);
        Assert.Equal(4, manifest.Tune!.Trials);
        Assert.Equal(a.GetProperty("best").GetProperty("cv_score").GetDouble(), manifest.Tune.CvScore, 6);
    }

    [Fact]
    public async Task ThePrintedTrainCommand_ReproducesTheCvScore()
    {
        using var tmp = new TempDirectory();
        // One repeat, so that the folds are the ones cross-validate --folds 3 makes with the same seed.
        var j = (await CliHarness.RunOkAsync("tune", "--trials", "3", "--repeats", "1", "--metric", "macro-f1", "--json", "--quiet", "--model", Path.Combine(tmp.Path, "m.zip"))).Json();
        var args = j.GetProperty("train_command").GetString()!.Split(' ').Skip(2).ToList();
        // The same settings through cross-validate, with the same folds.
        var model = args.IndexOf("--model");
        args.RemoveRange(model, 2);
        var fraction = args.IndexOf("--test-fraction");
        args.RemoveRange(fraction, 2);
        var cv = (await CliHarness.RunOkAsync(["cross-validate", .. args, "--folds", "3", "--json", "--quiet"])).Json();
        Assert.Equal(j.GetProperty("best").GetProperty("cv_score").GetDouble(), cv.GetProperty("macro_f1_mean").GetDouble(), 5);
    }

    [Fact]
    public async Task ASearchThatTriesItsWholeList_SaysSo_AndInHowMuchOfItsBudget()
    {
        using var tmp = new TempDirectory();
        var csv = Path.Combine(tmp.Path, "small.csv");
        var data = Training.FoldWavesTests.Noisy(150);
        File.WriteAllLines(csv, ["text,label", .. data.Texts.Zip(data.Labels, (t, l) => $"{t},{l}")]);
        var report = Path.Combine(tmp.Path, "report");
        var r = await CliHarness.RunOkAsync("tune", "--data", csv, "--time-budget", "10m", "--repeats", "1", "--model", Path.Combine(tmp.Path, "m.zip"), "--report", report);
        var first = r.Stdout.Split('\n')[0];
        // The budget left then goes to folds of new splits for the defaults and the trials that lead them.
        Assert.Matches(@"trials, every setting on the search's list, then [0-9]+ more folds? of new splits for the defaults and the leading trials? [0-9, ]+, in [0-9,]+ s of the 600 s budget\.$", first);
        // The same run's --json object (metrics.json) names them.
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        var j = json.RootElement;
        var confirmed = j.GetProperty("confirmed").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Contains($"trial{(confirmed.Count > 1 ? "s" : "")} {string.Join(", ", confirmed)}, in", first);
        var folds = 3 + j.GetProperty("confirmation_folds").GetInt32();
        Assert.Equal(folds, j.GetProperty("trials")[0].GetProperty("folds_run").GetInt32());
    }

    [Fact]
    public async Task ABudgetTooSmallForAnyTrial_StillWritesAModel()
    {
        using var tmp = new TempDirectory();
        var path = Path.Combine(tmp.Path, "m.zip");
        var r = await CliHarness.RunAsync("tune", "--time-budget", "0.001", "--json", "--model", path);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(path));
        var trials = r.Json().GetProperty("trials");
        Assert.Equal("stopped", trials[0].GetProperty("status").GetString());
        Assert.Equal("time budget", r.Json().GetProperty("ended").GetString());
        Assert.Contains("no trial finished", r.Stderr);
        Assert.Null(ModelFile.Load(path).Manifest.Tune!.CvScore is double.NaN ? null : "score");
    }

    [Theory]
    [InlineData("--time-budget", "0", "--time-budget must be above 0")]
    [InlineData("--time-budget", "soon", "--time-budget takes a duration")]
    [InlineData("--folds", "1", "--folds must be at least 2")]
    [InlineData("--metric", "micro-f1", "micro-f1 is for multi-label data")]
    [InlineData("--trials", "0", "--trials must be at least 1")]
    public async Task BadOptions_OneLine_Exit2(string option, string value, string message)
    {
        using var tmp = new TempDirectory();
        var args = option == "--trials" ? new[] { "tune", option, value } : new[] { "tune", "--trials", "2", option, value };
        var r = await CliHarness.RunAsync([.. args, "--model", Path.Combine(tmp.Path, "m.zip")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public async Task WithoutABudget_Exit2()
    {
        var r = await CliHarness.RunAsync("tune");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--time-budget DURATION or --trials N", r.Stderr);
    }

    [Fact]
    public async Task CtrlC_StopsTheSearch_SavesTheBestSoFar_Exit130_NoPartialFile()
    {
        using var tmp = new TempDirectory();
        var path = Path.Combine(tmp.Path, "m.zip");
        var output = new StringWriter { NewLine = "\n" };
        using var cancel = new CancellationTokenSource();
        // Ctrl-C as the third trial starts (its progress line), whatever the machine's speed.
        var error = new TriggerWriter("trial 3:", cancel.Cancel);
        var code = await CliApp.RunAsync(["tune", "--time-budget", "5m", "--model", path],
            new CliContext(output, error, () => new MemoryStream(Encoding.UTF8.GetBytes("")), false), cancel.Token);
        Assert.True(code == 130, $"exit {code}\n{output}\n{error}");
        Assert.Contains("interrupted: saved the best model found so far", error.ToString());
        Assert.True(File.Exists(path));
        Assert.Equal([path], Directory.GetFiles(tmp.Path));
        Assert.NotNull(ModelFile.Load(path).Manifest.Tune);
    }

    /// <summary>A StringWriter that calls <paramref name="action"/> once, when text containing <paramref name="trigger"/> is written.</summary>
    private sealed class TriggerWriter(string trigger, Action action) : StringWriter
    {
        private bool _fired;

        public override string NewLine => "\n";

        public override void Write(string? value)
        {
            base.Write(value);
            if (!_fired && value is not null && value.Contains(trigger, StringComparison.Ordinal))
            {
                _fired = true;
                action();
            }
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write(NewLine);
        }
    }
}
