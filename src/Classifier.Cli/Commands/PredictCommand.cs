using System.CommandLine;
using System.Globalization;
using System.Text;
using Classifier.Cli.Options;
using Classifier.Cli.Output;
using Classifier.Core;
using Classifier.Core.Models;

namespace Classifier.Cli.Commands;

/// <summary>`classifier predict`: label a few documents typed at the terminal, read from a file, or piped in.</summary>
public static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model(required: true);
        var texts = new Argument<string[]>("TEXT") { Description = "Documents to label, one per argument; '-' reads one document from stdin", Arity = ArgumentArity.ZeroOrMore };
        var file = new Option<string[]>("--file", "-f") { Description = "Read a whole file as one document (repeatable)", AllowMultipleArgumentsPerToken = false };
        var top = new Option<int>("--top") { Description = "How many labels to list with their probabilities", DefaultValueFactory = _ => 3 };
        var minScore = CommonOptions.MinScore();
        var json = CommonOptions.Json();
        var command = new Command("predict", "Label one or more documents with a saved model");
        command.Arguments.Add(texts);
        foreach (var o in new Option[] { model, file, top, minScore, json }) command.Options.Add(o);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var n = parse.GetValue(top);
            if (n < 1) throw new InputException("--top must be at least 1");
            var min = parse.GetValue(minScore);
            MinScore.Validate(min);
            var documents = new List<(string Name, string Text)>();
            var bad = 0;
            // The same rule as `score --bad-rows keep`: an empty text or one with invalid bytes is scored, said, and exits 3.
            void Add(string name, string where, string document, bool invalid)
            {
                documents.Add((name, document));
                if (invalid) context.Error.WriteLine($"warning: {where}: {"invalid UTF-8 bytes"} (scored with the bytes replaced)");
                else if (string.IsNullOrWhiteSpace(document)) context.Error.WriteLine($"warning: {where}: empty text (scored from the model's biases alone)");
                else return;
                bad++;
            }
            var position = 0;
            foreach (var t in parse.GetValue(texts) ?? Array.Empty<string>())
            {
                position++;
                if (t == "-") Add("stdin", "stdin", DocumentInput.ReadStdin(context, out var invalid), invalid);
                else Add(Shorten(t), $"TEXT argument {position}", t, false);
            }
            foreach (var f in parse.GetValue(file) ?? Array.Empty<string>())
                Add(f, f, DocumentInput.ReadFile(f, out var invalid), invalid);
            if (documents.Count == 0) throw new InputException("give at least one TEXT argument, --file PATH, or '-' to read stdin");
            var loading = System.Diagnostics.Stopwatch.StartNew();
            var classifier = ModelPreload.Load(context.Preload, parse.GetValue(model)!);
            if (classifier.Featurizer.PlacesWarning is { } placesWarning) context.Error.WriteLine($"warning: {parse.GetValue(model)}: {placesWarning}");
            if (MinScore.Clash(classifier.Labels, min) is { } clash) context.Error.WriteLine($"warning: {parse.GetValue(model)}: {clash}");
            var session = classifier.CreateSession();
            if (CommonOptions.IsVerbose(parse))
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {parse.GetValue(model)} in {loading.Elapsed.TotalSeconds:F3} s ({classifier.Featurizer.Dimension:N0} features)"));
            foreach (var (name, text) in documents)
            {
                cancel.ThrowIfCancellationRequested();
                var probabilities = session.Predict(text);
                var order = Ranking.ByFallingScore(probabilities);
                var shown = Math.Min(n, order.Length);
                var unknown = MinScore.IsBelow(probabilities, min);
                if (classifier.IsMultiLabel || parse.GetValue(json))
                {
                    var ranked = Ranked(order, shown, probabilities, classifier.Labels);
                    if (classifier.IsMultiLabel)
                    {
                        var chosen = unknown ? [(MinScore.Unknown, ranked[0].Score)]
                            : classifier.SelectLabels(probabilities).Select(i => (Label: classifier.Labels[i], Score: (double)probabilities[i])).ToList();
                        WriteMultiLabel(context, parse.GetValue(json), name, chosen, ranked, classifier.Manifest.MultiLabel!.Separator);
                        continue;
                    }
                    context.Out.WriteLine(MetricsJson.Serialize(new Dictionary<string, object>
                    {
                        ["label"] = unknown ? MinScore.Unknown : ranked[0].Label,
                        ["score"] = Math.Round(ranked[0].Score, 6),
                        ["top"] = Pairs(ranked),
                    }));
                    continue;
                }
                // Below --min-score the first line says "unknown" with the top probability, and every ranked label
                // follows. Plain loops and strings here: LINQ over tuples is compiled afresh in each new process.
                context.Out.WriteLine((unknown ? MinScore.Unknown : classifier.Labels[order[0]]) + "\t" + Formatted(probabilities[order[0]]) + "\t" + name);
                for (int r = unknown ? 0 : 1; r < shown; r++)
                    context.Out.WriteLine("  " + classifier.Labels[order[r]] + "\t" + Formatted(probabilities[order[r]]));
            }
            return bad > 0 ? ExitCodes.BadRows : ExitCodes.Success;
        })));
        return command;
    }

    private static List<Dictionary<string, object>> Pairs(IEnumerable<(string Label, double Score)> items) =>
        items.Select(r => new Dictionary<string, object> { ["label"] = r.Label, ["score"] = Math.Round(r.Score, 6) }).ToList();

    /// <summary>Multi-label: the chosen set (possibly empty) with each label's own probability, then the top-N ranking.</summary>
    private static void WriteMultiLabel(CliContext context, bool json, string name, List<(string Label, double Score)> chosen,
        List<(string Label, double Score)> ranked, string separator)
    {
        if (json)
        {
            context.Out.WriteLine(MetricsJson.Serialize(new Dictionary<string, object> { ["labels"] = Pairs(chosen), ["top"] = Pairs(ranked) }));
            return;
        }
        var labels = chosen.Count == 0 ? "(none)" : string.Join(separator, chosen.Select(c => c.Label));
        var scores = string.Join(separator, chosen.Select(c => c.Score.ToString("0.0000", CultureInfo.InvariantCulture)));
        context.Out.WriteLine($"{labels}\t{scores}\t{name}");
    }

    /// <summary>The first <paramref name="count"/> labels of a ranking (<see cref="Ranking.ByFallingScore"/>) with their probabilities.</summary>
    private static List<(string Label, double Score)> Ranked(int[] order, int count, float[] probabilities, IReadOnlyList<string> labels)
    {
        var ranked = new List<(string Label, double Score)>(count);
        for (int r = 0; r < count; r++) ranked.Add((labels[order[r]], probabilities[order[r]]));
        return ranked;
    }

    private static string Formatted(double probability) => probability.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }
}
