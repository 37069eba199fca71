using System.CommandLine;
using System.Globalization;
using Classifier.Cli.Options;
using Classifier.Cli.Output;
using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Cli.Commands;

/// <summary>`classifier train`: read labelled data, hold part out, train, evaluate, save the model.</summary>
public static class TrainCommand
{
    public const double DefaultTestFraction = 0.2;

    public static Command Create(CliContext context)
    {
        var data = new Option<string?>("--data", "-d") { Description = "Labelled training data: CSV, TSV, JSONL, fastText lines or a folder of label folders; '-' reads stdin [default: the embedded news corpus]" };
        var format = CommonOptions.Format();
        var text = CommonOptions.Text();
        var label = CommonOptions.Label();
        var test = new Option<string?>("--test") { Description = "Evaluate on this labelled file instead of a holdout split" };
        var testFraction = new Option<double>("--test-fraction")
        {
            Description = "Share of each class held out for evaluation (stratified, seeded); 0 trains on everything",
            DefaultValueFactory = _ => DefaultTestFraction,
        };
        var modeling = new ModelingOptions();
        var labels = new LabelOptions();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var model = CommonOptions.Model(required: false);
        var report = CommonOptions.Report();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();

        var command = new Command("train", "Train a model and print its evaluation on held-out data");
        foreach (var o in new Option[] { data, format, text, label, test, testFraction }) command.Options.Add(o);
        labels.AddTo(command, training: true);
        modeling.AddTo(command);
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
            var multi = labels.IsMultiLabel(parse);
            if (multi && trainer.ClassWeight != ClassWeighting.None) throw new InputException("--class-weight applies to single-label training; multi-label models set each label's threshold instead");
            var multiOptions = multi ? labels.MultiLabelSettings(parse) : null;
            var textColumns = source.TextColumns(parse.GetValue(text));
            var testPath = parse.GetValue(test);
            var fraction = testPath is null ? parse.GetValue(testFraction) : 0;
            if (testPath is null && !(fraction is >= 0 and < 1)) throw new InputException($"--test-fraction must be at least 0 and below 1 (got {fraction})");
            var modelPath = parse.GetValue(model) ?? Path.Combine("models", SafeFileName(labelColumn) + ".zip");
            AtomicFile.EnsureWritable(modelPath, "model", "model.zip", foldersMayBeCreated: true);
            ReportWriter.EnsureWritable(parse.GetValue(report));
            if (source.Path is not null) EnsureExists(source.Path);
            if (testPath is not null) EnsureExists(testPath);
            var spec = labels.Spec(parse);
            using var badRows = badRowOptions.Start(parse, diagnostics, cancel, source.Path, testPath, modelPath);

            diagnostics.Report(new ProgressUpdate($"reading {source.DisplayName}"));
            var all = source.Load(context, textColumns, labelColumn, diagnostics, badRows.Ledger, cancel, spec);
            LabeledDataset trainSet = all;
            LabeledDataset? testSet = null;
            if (testPath is not null)
            {
                testSet = new DataSource(testPath, parse.GetValue(format)).Load(context, all.TextColumns, all.LabelColumn, diagnostics, badRows.Ledger, cancel, spec);
            }
            else if (fraction > 0)
            {
                var (trainRows, testRows) = multi ? Splits.RandomHoldout(all.Count, fraction, trainer.Seed) : Splits.Holdout(all.Labels, fraction, trainer.Seed);
                trainSet = all.Subset(trainRows);
                testSet = all.Subset(testRows);
            }

            var description = new DataDescription(source.DisplayName, source.Sha256(), all.Count + all.SkippedRows, all.SkippedRows, trainSet.Count, testSet?.Count ?? 0);
            EstimateMemory(trainSet, diagnostics);
            // Training needs each text only until it is featurized; the held-out part keeps its own references.
            if (!ReferenceEquals(trainSet, all)) all.ReleaseTexts();
            var classifier = multi
                ? MultiLabelTrainer.Fit(trainSet, featurizer, trainer, multiOptions!, description, diagnostics, cancel, releaseTexts: true)
                : ModelTrainer.Fit(trainSet, featurizer, trainer, description, diagnostics, cancel, releaseTexts: true);
            if (spec.Map is not null) classifier = classifier.WithManifest(classifier.Manifest with { LabelMap = spec.Map.Source });
            if (classifier.Manifest.MultiLabel is { Excluded.Count: > 0 } ml)
                diagnostics.Warn($"left out {ml.Excluded.Count} labels with fewer than {ml.MinLabelCount} training documents (--min-label-count): " +
                    string.Join(", ", ml.Excluded.Take(30).Select(e => $"{e.Label} ({e.Count})")) + (ml.Excluded.Count > 30 ? ", ..." : ""));

            EvaluationOutput? evaluation = null;
            if (testSet is not null)
            {
                diagnostics.Report(new ProgressUpdate($"evaluating on {testSet.Count:N0} held-out documents"));
                // Rows left out of a holdout cannot be told apart from those of the training part: all of them are said.
                evaluation = EvaluationOutput.Evaluate(classifier, testSet, trainer.EffectiveThreads, classifier.Manifest.TrainSeconds, cancel,
                    testPath is null ? all.SkippedRows : testSet.SkippedRows, testPath is null ? $"of {source.DisplayName}" : $"of {testPath}");
                classifier = classifier.WithManifest(evaluation.Record(classifier.Manifest));
            }
            cancel.ThrowIfCancellationRequested();
            ModelFile.Save(classifier, modelPath, cancel);
            diagnostics.Report(new ProgressUpdate($"saved model to {modelPath}"));
            diagnostics.EndLine();

            var m = classifier.Manifest;
            var reportContext = new[]
            {
                ("data", source.DisplayName), ("label column", m.LabelColumn), ("text columns", string.Join(",", m.TextColumns)),
                ("trainer", m.Trainer.Trainer.Name()), ("training documents", trainSet.Count.ToString(CultureInfo.InvariantCulture)),
                ("model", modelPath),
            };
            if (evaluation is not null && parse.GetValue(report) is { } folder)
            {
                ReportWriter.WriteFiles(folder, evaluation.Json, evaluation.Markdown(classifier, reportContext));
                HtmlReportFile.Write(folder, evaluation, testSet!, reportContext, new HtmlReportInput
                {
                    Verb = "train", Model = classifier, Settings = HtmlReportFile.Settings(m.Featurizer, m.Trainer), TrainingCounts = m.Labels,
                });
            }

            if (parse.GetValue(json))
            {
                var body = evaluation?.Json ?? new Dictionary<string, object?> { ["task"] = m.Task, ["examples"] = 0, ["train_seconds"] = m.TrainSeconds };
                body["model"] = modelPath;
                context.Out.WriteLine(MetricsJson.Serialize(body));
            }
            else
            {
                context.Out.WriteLine($"Trained {m.Trainer.Trainer.Name()} on {trainSet.Count:N0} documents from {source.DisplayName}: " +
                    $"{(multi ? "multi-label " : "")}label '{m.LabelColumn}' ({m.Labels.Count} {(multi ? "labels" : "classes")}), text {string.Join(",", m.TextColumns)}, {m.FeatureCount:N0} features, {m.TrainSeconds:F1} s.");
                context.Out.WriteLine($"Model saved to {modelPath}.");
                context.Out.WriteLine();
                if (evaluation is null) context.Out.WriteLine("No evaluation: --test-fraction 0 trains on every document.");
                else
                {
                    context.Out.WriteLine(testPath is null
                        ? $"Evaluation on {testSet!.Count:N0} held-out documents ({fraction:P0}{(multi ? "" : " of each class")}, seed {trainer.Seed}):"
                        : $"Evaluation on {testPath}:");
                    context.Out.WriteLine();
                    context.Out.Write(evaluation.Text);
                }
            }
            if (badRows.Ledger.Total > 0) diagnostics.Warn($"{badRows.Ledger.Total:N0} rows skipped in all ({badRows.Ledger.Summary()})");
            return badRows.Exit(ExitCodes.Success);
        })));
        return command;
    }

    /// <summary>
    /// Peak memory measured per byte of training text (bench/scale.sh: 17 bytes at 100 MB, 13 at 1 GB, with the default
    /// featurizer); the larger, so that the estimate errs on the safe side.
    /// </summary>
    internal const double BytesPerTextByte = 17;

    /// <summary>Says, before the expensive work, how much memory training will take, and warns when the machine has less.</summary>
    private static void EstimateMemory(LabeledDataset train, Diagnostics diagnostics)
    {
        long chars = 0;
        foreach (var t in train.Texts) chars += t.Length;
        var (line, warning) = MemoryEstimate(chars, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        diagnostics.Report(new ProgressUpdate(line));
        if (warning is not null) diagnostics.Warn(warning);
    }

    /// <summary>The progress line of the estimate, and a warning when it exceeds <paramref name="available"/> bytes.</summary>
    internal static (string Line, string? Warning) MemoryEstimate(long chars, long available)
    {
        static string Size(double bytes) => bytes >= 1e9
            ? (bytes / 1e9).ToString("0.0 GB", CultureInfo.InvariantCulture)
            : (bytes / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture);
        var need = chars * BytesPerTextByte;
        var line = $"{Size(chars)} of text to train on: about {Size(need)} of memory at the peak ({Size(available)} available)";
        return (line, need <= available ? null
            : $"training on {Size(chars)} of text needs about {Size(need)} of memory, more than the {Size(available)} available; " +
              "it may run out of memory: train on a sample, or lower --char-ngrams or --word-ngrams");
    }

    internal static string SafeFileName(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    internal static void EnsureExists(string path)
    {
        if (path != "-" && !File.Exists(path) && !Directory.Exists(path)) throw new InputException("no such file or folder", path);
    }
}
