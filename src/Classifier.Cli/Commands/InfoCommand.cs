using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Classifier.Cli.Options;
using Classifier.Cli.Output;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Cli.Commands;

/// <summary>`classifier info`: what a model file holds, read from its manifest without loading the model.</summary>
public static class InfoCommand
{
    private static string Size(long bytes) => bytes >= 1_000_000
        ? (bytes / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture)
        : (bytes / 1e3).ToString("0 KB", CultureInfo.InvariantCulture);

    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model(required: true);
        var json = CommonOptions.Json();
        var command = new Command("info", "Describe a saved model: labels, columns, settings, holdout metrics, provenance");
        command.Options.Add(model);
        command.Options.Add(json);
        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var path = parse.GetValue(model)!;
            var m = ModelFile.ReadManifest(path);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(m, JsonDefaults.Compact));
                return ExitCodes.Success;
            }
            var o = context.Out;
            var f = m.Featurizer;
            var t = m.Trainer;
            o.WriteLine($"model            {path}");
            o.WriteLine($"task             {m.Task}");
            o.WriteLine($"created          {m.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC by classifier {m.ToolVersion} (ML.NET {m.MlNetVersion}), manifest schema {m.SchemaVersion}");
            o.WriteLine($"training data    {m.Data.Source} (sha256 {m.Data.Sha256})");
            o.WriteLine($"rows             {m.Data.Rows:N0} read, {m.Data.SkippedRows:N0} skipped, {m.Data.TrainRows:N0} trained on, {m.Data.TestRows:N0} held out");
            o.WriteLine($"text columns     {string.Join(",", m.TextColumns)}");
            o.WriteLine($"label column     {m.LabelColumn}");
            o.WriteLine($"featurizer       word n-grams 1-{f.WordNgrams}, char n-grams {(f.CharNgramsEnabled ? $"{f.CharNgramMin}-{f.CharNgramMax}" : "off")}, " +
                        $"{ModelingOptions.WeightingName(f.Weighting)}{(f.SublinearTf ? " (sublinear tf)" : "")}, stop words {(f.RemoveStopWords ? "removed" : "kept")}, " +
                        $"min df {(f.MinDocumentFrequency == 0 ? "auto" : f.MinDocumentFrequency)}, max features {(f.MaxFeatures == 0 ? "unbounded" : f.MaxFeatures)}, " +
                        $"places {(f.Places ? $"on (weight {f.PlaceWeight.ToString(CultureInfo.InvariantCulture)}, gazetteer {f.Gazetteer ?? "unrecorded"})" : "off")}; {m.FeatureCount:N0} features");
            var regularisation = t.Trainer == TrainerKind.Svm ? $"c {t.C.ToString(CultureInfo.InvariantCulture)}" : $"l2 {t.L2.ToString(CultureInfo.InvariantCulture)}";
            if (t.ClassWeight != ClassWeighting.None) regularisation += $", class weight {t.ClassWeight.Name()}";
            o.WriteLine($"trainer          {t.Trainer.Name()}, {regularisation}, iterations {(t.Iterations == 0 ? "default" : t.Iterations)}, seed {t.Seed}, threads {(t.Threads == 0 ? "all" : t.Threads)}; {m.TrainSeconds:F1} s");
            if (m.Tune is { } tune)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"tuned            by classifier tune: {tune.Metric} {tune.CvScore:F4} ± {tune.CvStd:F4} ({tune.Folds}-fold CV), kept from {tune.Trials} trials"));
            if (m.Compact is { } c)
            {
                var pruned = c.KeptFeatures < c.TrainedFeatures
                    ? $"{c.KeptFeatures:N0} of {c.TrainedFeatures:N0} features kept (feature budget {c.FeatureBudget:N0})"
                    : $"all {c.KeptFeatures:N0} features kept (feature budget {(c.FeatureBudget == 0 ? "none" : c.FeatureBudget.ToString("N0", CultureInfo.InvariantCulture))})";
                o.WriteLine($"model layout     {pruned}, weights {c.Weights}{(c.MlNetExport ? ", with an ML.NET export" : "")}; file {Size(new FileInfo(path).Length)}");
            }
            if (m.Holdout is { } h)
                o.WriteLine($"holdout metrics  accuracy {MetricsText.F(h.Accuracy)}, macro F1 {MetricsText.F(h.MacroF1)}, macro precision {MetricsText.F(h.MacroPrecision)}, " +
                            $"macro recall {MetricsText.F(h.MacroRecall)}, log-loss {MetricsText.F(h.LogLoss)}, top-2 accuracy {MetricsText.F(h.Top2Accuracy)} on {h.Examples:N0} documents");
            else if (m.MultiLabel?.Holdout is { } mh)
                o.WriteLine($"holdout metrics  micro F1 {MetricsText.F(mh.MicroF1)}, macro F1 {MetricsText.F(mh.MacroF1)}, exact match {MetricsText.F(mh.ExactMatch)}, " +
                            $"Hamming loss {MetricsText.F(mh.HammingLoss)} on {mh.Examples:N0} documents");
            else o.WriteLine("holdout metrics  none (trained on every document)");
            if (m.LabelMap is not null) o.WriteLine($"label map        {m.LabelMap}");
            if (m.MultiLabel is { } ml)
            {
                o.WriteLine($"multi-label      separator '{ml.Separator}', labels per document {ml.MinLabels} to {(ml.MaxLabels == 0 ? "any" : ml.MaxLabels)}, " +
                            $"probability = sigmoid({ml.CalibrationA.ToString("0.###", CultureInfo.InvariantCulture)} x margin + {ml.CalibrationB.ToString("0.###", CultureInfo.InvariantCulture)})");
                if (ml.Excluded.Count > 0)
                    o.WriteLine($"left out         {ml.Excluded.Count} labels with fewer than {ml.MinLabelCount} training documents: {string.Join(", ", ml.Excluded.Select(e => $"{e.Label} ({e.Count})"))}");
            }
            o.WriteLine();
            var table = m.MultiLabel is null ? new TextTable("label", "training documents") : new TextTable("label", "training documents", "threshold");
            for (int i = 0; i < m.Labels.Count; i++)
            {
                var count = m.Labels[i].Count.ToString("N0", CultureInfo.InvariantCulture);
                if (m.MultiLabel is { } settings) table.Add(m.Labels[i].Label, count, settings.Thresholds[i].ToString("0.000", CultureInfo.InvariantCulture));
                else table.Add(m.Labels[i].Label, count);
            }
            o.Write(table);
            return ExitCodes.Success;
        })));
        return command;
    }
}
