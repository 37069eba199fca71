using System.Text.Json;
using Classifier.Core.Evaluation;
using Classifier.Core.Models;

namespace Classifier.Cli.Output;

/// <summary>The documented --json shape of train and evaluate results.</summary>
public static class MetricsJson
{
    public static Dictionary<string, object?> Build(MulticlassMetrics m, double? trainSeconds = null)
    {
        var json = new Dictionary<string, object?>
        {
            ["task"] = "multiclass",
            ["examples"] = m.Examples,
            ["accuracy"] = Round(m.Accuracy),
            ["macro_precision"] = Round(m.MacroPrecision),
            ["macro_recall"] = Round(m.MacroRecall),
            ["macro_f1"] = Round(m.MacroF1),
            ["micro_f1"] = Round(m.MicroF1),
            ["log_loss"] = Round(m.LogLoss),
            ["top2_accuracy"] = Round(m.Top2Accuracy),
            ["per_class"] = m.PerClass.Select(c => new Dictionary<string, object>
            {
                ["label"] = c.Label,
                ["precision"] = Round(c.Precision),
                ["recall"] = Round(c.Recall),
                ["f1"] = Round(c.F1),
                ["support"] = c.Support,
            }).ToList(),
            ["confusion"] = new Dictionary<string, object> { ["labels"] = m.Labels, ["matrix"] = m.Confusion },
        };
        if (trainSeconds is not null) json["train_seconds"] = Math.Round(trainSeconds.Value, 2);
        return json;
    }

    public static string Serialize(object value, bool indented = false) =>
        JsonSerializer.Serialize(value, indented ? JsonDefaults.Options : JsonDefaults.Compact);

    private static double Round(double v) => Math.Round(v, 6);
}
