using System.CommandLine;
using Classifier.Cli.Options;
using Classifier.Cli.Output;
using Classifier.Core;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Cli.Commands;

/// <summary>`classifier evaluate`: the train-time metrics, on any labelled file.</summary>
public static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model(required: true);
        var data = new Option<string>("--data", "-d") { Description = "Labelled data to evaluate on ('-' reads stdin)", Required = true };
        var format = CommonOptions.Format();
        var text = CommonOptions.Text();
        var label = CommonOptions.Label();
        var threads = CommonOptions.Threads();
        var report = CommonOptions.Report();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var labels = new LabelOptions();
        var command = new Command("evaluate", "Measure a saved model on a labelled file");
        foreach (var o in new Option[] { model, data, format, text, label }) command.Options.Add(o);
        labels.AddTo(command, training: false);
        foreach (var o in new Option[] { threads, report, json, quiet }) command.Options.Add(o);
        var badRowOptions = new BadRowOptions(scoring: false);
        badRowOptions.AddTo(command);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var diagnostics = new Diagnostics(context, parse.GetValue(quiet));
            var modelPath = parse.GetValue(model)!;
            var manifest = ModelFile.ReadManifest(modelPath);
            ReportWriter.EnsureWritable(parse.GetValue(report));
            var source = new DataSource(parse.GetValue(data), parse.GetValue(format));
            TrainCommand.EnsureExists(source.Path!);
            using var badRows = badRowOptions.Start(parse, diagnostics, cancel, source.Path, modelPath);
            diagnostics.Report(new ProgressUpdate($"reading {source.DisplayName}"));
            var spec = labels.Spec(parse, manifest.MultiLabel?.Separator);
            var dataset = source.Load(context, source.TextColumns(parse.GetValue(text), manifest.TextColumns),
                source.LabelColumn(parse.GetValue(label), manifest.LabelColumn), diagnostics, badRows.Ledger, cancel, spec);
            diagnostics.Report(new ProgressUpdate($"loading model {modelPath}"));
            var classifier = ModelFile.Load(modelPath);
            if (classifier.Featurizer.PlacesWarning is { } placesWarning) diagnostics.Warn($"{modelPath}: {placesWarning}");
            diagnostics.Report(new ProgressUpdate($"predicting {dataset.Count:N0} documents"));
            var evaluation = EvaluationOutput.Evaluate(classifier, dataset, parse.GetValue(threads), null, cancel, dataset.SkippedRows, $"of {source.DisplayName}");
            diagnostics.EndLine();
            var unseen = evaluation.Multiclass?.Labels.Skip(classifier.Labels.Count).ToList()
                ?? evaluation.MultiLabel!.PerLabel.Select(l => l.Label).Where(l => !classifier.Labels.Contains(l)).ToList();
            if (unseen.Count > 0) diagnostics.Warn($"labels the model never saw (always counted wrong): {string.Join(", ", unseen)}");

            if (parse.GetValue(report) is { } folder)
            {
                var facts = new[] { ("model", modelPath), ("data", source.DisplayName), ("label column", dataset.LabelColumn) };
                ReportWriter.WriteFiles(folder, evaluation.Json, evaluation.Markdown(classifier, facts));
                HtmlReportFile.Write(folder, evaluation, dataset, facts, new HtmlReportInput
                {
                    Verb = "evaluate", Model = classifier, Settings = HtmlReportFile.Settings(manifest.Featurizer, manifest.Trainer), TrainingCounts = manifest.Labels,
                });
            }
            if (parse.GetValue(json)) context.Out.WriteLine(MetricsJson.Serialize(evaluation.Json));
            else
            {
                context.Out.WriteLine($"Evaluation of {modelPath} on {source.DisplayName} (label '{dataset.LabelColumn}', text {string.Join(",", dataset.TextColumns)}):");
                context.Out.WriteLine();
                context.Out.Write(evaluation.Text);
            }
            if (badRows.Ledger.Total > 0) diagnostics.Warn($"{badRows.Ledger.Total:N0} rows skipped in all ({badRows.Ledger.Summary()})");
            return badRows.Exit(ExitCodes.Success);
        })));
        return command;
    }
}
