using System.CommandLine;
using System.Globalization;
using Classifier.Cli.Options;
using Classifier.Cli.Output;
using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Models;
using Classifier.Core.Training;
using Classifier.Core.Tuning;

namespace Classifier.Cli.Commands;

/// <summary>
/// `classifier tune`: search the settings by k-fold cross-validation on the training data within a time budget or a
/// number of trials, then train the best on all of it and save the model. Ctrl-C stops the search and still saves
/// the best model found so far (exit 130).
/// </summary>
public static class TuneCommand
{
    public const int DefaultFolds = 3;

    public static Command Create(CliContext context)
    {
        var data = new Option<string?>("--data", "-d") { Description = "Labelled training data [default: the embedded news corpus]" };
        var format = CommonOptions.Format();
        var text = CommonOptions.Text();
        var label = CommonOptions.Label();
        var test = new Option<string?>("--test") { Description = "Also evaluate the final model on this labelled file (never used to choose)" };
        var budget = new Option<string?>("--time-budget") { Description = "How long to search at most: 90s, 5m, 1h or seconds; trials that would run past it are stopped. Once every setting on the search's list is tried, the time left splits the folds again for the defaults and the trials that lead them (up to 10 splits in all), and a search with nothing left to confirm ends sooner (the first line of the output says which)" };
        var trials = new Option<int?>("--trials") { Description = "How many trials to run at most (reproducible with --seed)" };
        var metric = new Option<string>("--metric")
        {
            Description = "What to maximise over the folds: accuracy, macro-f1, or log-loss (minimised); with --multi-label, micro-f1 or macro-f1 [default: accuracy; micro-f1 with --multi-label]",
        };
        var labels = new LabelOptions();
        var folds = new Option<int>("--folds", "-k") { Description = "Cross-validation folds per trial", DefaultValueFactory = _ => DefaultFolds };
        var repeats = new Option<int?>("--repeats")
        {
            Description = $"How many times to repeat the folds, each time split with the next seed; every trial runs on the same ones " +
                          $"[default: {TuneOptions.SmallDataRepeats} below {TuneOptions.SmallData:N0} documents, else 1]",
        };
        var modeling = new ModelingOptions();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var model = CommonOptions.Model(required: false);
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var report = new Option<string?>("--report")
        {
            Description = "Also write metrics.json, metrics.md and report.html (the trials, and each one's gain over the defaults with its error bar) into this folder",
        };
        var command = new Command("tune", "Search settings by cross-validation within a time or trial budget, then train and save the best (Ctrl-C saves the best so far, exit 130)");
        foreach (var o in new Option[] { data, format, text, label, test, budget, trials, metric, folds, repeats }) command.Options.Add(o);
        modeling.AddTo(command);
        labels.AddTo(command, training: true);
        foreach (var o in new Option[] { seed, threads, model, report, json, quiet }) command.Options.Add(o);
        var badRowOptions = new BadRowOptions(scoring: false);
        badRowOptions.AddTo(command);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var diagnostics = new Diagnostics(context, parse.GetValue(quiet));
            var source = new DataSource(parse.GetValue(data), parse.GetValue(format));
            var labelColumn = source.LabelColumn(parse.GetValue(label));
            var featurizer = modeling.Featurizer(parse, placesByDefault: EmbeddedCorpus.IsRegionLabel(source, labelColumn));
            var trainer = modeling.TrainerSettings(parse, parse.GetValue(seed), parse.GetValue(threads));
            if (trainer.Trainer != TrainerKind.Svm) throw new InputException($"tune searches the svm trainer's settings (got --trainer {trainer.Trainer.Name()})");
            var multi = labels.IsMultiLabel(parse);
            var multiLabel = multi ? labels.MultiLabelSettings(parse) : null;
            var chosen = TuneMetrics.For(TuneMetrics.Parse(parse.GetValue(metric) ?? "accuracy"), multi, given: parse.GetValue(metric) is not null);
            var options = new TuneOptions(chosen, parse.GetValue(folds),
                parse.GetValue(budget) is { } b ? Durations.Parse(b, "--time-budget") : null, parse.GetValue(trials), parse.GetValue(repeats));
            options.Validate();
            var modelPath = parse.GetValue(model) ?? Path.Combine("models", TrainCommand.SafeFileName(labelColumn) + ".zip");
            AtomicFile.EnsureWritable(modelPath, "model", "model.zip", foldersMayBeCreated: true);
            ReportWriter.EnsureWritable(parse.GetValue(report));
            if (source.Path is not null) TrainCommand.EnsureExists(source.Path);
            var testPath = parse.GetValue(test);
            if (testPath is not null) TrainCommand.EnsureExists(testPath);

            // Tune saves a model after Ctrl-C too, so its bad-rows file is not tied to the cancellation.
            using var badRows = badRowOptions.Start(parse, diagnostics, CancellationToken.None, source.Path, testPath, modelPath);
            diagnostics.Report(new ProgressUpdate($"reading {source.DisplayName}"));
            var spec = labels.Spec(parse);
            var all = source.Load(context, source.TextColumns(parse.GetValue(text)), labelColumn, diagnostics, badRows.Ledger, cancel, spec);
            var testSet = testPath is null ? null : new DataSource(testPath, parse.GetValue(format)).Load(context, all.TextColumns, all.LabelColumn, diagnostics, badRows.Ledger, cancel, spec);

            // Ctrl-C from here on stops the search, and the best settings so far are still trained and saved.
            context.FinalSave.Promise();
            var result = Tuner.Run(all, featurizer, trainer, options, diagnostics, cancel, multiLabel);
            var (classifier, evaluation) = FitBest(all, testSet, testPath, featurizer, trainer, multiLabel, options, result, source, diagnostics);
            ModelFile.Save(classifier, modelPath);
            diagnostics.Report(new ProgressUpdate($"saved model to {modelPath}"));
            diagnostics.EndLine();
            if (result.Trials.All(t => t.Status != TuneTrial.Done))
                diagnostics.Warn($"no trial finished {(result.Interrupted ? "before Ctrl-C" : "inside the budget")}: the model has the default settings");

            var command = TrainCommandLine(parse, source, all, result.BestSettings, modelPath);
            var body = Json(options, result, trainer, featurizer, evaluation, modelPath, command);
            if (parse.GetValue(json)) context.Out.WriteLine(MetricsJson.Serialize(body));
            else Text(context.Out, options, result, all, source, command, modelPath, evaluation);
            if (parse.GetValue(report) is { } folder) TuneReport.Write(folder, body, result, options.Metric.Name(), Verdict(options, result));
            if (result.Interrupted)
            {
                context.Error.WriteLine($"interrupted: saved the best model found so far to {modelPath}");
                return badRows.Exit(ExitCodes.Cancelled);
            }
            return badRows.Exit(ExitCodes.Success);
        })));
        return command;
    }

    /// <summary>
    /// The best settings trained on all the data (and evaluated on the test file), through the workflow `train` uses.
    /// After Ctrl-C the search is over but the best model is still wanted: this fit is not cancelled.
    /// </summary>
    private static (ClassifierModel Model, EvaluationOutput? Evaluation) FitBest(LabeledDataset all, LabeledDataset? testSet, string? testPath,
        Core.Features.FeaturizerOptions featurizer, TrainerOptions trainer, MultiLabelOptions? multiLabel, TuneOptions options, TuneResult result, DataSource source,
        Diagnostics diagnostics)
    {
        var (bestFeaturizer, bestTrainer) = result.BestSettings.Apply(featurizer, trainer);
        diagnostics.Report(new ProgressUpdate($"training the best settings on all {all.Count:N0} documents"));
        var final = TrainingWorkflow.Run(new TrainingRequest
        {
            Data = all, Featurizer = bestFeaturizer, Trainer = bestTrainer, SourceName = source.DisplayName, Sha256 = source.Sha256(),
            MultiLabel = multiLabel is null ? null : result.BestSettings.Apply(multiLabel),
            Evaluation = testSet is null ? EvaluationPlan.None : EvaluationPlan.TestSet(testSet),
        }, diagnostics, CancellationToken.None);
        var classifier = final.Model!.WithManifest(final.Model!.Manifest with
        {
            Tune = new TuneRecord(options.Metric.Name(), options.Folds, result.Trials.Count, result.Best?.Score ?? double.NaN, result.Best?.Std ?? 0),
        });
        var evaluation = final.Evaluation is null ? null
            : EvaluationOutput.From(classifier, final.Evaluation, classifier.Manifest.TrainSeconds, testSet!.SkippedRows, $"of {testPath}");
        return (classifier, evaluation);
    }

    /// <summary>The `classifier train` command that fits the same model: the data as given, the best settings, the rest as on this command line.</summary>
    private static string TrainCommandLine(ParseResult parse, DataSource source, LabeledDataset all, TuneSettings best, string modelPath)
    {
        var args = new List<string> { "classifier", "train" };
        if (source.Path is not null) args.AddRange(["--data", source.Path]);
        args.AddRange(["--text", string.Join(",", all.TextColumns), "--label", all.LabelColumn, "--test-fraction", "0"]);
        args.AddRange(best.TrainArguments());
        // The options tune does not search, as given on this command line (tune and train share them).
        foreach (var option in parse.CommandResult.Command.Options)
        {
            if (Searched.Contains(option.Name) || NotForTrain.Contains(option.Name) || parse.GetResult(option) is not { Implicit: false } r) continue;
            args.Add(option.Name);
            args.AddRange(r.Tokens.Select(t => t.Value));
        }
        args.AddRange(["--model", modelPath]);
        return string.Join(' ', args.Select(Quote));
    }

    private static readonly HashSet<string> Searched = ["--c", "--word-ngrams", "--char-ngrams", "--char-weight", "--sublinear-tf", "--min-df", "--class-weight", "--feature-budget",
        "--min-validation-f1", "--min-label-count"];
    private static readonly HashSet<string> NotForTrain = ["--data", "--text", "--label", "--test", "--time-budget", "--trials", "--metric", "--folds", "--repeats", "--report", "--model", "--json", "--quiet", "--threads"];

    private static string Quote(string s) => s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || "-_./,:=+".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    private static string F(double v) => TuneReport.F(v);

    private static string Signed(double v) => TuneReport.Signed(v);

    /// <summary>Why the search ended, for the first line: a search that tried its whole list says so, and in how long, so that a budget left unspent is not taken for a failure.</summary>
    private static string Ending(TuneOptions options, TuneResult result) => result.Ended switch
    {
        "time budget" => ", until the time budget ran out",
        "interrupted" => ", until interrupted",
        "search done" => ", every setting on the search's list" + Confirmations(result) +
            string.Create(CultureInfo.InvariantCulture, $", in {result.Seconds:N0} s") +
            (options.TimeBudget is { } b ? string.Create(CultureInfo.InvariantCulture, $" of the {b.TotalSeconds:N0} s budget") : ""),
        _ => "",
    };

    /// <summary>The folds of new splits that used the budget left after the list (TuneConfirmation), for the first line.</summary>
    private static string Confirmations(TuneResult result) => result.ConfirmationFolds == 0 ? ""
        : $", then {result.ConfirmationFolds} more {(result.ConfirmationFolds == 1 ? "fold" : "folds")} of new splits for the defaults and the leading " +
          (result.Confirmed.Count == 1 ? "trial " : "trials ") + string.Join(", ", result.Confirmed.Select(t => t.Number));

    private static void Text(TextWriter o, TuneOptions options, TuneResult result, LabeledDataset all, DataSource source, string command, string modelPath,
        EvaluationOutput? evaluation)
    {
        var repeated = result.Repeats > 1 ? $"{result.Repeats} × {options.Folds}-fold" : $"{options.Folds}-fold";
        o.WriteLine($"Tuned svm on {all.Count:N0} documents from {source.DisplayName} by {repeated} cross-validation of {options.Metric.Name()}: " +
            $"{result.Trials.Count} trials{Ending(options, result)}.");
        o.WriteLine();
        var table = new TextTable(TuneReport.Header(options.Metric.Name()));
        foreach (var t in result.Trials) table.Add(TuneReport.Row(t, result));
        o.Write(table);
        o.WriteLine();
        o.WriteLine(Verdict(options, result));
        if (evaluation?.Multiclass is { } mc) o.WriteLine($"Final model on the test file: accuracy {MetricsText.F(mc.Accuracy)}, macro F1 {MetricsText.F(mc.MacroF1)}.");
        if (evaluation?.MultiLabel is { } ml) o.WriteLine($"Final model on the test file: micro F1 {MetricsText.F(ml.MicroF1)}, macro F1 {MetricsText.F(ml.MacroF1)}.");
        o.WriteLine($"Model saved to {modelPath}. To train it again:");
        o.WriteLine($"  {command}");
    }

    /// <summary>Which trial was kept and why, in one sentence.</summary>
    private static string Verdict(TuneOptions options, TuneResult result) =>
        result.Best is { } best && best.Number != 1
            ? $"Kept trial {best.Number}: {options.Metric.Name()} {F(best.Score)}, {Signed(best.Paired.Gain)} over the defaults on the same folds, " +
              $"more than its standard error ({F(best.Paired.StdErr)})."
            : result.Best is null ? "No trial finished: the model has the default settings."
            : result.BestMean is { } top && top.Number != 1
                ? $"Kept the defaults: no trial beat them by more than its standard error (the best mean, trial {top.Number}, gained {Signed(top.Paired.Gain)} ± {F(top.Paired.StdErr)})."
                : "Kept the defaults: no trial scored above them.";

    private static Dictionary<string, object?> Json(TuneOptions options, TuneResult result, TrainerOptions trainer, Core.Features.FeaturizerOptions featurizer,
        EvaluationOutput? evaluation, string modelPath, string command)
    {
        Dictionary<string, object?> Trial(TuneTrial t) => new()
        {
            ["trial"] = t.Number, ["settings"] = t.Settings.ToJson(), ["cv_score"] = double.IsNaN(t.Score) ? null : Math.Round(t.Score, 6),
            ["cv_std"] = Math.Round(t.Std, 6), ["folds_run"] = t.FoldScores.Count, ["seconds"] = t.Seconds, ["status"] = t.Status,
            ["gain_vs_defaults"] = double.IsNaN(t.Paired.Gain) ? null : Math.Round(t.Paired.Gain, 6),
            ["gain_se"] = double.IsNaN(t.Paired.StdErr) ? null : Math.Round(t.Paired.StdErr, 6),
            ["kept"] = t == result.Best,
        };
        var baseline = result.Trials.FirstOrDefault();
        var body = new Dictionary<string, object?>
        {
            ["metric"] = options.Metric.Name(),
            ["folds"] = options.Folds,
            ["repeats"] = result.Repeats,
            ["selection"] = "the trial whose paired gain over the defaults most exceeds its standard error (Nadeau-Bengio corrected); the defaults when none does",
            // No timings here, so that two runs can be compared as they are.
            ["best"] = new Dictionary<string, object?>
            {
                ["trial"] = result.Best?.Number, ["settings"] = result.BestSettings.ToJson(), ["cv_score"] = result.Best is null ? null : Math.Round(result.Best.Score, 6),
                ["gain_vs_defaults"] = result.Best is null || double.IsNaN(result.Best.Paired.Gain) ? null : Math.Round(result.Best.Paired.Gain, 6),
                ["gain_se"] = result.Best is null || double.IsNaN(result.Best.Paired.StdErr) ? null : Math.Round(result.Best.Paired.StdErr, 6),
            },
            ["trials"] = result.Trials.Select(Trial).ToList(),
            ["baseline"] = new Dictionary<string, object?>
            {
                ["settings"] = TuneSettings.From(featurizer, trainer).ToJson(),
                ["cv_score"] = baseline is null || baseline.Status != TuneTrial.Done ? null : Math.Round(baseline.Score, 6),
            },
            ["interrupted"] = result.Interrupted,
            ["ended"] = result.Ended,
            ["confirmation_folds"] = result.ConfirmationFolds,
            ["confirmed"] = result.Confirmed.Select(t => t.Number).ToList(),
            ["train_command"] = command,
            ["model"] = modelPath,
        };
        if (evaluation is not null) body["test"] = evaluation.Json;
        return body;
    }
}
