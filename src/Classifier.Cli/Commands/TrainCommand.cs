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
        var memory = new MemoryOptions();
        memory.AddTo(command);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var diagnostics = new Diagnostics(context, parse.GetValue(quiet));
            var source = new DataSource(parse.GetValue(data), parse.GetValue(format));
            var labelColumn = source.LabelColumn(parse.GetValue(label));
            var request = new TrainingRequest
            {
                Data = LabeledDataset.Of([]), Featurizer = modeling.Featurizer(parse, placesByDefault: EmbeddedCorpus.IsRegionLabel(source, labelColumn)),
                Trainer = modeling.TrainerSettings(parse, parse.GetValue(seed), parse.GetValue(threads)),
                MultiLabel = labels.IsMultiLabel(parse) ? labels.MultiLabelSettings(parse) : null,
                Evaluation = EvaluationPlan.Holdout(parse.GetValue(test) is null ? parse.GetValue(testFraction) : 0),
                SourceName = source.DisplayName, ReleaseTexts = true, Memory = memory.Limit(parse),
            };
            request.Check(); // before any reading: a bad setting costs nothing
            var (testPath, modelPath) = (parse.GetValue(test), parse.GetValue(model) ?? Path.Combine("models", SafeFileName(labelColumn) + ".zip"));
            CheckPaths(source, testPath, modelPath, parse.GetValue(report));
            var spec = labels.Spec(parse);
            using var badRows = badRowOptions.Start(parse, diagnostics, cancel, source.Path, testPath, modelPath);

            diagnostics.Report(new ProgressUpdate($"reading {source.DisplayName}"));
            // A file whose training may not fit in memory keeps its texts on disk until they are counted: 2 bytes a character loaded.
            var textsOnDisk = MemoryEstimate.Bytes(source.ApproximateChars()) > request.Memory!.EffectiveBytes;
            var all = source.Load(context, source.TextColumns(parse.GetValue(text)), labelColumn, diagnostics, badRows.Ledger, cancel, spec, textsOnDisk);
            var testSet = testPath is null ? null : new DataSource(testPath, parse.GetValue(format)).Load(context, all.TextColumns, all.LabelColumn, diagnostics, badRows.Ledger, cancel, spec);
            var result = TrainingWorkflow.Run(request with
            {
                Data = all, Sha256 = source.Sha256(), Evaluation = testSet is null ? request.Evaluation : EvaluationPlan.TestSet(testSet),
            }, diagnostics, cancel);
            var classifier = result.Model!;
            if (spec.Map is not null) classifier = classifier.WithManifest(classifier.Manifest with { LabelMap = spec.Map.Source });
            WarnExcluded(classifier, diagnostics);
            // Rows left out of a holdout cannot be told apart from those of the training part: all of them are said.
            var evaluation = result.Evaluation is null ? null : EvaluationOutput.From(classifier, result.Evaluation, classifier.Manifest.TrainSeconds,
                testSet?.SkippedRows ?? all.SkippedRows, $"of {testPath ?? source.DisplayName}");
            cancel.ThrowIfCancellationRequested();
            ModelFile.Save(classifier, modelPath, cancel);
            diagnostics.Report(new ProgressUpdate($"saved model to {modelPath}"));
            diagnostics.EndLine();
            if (evaluation is not null && parse.GetValue(report) is { } folder) WriteReport(folder, classifier, evaluation, result.Test!, source, modelPath);
            Print(context.Out, parse.GetValue(json), classifier, evaluation, source, modelPath, testPath is null
                ? $"Evaluation on {result.Test?.Count:N0} held-out documents ({request.Evaluation.Describe(request.MultiLabel is null)}, seed {request.Trainer.Seed}):"
                : $"Evaluation on {testPath}:");
            if (badRows.Ledger.Total > 0) diagnostics.Warn($"{badRows.Ledger.Total:N0} rows skipped in all ({badRows.Ledger.Summary()})");
            return badRows.Exit(ExitCodes.Success);
        })));
        return command;
    }

    /// <summary>Before any reading: the inputs exist, and the model and report can be written.</summary>
    private static void CheckPaths(DataSource source, string? testPath, string modelPath, string? report)
    {
        AtomicFile.EnsureWritable(modelPath, "model", "model.zip", foldersMayBeCreated: true);
        ReportWriter.EnsureWritable(report);
        if (source.Path is not null) EnsureExists(source.Path);
        if (testPath is not null) EnsureExists(testPath);
    }

    /// <summary>Says which labels a multi-label model left out as too rare.</summary>
    private static void WarnExcluded(ClassifierModel classifier, Diagnostics diagnostics)
    {
        if (classifier.Manifest.MultiLabel is { Excluded.Count: > 0 } ml)
            diagnostics.Warn($"left out {ml.Excluded.Count} labels with fewer than {ml.MinLabelCount} training documents (--min-label-count): " +
                string.Join(", ", ml.Excluded.Take(30).Select(e => $"{e.Label} ({e.Count})")) + (ml.Excluded.Count > 30 ? ", ..." : ""));
    }

    /// <summary>--report: metrics.json, metrics.md and report.html of the evaluation.</summary>
    private static void WriteReport(string folder, ClassifierModel classifier, EvaluationOutput evaluation, LabeledDataset testSet, DataSource source, string modelPath)
    {
        var m = classifier.Manifest;
        var reportContext = new[]
        {
            ("data", source.DisplayName), ("label column", m.LabelColumn), ("text columns", string.Join(",", m.TextColumns)),
            ("trainer", m.Trainer.Trainer.Name()), ("training documents", m.Data!.TrainRows.ToString(CultureInfo.InvariantCulture)),
            ("model", modelPath),
        };
        ReportWriter.WriteFiles(folder, evaluation.Json, evaluation.Markdown(classifier, reportContext));
        HtmlReportFile.Write(folder, evaluation, testSet, reportContext, new HtmlReportInput
        {
            Verb = "train", Model = classifier, Settings = HtmlReportFile.Settings(m.Featurizer, m.Trainer), TrainingCounts = m.Labels,
        });
    }

    /// <param name="title">The line above the evaluation: what it was taken on.</param>
    private static void Print(TextWriter o, bool json, ClassifierModel classifier, EvaluationOutput? evaluation, DataSource source, string modelPath, string title)
    {
        var m = classifier.Manifest;
        if (json)
        {
            var body = evaluation?.Json ?? new Dictionary<string, object?> { ["task"] = m.Task, ["examples"] = 0, ["train_seconds"] = m.TrainSeconds };
            body["model"] = modelPath;
            o.WriteLine(MetricsJson.Serialize(body));
            return;
        }
        var multi = m.MultiLabel is not null;
        o.WriteLine($"Trained {m.Trainer.Trainer.Name()} on {m.Data!.TrainRows:N0} documents from {source.DisplayName}: " +
            $"{(multi ? "multi-label " : "")}label '{m.LabelColumn}' ({m.Labels.Count} {(multi ? "labels" : "classes")}), text {string.Join(",", m.TextColumns)}, {m.FeatureCount:N0} features, {m.TrainSeconds:F1} s.");
        o.WriteLine($"Model saved to {modelPath}.");
        o.WriteLine();
        if (evaluation is null)
        {
            o.WriteLine("No evaluation: --test-fraction 0 trains on every document.");
            return;
        }
        o.WriteLine(title);
        o.WriteLine();
        o.Write(evaluation.Text);
    }

    internal static string SafeFileName(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    internal static void EnsureExists(string path)
    {
        if (path != "-" && !File.Exists(path) && !Directory.Exists(path)) throw new InputException("no such file or folder", path);
    }
}
