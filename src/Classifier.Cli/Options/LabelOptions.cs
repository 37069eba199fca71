using System.CommandLine;
using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Training;

namespace Classifier.Cli.Options;

/// <summary>Options that say how label cells become labels: multi-label mode and label maps.</summary>
public sealed class LabelOptions
{
    private static readonly MultiLabelOptions M = new();

    public Option<bool> MultiLabel { get; } = new("--multi-label")
    {
        Description = $"The label column holds several labels per document, separated by --label-separator",
    };
    public Option<string?> Separator { get; } = new("--label-separator")
    {
        Description = $"Separator of labels in a multi-label cell; giving it turns on --multi-label [default: {MultiLabelOptions.DefaultSeparator}]",
    };
    public Option<int> MinLabels { get; } = new("--min-labels")
    {
        Description = "Multi-label: fewest labels per document (the most probable); -1 = 1 if every training document has a label, else 0",
        DefaultValueFactory = _ => M.MinLabels,
    };
    public Option<int> MaxLabels { get; } = new("--max-labels")
    {
        Description = "Multi-label: most labels per document; 0 = no cap",
        DefaultValueFactory = _ => M.MaxLabels,
    };
    public Option<int> MinLabelCount { get; } = new("--min-label-count")
    {
        Description = "Multi-label: labels with fewer training documents are reported and left out",
        DefaultValueFactory = _ => M.MinLabelCount,
    };
    public Option<double> MinValidationF1 { get; } = new("--min-validation-f1")
    {
        Description = $"Multi-label: a label whose best out-of-fold F1 is below this gets threshold {MultiLabelOptions.ConservativeThreshold} instead of its tuned one",
        DefaultValueFactory = _ => M.MinValidationF1,
    };
    public Option<bool> DropEmpty { get; } = new("--drop-empty")
    {
        Description = "Multi-label: drop documents with no label instead of keeping them as negatives for every label",
    };
    public Option<string?> LabelMap { get; } = new("--label-map")
    {
        Description = "Two-column CSV (from,to) mapping raw labels to the labels to learn; unmapped labels are reported and left out",
    };

    public void AddTo(Command command, bool training)
    {
        command.Options.Add(MultiLabel);
        command.Options.Add(Separator);
        if (training)
        {
            command.Options.Add(MinLabels);
            command.Options.Add(MaxLabels);
            command.Options.Add(MinLabelCount);
            command.Options.Add(MinValidationF1);
        }
        command.Options.Add(DropEmpty);
        command.Options.Add(LabelMap);
    }

    public bool IsMultiLabel(ParseResult p) => p.GetValue(MultiLabel) || p.GetValue(Separator) is not null;

    /// <summary>The label spec; <paramref name="modelSeparator"/> turns on multi-label mode for a multi-label model.</summary>
    public LabelSpec Spec(ParseResult p, string? modelSeparator = null)
    {
        var map = p.GetValue(LabelMap) is { } path ? Core.Data.LabelMap.Load(path) : null;
        var multi = IsMultiLabel(p) || modelSeparator is not null;
        var separator = p.GetValue(Separator) ?? modelSeparator ?? MultiLabelOptions.DefaultSeparator;
        return new LabelSpec(multi ? separator : null, map, KeepEmpty: !p.GetValue(DropEmpty));
    }

    public MultiLabelOptions MultiLabelSettings(ParseResult p)
    {
        var options = new MultiLabelOptions
        {
            Separator = p.GetValue(Separator) ?? MultiLabelOptions.DefaultSeparator,
            MinLabels = p.GetValue(MinLabels),
            MaxLabels = p.GetValue(MaxLabels),
            MinLabelCount = p.GetValue(MinLabelCount),
            MinValidationF1 = p.GetValue(MinValidationF1),
        };
        options.Validate();
        return options;
    }

    public static void ReportUnmapped(LabelSpec spec, Output.Diagnostics diagnostics)
    {
        if (spec.Map is not { Unmapped.Count: > 0 } map) return;
        var list = map.Unmapped.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var shown = string.Join(", ", list.Take(20).Select(kv => $"{kv.Key} ({kv.Value})"));
        diagnostics.Warn($"{list.Count} raw labels are not in the label map {map.Source} and were left out: {shown}{(list.Count > 20 ? ", ..." : "")}");
    }
}
