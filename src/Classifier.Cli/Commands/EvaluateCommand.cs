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
        var command = new Command("evaluate", "Measure a saved model on a labelled file");
        foreach (var o in new Option[] { model, data, format, text, label, threads, report, json, quiet }) command.Options.Add(o);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var diagnostics = new Diagnostics(context, parse.GetValue(quiet));
            var modelPath = parse.GetValue(model)!;
            var manifest = ModelFile.ReadManifest(modelPath);
            var source = new DataSource(parse.GetValue(data), parse.GetValue(format));
            TrainCommand.EnsureExists(source.Path!);
            diagnostics.Report(new ProgressUpdate($"reading {source.DisplayName}"));
            var dataset = source.Load(context, source.TextColumns(parse.GetValue(text), manifest.TextColumns),
                source.LabelColumn(parse.GetValue(label), manifest.LabelColumn), diagnostics, cancel);
            diagnostics.Report(new ProgressUpdate($"loading model {modelPath}"));
            var classifier = ModelFile.Load(modelPath);
            diagnostics.Report(new ProgressUpdate($"predicting {dataset.Count:N0} documents"));
            var metrics = ModelTrainer.Evaluate(classifier, dataset, parse.GetValue(threads), cancel).Metrics;
            diagnostics.EndLine();
            var unseen = metrics.Labels.Skip(classifier.Labels.Count).ToList();
            if (unseen.Count > 0) diagnostics.Warn($"labels the model never saw (always counted wrong): {string.Join(", ", unseen)}");

            var body = MetricsJson.Build(metrics);
            if (parse.GetValue(report) is { } folder)
                ReportWriter.Write(folder, metrics, body, new[] { ("model", modelPath), ("data", source.DisplayName), ("label column", dataset.LabelColumn) });
            if (parse.GetValue(json)) context.Out.WriteLine(MetricsJson.Serialize(body));
            else
            {
                context.Out.WriteLine($"Evaluation of {modelPath} on {source.DisplayName} (label '{dataset.LabelColumn}', text {string.Join(",", dataset.TextColumns)}):");
                context.Out.WriteLine();
                context.Out.Write(MetricsText.Render(metrics));
            }
            return ExitCodes.Success;
        })));
        return command;
    }
}
