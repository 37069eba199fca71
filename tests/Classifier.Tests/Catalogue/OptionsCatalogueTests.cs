using System.CommandLine;
using Classifier.Cli;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, options: values that parse but make no sense (NaN, infinity), settings that leave nothing to learn
/// from or more folds than documents, and thread counts far beyond the machine. Each is refused with exit 2 and one
/// line naming the option, before the expensive work, or (threads) capped.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class OptionsCatalogueTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>
    /// A usage error found while parsing: exit 2, one "error:" line holding <paramref name="expected"/>, then
    /// System.CommandLine's pointer to the verb's --help; no stack trace, nothing on stdout. Returns the error line.
    /// </summary>
    private static string UsageError(CliResult r, string verb, string expected)
    {
        Assert.True(r.ExitCode == 2, $"expected exit 2\n{r}");
        var lines = Outcome.StderrLines(r);
        var error = Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Equal($"error: {expected}", error);
        Assert.Equal($"Run 'classifier {verb} --help' for usage.", lines[^1]);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
        Assert.Equal("", r.Stdout);
        return error;
    }

    /// <summary>Every double and float option of every verb, found in the command tree itself, so that a new one is covered too.</summary>
    private static IEnumerable<(string Verb, string Option)> NumericOptions()
    {
        var root = CliApp.Build(new CliContext(TextWriter.Null, TextWriter.Null));
        foreach (var command in root.Subcommands)
            foreach (var option in command.Options)
                if ((Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType) is var t && (t == typeof(double) || t == typeof(float)))
                    yield return (command.Name, option.Name);
    }

    public static TheoryData<string, string, string> NonFiniteValues()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (verb, option) in NumericOptions())
            foreach (var value in new[] { "NaN", "Infinity", "-Infinity", "1e400" })
                data.Add(verb, option, value);
        return data;
    }

    [Fact]
    public void TheNumericOptions_IncludeThoseOfTheIssue_SoTheTheoryIsNotEmpty()
    {
        var found = NumericOptions().ToList();
        foreach (var expected in new[]
                 {
                     ("train", "--c"), ("train", "--test-fraction"), ("train", "--l2"), ("train", "--char-weight"), ("train", "--place-weight"),
                     ("train", "--min-validation-f1"), ("cross-validate", "--c"), ("cross-validate", "--l2"), ("tune", "--c"), ("tune", "--char-weight"),
                 })
            Assert.Contains(expected, found);
    }

    [Theory]
    [MemberData(nameof(NonFiniteValues))]
    public async Task EveryNumericOption_NaNOrInfinite_Exit2_NamesTheOption_WritesNothing(string verb, string option, string value)
    {
        var root = CliApp.Build(new CliContext(TextWriter.Null, TextWriter.Null));
        var command = root.Subcommands.Single(c => c.Name == verb);
        string[] args = [verb, option, value];
        // Where the verb writes a model, point it into the test folder: nothing may appear there.
        if (command.Options.Any(o => o.Name == "--model")) args = [.. args, "--model", _tmp["models/m.zip"]];
        // Other required options get a value (a path that does not exist), so that the number's error is the only one.
        foreach (var required in command.Options.Where(o => o.Required && o.Name != "--model" && o.Name != option))
            args = [.. args, required.Name, _tmp["missing/" + required.Name.TrimStart('-')]];
        var r = await CliHarness.RunAsync(args);
        UsageError(r, verb, $"{option} takes a finite number, not '{value}'");
        Outcome.FolderHolds(_tmp.Path);
    }

    [Theory]
    [InlineData("train", "--c", "NaN")]
    [InlineData("train", "--test-fraction", "NaN")]
    [InlineData("tune", "--c", "Infinity")]
    [InlineData("cross-validate", "--l2", "1e39")] // finite as a double, infinite as the float --l2 is
    public async Task TheCasesOfTheIssue_Exit2_BeforeReadingAnything(string verb, string option, string value)
    {
        var r = await CliHarness.RunAsync(verb, option, value, "--data", _tmp["missing.csv"]);
        // The data file does not exist: a parse error comes first, so the verb never looked for it.
        UsageError(r, verb, $"{option} takes a finite number, not '{value}'");
    }

    [Fact]
    public async Task FiniteValues_OfTheSameOptions_StillTrain()
    {
        var data = _tmp.Write("data.csv", Inputs.Csv(8));
        var r = await CliHarness.RunAsync("train", "--data", data, "--c", "2.5", "--l2", "1e-3", "--char-weight", "0.5", "--test-fraction", "0.25",
            "--model", _tmp["m.zip"], "--quiet");
        Outcome.Ok(r);
        Assert.True(File.Exists(_tmp["m.zip"]));
    }

    /// <summary>Documents whose words are each in one document only: with --char-ngrams 0, --min-df 2 leaves nothing.</summary>
    private string UniqueWordsCsv() => _tmp.Write("unique.csv", "text,label\n" + string.Concat(
        new[] { "alpha bravo", "charlie delta", "echo foxtrot", "golf hotel", "india juliet", "kilo lima" }.Select((t, i) => $"{t},{(i % 2 == 0 ? "a" : "b")}\n")));

    [Fact]
    public async Task Train_MinDfAboveTheDocumentCount_Exit2_BeforeCounting_NoModel()
    {
        var data = _tmp.Write("data.csv", Inputs.Csv(8));
        var r = await CliHarness.RunAsync("train", "--data", data, "--min-df", "100000", "--model", _tmp["models/m.zip"]);
        // 24 documents, 20 % of each class held out: 18 trained on.
        Assert.Equal("error: no features left: --min-df 100000 is more than the 18 documents trained on, so no n-gram can be in that many; lower --min-df (0 = automatic)",
            Outcome.BadInput(r, null));
        Assert.DoesNotContain("building vocabulary", r.Stderr);
        Outcome.FolderHolds(_tmp.Path, "data.csv");
    }

    [Fact]
    public async Task Train_NoNgramReachesMinDf_Exit2_BeforeTraining_NoModel()
    {
        var data = UniqueWordsCsv();
        var r = await CliHarness.RunAsync("train", "--data", data, "--char-ngrams", "0", "--min-df", "2", "--test-fraction", "0", "--model", _tmp["m.zip"]);
        Assert.Equal("error: no features left: no n-gram is in --min-df 2 or more of the 6 documents trained on; lower --min-df (0 = automatic)", Outcome.BadInput(r, null));
        Assert.DoesNotContain("training svm", r.Stderr);
        Outcome.FolderHolds(_tmp.Path, "unique.csv");
    }

    [Fact]
    public async Task Train_TextsOfPunctuationOnly_Exit2_NoFeatures_NoModel()
    {
        var data = _tmp.Write("punct.csv", "text,label\n!!! ???,a\n... ---,b\n*** +++,a\n");
        var r = await CliHarness.RunAsync("train", "--data", data, "--test-fraction", "0", "--model", _tmp["m.zip"]);
        Assert.Equal("error: no features: the 3 documents trained on hold no word or character n-grams (only punctuation and symbols)", Outcome.BadInput(r, null));
        Outcome.FolderHolds(_tmp.Path, "punct.csv");
    }

    [Theory]
    [InlineData("cross-validate", "--folds", "3")]
    [InlineData("tune", "--trials", "3")]
    public async Task CrossValidateAndTune_MinDfAboveAFoldsDocuments_Exit2_NoModel(string verb, string option, string value)
    {
        var data = _tmp.Write("data.csv", Inputs.Csv(8));
        string[] args = [verb, "--data", data, option, value, "--min-df", "100000"];
        if (verb == "tune") args = [.. args, "--model", _tmp["models/m.zip"]];
        var r = await CliHarness.RunAsync(args);
        // 24 documents in 3 folds: each fold trains on 16.
        Assert.Equal("error: no features left: --min-df 100000 is more than the 16 documents trained on, so no n-gram can be in that many; lower --min-df (0 = automatic)",
            Outcome.BadInput(r, null));
        Outcome.FolderHolds(_tmp.Path, "data.csv");
    }

    [Theory]
    [InlineData("cross-validate", "37")]
    [InlineData("tune", "40")]
    public async Task MoreFoldsThanDocuments_Exit2_BeforeAnyFold(string verb, string folds)
    {
        var data = _tmp.Write("data.csv", Inputs.Csv(12));
        string[] args = [verb, "--data", data, "--folds", folds];
        if (verb == "tune") args = [.. args, "--trials", "2", "--model", _tmp["models/m.zip"]];
        var r = await CliHarness.RunAsync(args);
        Assert.Equal($"error: --folds {folds} needs at least {folds} documents, one to test on in each fold (got 36); lower --folds", Outcome.BadInput(r, null));
        Assert.DoesNotContain("fold 1/", r.Stderr);
        Assert.DoesNotContain("trial 1", r.Stderr);
        Outcome.FolderHolds(_tmp.Path, "data.csv");
    }

    [Fact]
    public async Task MoreFoldsThanDocuments_MultiLabel_SameLine()
    {
        var data = _tmp.Write("data.csv", Inputs.Csv(12));
        var r = await CliHarness.RunAsync("cross-validate", "--data", data, "--folds", "37", "--multi-label");
        Assert.Equal("error: --folds 37 needs at least 37 documents, one to test on in each fold (got 36); lower --folds", Outcome.BadInput(r, null));
    }

    [Fact]
    public async Task FoldsAboveTheSmallestClass_ButEveryClassHasTwo_CrossValidates()
    {
        // 2 weather articles and 5 folds: each fold still trains on one of them at least (Splits.Folds), so this is allowed.
        var data = _tmp.Write("data.csv", Inputs.Csv(6) + "rain and wind battered the coast overnight,weather\nsnow closed the mountain roads,weather\n");
        var r = await CliHarness.RunAsync("cross-validate", "--data", data, "--folds", "5", "--json", "--quiet");
        Outcome.Ok(r);
        var folds = r.Json().GetProperty("folds").EnumerateArray().Select(f => f.GetProperty("examples").GetInt32()).ToList();
        Assert.Equal(5, folds.Count);
        Assert.Equal(20, folds.Sum());
        Assert.Equal(4, r.Json().GetProperty("pooled").GetProperty("per_class").GetArrayLength());
    }

    /// <summary>The verbs with --threads, found in the command tree.</summary>
    private static IEnumerable<string> ThreadVerbs() =>
        CliApp.Build(new CliContext(TextWriter.Null, TextWriter.Null)).Subcommands.Where(c => c.Options.Any(o => o.Name == "--threads")).Select(c => c.Name);

    public static TheoryData<string> VerbsWithThreads() => new(ThreadVerbs());

    /// <summary><paramref name="verb"/> with a placeholder for each of its required options, so that only the option under test is wrong.</summary>
    private static string[] WithRequiredOptions(string verb, params string[] args)
    {
        var command = CliApp.Build(new CliContext(TextWriter.Null, TextWriter.Null)).Subcommands.Single(c => c.Name == verb);
        return [verb, .. command.Options.Where(o => o.Required).SelectMany(o => new[] { o.Name, "placeholder" }), .. args];
    }

    [Fact]
    public void TheVerbsWithThreads_AreTheFiveThatWork()
    {
        Assert.Equal(["cross-validate", "evaluate", "score", "train", "tune"], ThreadVerbs().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(VerbsWithThreads))]
    public async Task Threads_Help_SaysTheCap(string verb)
    {
        var r = await CliHarness.RunOkAsync(verb, "--help");
        Assert.Contains($"A larger value than 4 x the cores ({Core.ThreadCount.Max} here) is lowered to that.", System.Text.RegularExpressions.Regex.Replace(r.Stdout, @"\s+", " "));
    }

    [Theory]
    [MemberData(nameof(VerbsWithThreads))]
    public async Task Threads_Negative_Exit2_ForEveryVerb(string verb)
    {
        // evaluate used to take -1 for all cores, unlike the others.
        var r = await CliHarness.RunAsync(WithRequiredOptions(verb, "--threads", "-1"));
        UsageError(r, verb, "--threads must be 0 (all cores) or more (got -1)");
    }

    [Fact]
    public async Task Train_ThreadsFarAboveTheCores_IsCapped_AndQuick_AndTheManifestSaysSo()
    {
        var data = _tmp.Write("data.csv", Inputs.Csv(1));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = await CliHarness.RunAsync("train", "--data", data, "--test-fraction", "0", "--threads", "100000", "--model", _tmp["m.zip"], "--quiet");
        Outcome.Ok(r);
        // It took 29 s on 3 documents: vocabulary counting set up one workspace and three dictionaries per thread.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"3 documents took {clock.Elapsed.TotalSeconds:0.0} s with --threads 100000");
        var trainer = (await CliHarness.RunOkAsync("info", "-m", _tmp["m.zip"], "--json")).Json().GetProperty("trainer");
        Assert.Equal(Core.ThreadCount.Max, trainer.GetProperty("threads").GetInt32());
        Assert.Equal(Core.ThreadCount.Max, trainer.GetProperty("effective_threads").GetInt32());
    }

    [Fact]
    public async Task Score_ThreadsFarAboveTheCores_ScoresWithTheCap()
    {
        var data = _tmp.Write("data.csv", Inputs.Csv(2));
        await CliHarness.RunOkAsync("train", "--data", data, "--test-fraction", "0", "--model", _tmp["m.zip"], "--quiet");
        var r = await CliHarness.RunAsync("score", "-m", _tmp["m.zip"], "-i", data, "-o", _tmp["out.csv"], "--threads", "99999999999999");
        Outcome.Ok(r);
        Assert.Contains($"with {Core.ThreadCount.Max} threads", r.Stderr);
        Assert.Equal(7, File.ReadAllLines(_tmp["out.csv"]).Length);
    }

    [Fact]
    public void FeaturizerFit_ManyThreadsOnFewDocuments_IsQuick_AndTheSameAsOneThread()
    {
        // Core is capped too, for library callers: the threads asked for never reach the per-thread set-up.
        var texts = Inputs.Rows(1).Select(r => r.Text).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var many = Core.Features.TextFeaturizer.Fit(texts, new Core.Features.FeaturizerOptions(), threads: 100_000);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        var one = Core.Features.TextFeaturizer.Fit(texts, new Core.Features.FeaturizerOptions(), threads: 1);
        Assert.Equal(one.Dimension, many.Dimension);
        Assert.Equal(one.Transform(texts[0], one.CreateWorkspace()).Indices, many.Transform(texts[0], many.CreateWorkspace()).Indices);
    }
}
