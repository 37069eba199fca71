using System.CommandLine;
using System.Globalization;
using Classifier.Cli.Options;
using Classifier.Cli.Output;
using Classifier.Core;
using Classifier.Core.Training;

namespace Classifier.Cli.Commands;

/// <summary>`classifier cross-validate`: k stratified folds, each trained and scored, then mean and spread.</summary>
public static class CrossValidateCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string?>("--data", "-d") { Description = "Labelled data [default: the embedded news corpus]" };
        var format = CommonOptions.Format();
        var text = CommonOptions.Text();
        var label = CommonOptions.Label();
        var folds = new Option<int>("--folds", "-k") { Description = "Number of folds", DefaultValueFactory = _ => 5 };
        var modeling = new ModelingOptions();
        var labels = new LabelOptions();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var report = CommonOptions.Report();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("cross-validate", "Estimate accuracy by stratified k-fold cross-validation");
        foreach (var o in new Option[] { data, format, text, label, folds }) command.Options.Add(o);
        labels.AddTo(command, training: true);
        modeling.AddTo(command);
        foreach (var o in new Option[] { seed, threads, report, json, quiet }) command.Options.Add(o);
        var badRowOptions = new BadRowOptions(scoring: false);
        badRowOptions.AddTo(command);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var diagnostics = new Diagnostics(context, parse.GetValue(quiet));
            var source = new DataSource(parse.GetValue(data), parse.GetValue(format));
            if (source.Path is not null) TrainCommand.EnsureExists(source.Path);
            ReportWriter.EnsureWritable(parse.GetValue(report));
            var spec = labels.Spec(parse);
            var request = new TrainingRequest
            {
                Data = Core.Data.LabeledDataset.Of([]),
                Featurizer = modeling.Featurizer(parse, placesByDefault: EmbeddedCorpus.IsRegionLabel(source, source.LabelColumn(parse.GetValue(label)))),
                Trainer = modeling.TrainerSettings(parse, parse.GetValue(seed), parse.GetValue(threads)),
                MultiLabel = spec.MultiLabel ? labels.MultiLabelSettings(parse) : null,
                Evaluation = EvaluationPlan.Folds(parse.GetValue(folds)),
            };
            request.Check();
            using var badRows = badRowOptions.Start(parse, diagnostics, cancel, source.Path);
            diagnostics.Report(new ProgressUpdate($"reading {source.DisplayName}"));
            var all = source.Load(context, source.TextColumns(parse.GetValue(text)), source.LabelColumn(parse.GetValue(label)), diagnostics, badRows.Ledger, cancel, spec);
            var result = TrainingWorkflow.Run(request with { Data = all, SourceName = source.DisplayName }, diagnostics, cancel);
            if (result.MultiLabelFolds is { } multi)
            {
                diagnostics.EndLine();
                return badRows.Exit(MultiLabel(context, parse.GetValue(json), all, multi, request.Trainer, source));
            }
            var folded = result.Folds!;
            var body = Json(folded, all.SkippedRows);
            if (parse.GetValue(report) is { } folder) WriteReport(folder, body, folded, all, source, request.Featurizer, request.Trainer, diagnostics, cancel);
            diagnostics.EndLine();
            if (parse.GetValue(json)) context.Out.WriteLine(MetricsJson.Serialize(body));
            else Text(context.Out, folded, all, source, request.Trainer);
            return badRows.Exit(ExitCodes.Success);
        })));
        return command;
    }

    private static Dictionary<string, object?> Json(CrossValidation.Result result, int skippedRows) => new()
    {
        ["task"] = "multiclass",
        ["folds"] = result.Folds.Select((f, i) => new Dictionary<string, object>
        {
            ["fold"] = i + 1, ["examples"] = f.Examples, ["accuracy"] = Math.Round(f.Accuracy, 6), ["macro_f1"] = Math.Round(f.MacroF1, 6),
            ["log_loss"] = Math.Round(f.LogLoss, 6), ["train_seconds"] = Math.Round(result.TrainSeconds[i], 2),
        }).ToList(),
        ["accuracy_mean"] = Math.Round(result.Accuracy.Mean, 6),
        ["accuracy_std"] = Math.Round(result.Accuracy.Std, 6),
        ["macro_f1_mean"] = Math.Round(result.MacroF1.Mean, 6),
        ["macro_f1_std"] = Math.Round(result.MacroF1.Std, 6),
        ["pooled"] = MetricsJson.Build(result.Pooled),
        ["skipped_rows"] = skippedRows,
    };

    private static void Text(TextWriter o, CrossValidation.Result result, Core.Data.LabeledDataset all, DataSource source, TrainerOptions trainer)
    {
        o.WriteLine($"{result.Folds.Count}-fold cross-validation of {trainer.Trainer.Name()} on {all.Count:N0} documents from {source.DisplayName} (label '{all.LabelColumn}', seed {trainer.Seed}):");
        o.WriteLine();
        var table = new TextTable("fold", "documents", "accuracy", "macro F1", "log-loss", "train s");
        for (int i = 0; i < result.Folds.Count; i++)
        {
            var f = result.Folds[i];
            table.Add((i + 1).ToString(CultureInfo.InvariantCulture), f.Examples.ToString(CultureInfo.InvariantCulture), MetricsText.F(f.Accuracy), MetricsText.F(f.MacroF1),
                MetricsText.F(f.LogLoss), result.TrainSeconds[i].ToString("0.0", CultureInfo.InvariantCulture));
        }
        o.Write(table);
        o.WriteLine();
        o.WriteLine($"accuracy  {MetricsText.F(result.Accuracy.Mean)} ± {MetricsText.F(result.Accuracy.Std)} (mean ± standard deviation over folds)");
        o.WriteLine($"macro F1  {MetricsText.F(result.MacroF1.Mean)} ± {MetricsText.F(result.MacroF1.Std)}");
        o.Write(EvaluationOutput.SkippedLine(all.SkippedRows, $"of {source.DisplayName}"));
    }

    /// <summary>
    /// --report: metrics.json (the --json object), metrics.md and report.html from the pooled predictions. Each fold
    /// has its own model, so the top terms come from one more fit on all the documents.
    /// </summary>
    private static void WriteReport(string folder, Dictionary<string, object?> body, CrossValidation.Result result, Core.Data.LabeledDataset all,
        DataSource source, Core.Features.FeaturizerOptions featurizer, TrainerOptions trainer, Diagnostics diagnostics, CancellationToken cancel)
    {
        var facts = new[]
        {
            ("data", source.DisplayName), ("label column", all.LabelColumn), ("text columns", string.Join(",", all.TextColumns)),
            ("folds", result.Folds.Count.ToString(CultureInfo.InvariantCulture)), ("documents", all.Count.ToString(CultureInfo.InvariantCulture)),
        };
        ReportWriter.WriteFiles(folder, body, ReportWriter.Markdown(result.Pooled, facts));
        Core.Models.ClassifierModel? model = null;
        if (trainer.Trainer is TrainerKind.Svm or TrainerKind.SdcaMaxent or TrainerKind.LbfgsMaxent)
        {
            diagnostics.Report(new ProgressUpdate($"fitting on all {all.Count:N0} documents for the report's top terms"));
            model = TrainingWorkflow.Run(new TrainingRequest { Data = all, Featurizer = featurizer, Trainer = trainer, SourceName = source.DisplayName }, null, cancel).Model;
        }
        HtmlReportFile.Write(folder, result.Pooled, facts, new HtmlReportInput
        {
            Verb = "cross-validate", Model = model, Settings = HtmlReportFile.Settings(featurizer, trainer),
            TopTermsNote = model is null
                ? $"Not available for the {trainer.Trainer.Name()} trainer: it has no per-term weights."
                : "From a model fitted on all the documents (each fold has its own).",
            Mistakes = Core.Explain.Mistakes.MostConfident(result.PooledRows.Select(r => all.Texts[r]).ToList(), result.PooledRows.Select(r => all.Labels[r]).ToList(),
                result.PooledProbabilities, result.Pooled.Labels, HtmlReport.MaxMistakes),
        });
    }

    private static int MultiLabel(CliContext context, bool json, Core.Data.LabeledDataset all, CrossValidation.MultiLabelResult result,
        TrainerOptions trainer, DataSource source)
    {
        var k = result.Folds.Count;
        if (json)
        {
            context.Out.WriteLine(MetricsJson.Serialize(new Dictionary<string, object>
            {
                ["task"] = "multilabel",
                ["folds"] = result.Folds.Select((f, i) => new Dictionary<string, object>
                {
                    ["fold"] = i + 1, ["examples"] = f.Examples, ["micro_f1"] = Math.Round(f.MicroF1, 6), ["macro_f1"] = Math.Round(f.MacroF1, 6),
                    ["exact_match"] = Math.Round(f.ExactMatch, 6), ["hamming_loss"] = Math.Round(f.HammingLoss, 6), ["train_seconds"] = Math.Round(result.TrainSeconds[i], 2),
                }).ToList(),
                ["micro_f1_mean"] = Math.Round(result.MicroF1.Mean, 6),
                ["micro_f1_std"] = Math.Round(result.MicroF1.Std, 6),
                ["macro_f1_mean"] = Math.Round(result.MacroF1.Mean, 6),
                ["macro_f1_std"] = Math.Round(result.MacroF1.Std, 6),
                ["exact_match_mean"] = Math.Round(result.ExactMatch.Mean, 6),
                ["skipped_rows"] = all.SkippedRows,
            }));
            return ExitCodes.Success;
        }
        context.Out.WriteLine($"{k}-fold cross-validation of multi-label svm on {all.Count:N0} documents from {source.DisplayName} (label '{all.LabelColumn}', seed {trainer.Seed}):");
        context.Out.WriteLine();
        var table = new TextTable("fold", "documents", "micro F1", "macro F1", "exact match", "train s");
        for (int i = 0; i < result.Folds.Count; i++)
        {
            var f = result.Folds[i];
            table.Add((i + 1).ToString(CultureInfo.InvariantCulture), f.Examples.ToString(CultureInfo.InvariantCulture), MetricsText.F(f.MicroF1), MetricsText.F(f.MacroF1),
                MetricsText.F(f.ExactMatch), result.TrainSeconds[i].ToString("0.0", CultureInfo.InvariantCulture));
        }
        context.Out.Write(table);
        context.Out.WriteLine();
        context.Out.WriteLine($"micro F1     {MetricsText.F(result.MicroF1.Mean)} ± {MetricsText.F(result.MicroF1.Std)} (mean ± standard deviation over folds)");
        context.Out.WriteLine($"macro F1     {MetricsText.F(result.MacroF1.Mean)} ± {MetricsText.F(result.MacroF1.Std)}");
        context.Out.WriteLine($"exact match  {MetricsText.F(result.ExactMatch.Mean)} ± {MetricsText.F(result.ExactMatch.Std)}");
        context.Out.Write(EvaluationOutput.SkippedLine(all.SkippedRows, $"of {source.DisplayName}"));
        return ExitCodes.Success;
    }
}
