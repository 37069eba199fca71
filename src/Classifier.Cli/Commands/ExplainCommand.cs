using System.CommandLine;
using System.Globalization;
using System.Text;
using Classifier.Cli.Options;
using Classifier.Cli.Output;
using Classifier.Core;
using Classifier.Core.Explain;
using Classifier.Core.Models;

namespace Classifier.Cli.Commands;

/// <summary>`classifier explain`: which terms decide one document's label, or which terms each class rests on.</summary>
public static class ExplainCommand
{
    public const int DefaultDocumentTop = 10;
    public const int DefaultClassTop = 20;

    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model(required: true);
        var text = new Argument<string?>("TEXT") { Description = "The document to explain; '-' reads it from stdin", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f") { Description = "Read the document from this file" };
        var classes = new Option<bool>("--classes") { Description = "List the top terms of every class instead of explaining a document" };
        var top = new Option<int?>("--top") { Description = $"How many terms to list [default: {DefaultDocumentTop} for a document, {DefaultClassTop} per class with --classes]" };
        var terms = new Option<string>("--terms")
        {
            Description = "Which n-grams to list: words (word n-grams), chars (character n-grams such as '[ goa]') or all",
            DefaultValueFactory = _ => "words",
        };
        var json = CommonOptions.Json();
        var command = new Command("explain", "Show the terms behind a linear model's prediction for a document, or each class's top terms");
        command.Arguments.Add(text);
        foreach (var o in new Option[] { model, file, classes, top, terms, json }) command.Options.Add(o);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var perClass = parse.GetValue(classes);
            var given = parse.GetValue(text);
            var path = parse.GetValue(file);
            if (perClass && (given is not null || path is not null)) throw new InputException("--classes explains the model, not a document: drop TEXT and --file");
            if (given is not null && path is not null) throw new InputException("give either TEXT or --file PATH, not both");
            if (!perClass && given is null && path is null) throw new InputException("give a document as TEXT, --file PATH or '-' (stdin), or use --classes");
            var n = parse.GetValue(top) ?? (perClass ? DefaultClassTop : DefaultDocumentTop);
            if (n < 1) throw new InputException("--top must be at least 1");
            var filter = ParseFilter(parse.GetValue(terms)!);
            var document = path is not null ? DocumentInput.ReadFile(path) : given == "-" ? DocumentInput.ReadStdin(context) : given;

            var classifier = ModelFile.Load(parse.GetValue(model)!);
            if (classifier.Featurizer.PlacesWarning is { } placesWarning) context.Error.WriteLine($"warning: {parse.GetValue(model)}: {placesWarning}");
            var explainer = ModelExplainer.For(classifier);
            cancel.ThrowIfCancellationRequested();
            var asJson = parse.GetValue(json);
            if (perClass)
            {
                var list = explainer.TopTerms(n, filter);
                context.Out.Write(asJson ? MetricsJson.Serialize(ClassesJson(list, filter, explainer.CentredWeights)) + "\n" : ClassesText(list, explainer.CentredWeights));
            }
            else
            {
                var e = explainer.Explain(document!, n, filter);
                context.Out.Write(asJson ? MetricsJson.Serialize(DocumentJson(e, filter)) + "\n" : DocumentText(e));
            }
            return ExitCodes.Success;
        })));
        return command;
    }

    internal static TermFilter ParseFilter(string value) => value.Trim().ToLowerInvariant() switch
    {
        "words" or "word" => TermFilter.Words,
        "chars" or "char" => TermFilter.Chars,
        "all" => TermFilter.All,
        _ => throw new InputException($"--terms takes words, chars or all, not '{value}'"),
    };

    private static string S(double v) => v.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);

    /// <summary>Four decimals, but a tiny runner-up probability in scientific notation rather than as 0.0000.</summary>
    private static string P(double p) => p is > 0 and < 1e-4 ? p.ToString("0.0e+0", CultureInfo.InvariantCulture) : MetricsText.F(p);

    private static string Kind(bool isWord, bool isPlace = false) => isPlace ? "place" : isWord ? "word" : "char";

    public static string DocumentText(DocumentExplanation e)
    {
        var sb = new StringBuilder();
        sb.Append($"Predicted {e.Label} (p = {P(e.Probability)}); runner-up {e.RunnerUp} (p = {P(e.RunnerUpProbability)}).\n");
        if (e.KnownFeatures == 0)
            return sb.Append("The text shares no n-gram with the training data: the prediction rests on the class biases alone.\n").ToString();
        sb.Append($"Contribution = feature value x (weight for {e.Label} - weight for {e.RunnerUp}).\n\n");
        Terms(sb, $"Terms pushing towards {e.Label}:", e.Towards);
        Terms(sb, $"Terms pushing towards {e.RunnerUp} instead:", e.Away);
        PlacesFound(sb, e);
        var what = e.IsLogOdds ? $"ln(p({e.Label}) / p({e.RunnerUp}))" : $"score lead of {e.Label} over {e.RunnerUp}";
        var places = e.Places.Count > 0 || e.PlaceTotal != 0 ? $", places and clues {S(e.PlaceTotal)}" : "";
        sb.Append($"{what} = {S(e.Margin)}: word n-grams {S(e.WordTotal)}, character n-grams {S(e.CharTotal)}{places}, bias {S(e.Bias)}.\n");
        if (e.NoClue)
            sb.Append("The text names no place and no clue: a region model gives it the label distribution of its training data, " +
                      "with a tenth of its own probabilities (see README, \"Places\").\n");
        return sb.ToString();
    }

    private static void Terms(StringBuilder sb, string title, IReadOnlyList<TermContribution> terms)
    {
        sb.Append(title).Append('\n');
        if (terms.Count == 0) { sb.Append("  (none)\n\n"); return; }
        var table = new TextTable("term", "kind", "value", "contribution");
        foreach (var t in terms) table.Add(t.Term, Kind(t.IsWord, t.IsPlace), t.Value.ToString("0.0000", CultureInfo.InvariantCulture), S(t.Contribution));
        sb.Append(table).Append('\n');
    }

    /// <summary>The places and clues behind the place features, as `classifier places` lists them.</summary>
    private static void PlacesFound(StringBuilder sb, DocumentExplanation e)
    {
        if (e.Places.Count == 0) return;
        sb.Append("Places and clues in the text:\n");
        var table = new TextTable("name", "kind", "country", "area", "weight");
        foreach (var m in e.Places)
            table.Add(m.Text.ReplaceLineEndings(" "), m.Kind.ToString().ToLowerInvariant(), $"{m.Country.Name} ({m.Country.Code})", m.Country.Area,
                m.Weight.ToString(CultureInfo.InvariantCulture));
        sb.Append(table).Append('\n');
    }

    public static string ClassesText(IReadOnlyList<ClassTerms> classes, bool centred)
    {
        var sb = new StringBuilder(centred ? "Weights are relative to the term's mean weight over all classes.\n\n" : "Weights are each label's own (labels are scored independently).\n\n");
        foreach (var c in classes)
        {
            foreach (var (side, list) in new[] { ("for", c.For), ("against", c.Against) })
            {
                var table = new TextTable($"{c.Label}: terms {side}", "kind", "weight");
                foreach (var t in list) table.Add(t.Term, Kind(t.IsWord, t.IsPlace), S(t.Weight));
                if (list.Count == 0) table.Add("(none)", "", "");
                sb.Append(table).Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string FilterName(TermFilter f) => f switch { TermFilter.Chars => "chars", TermFilter.All => "all", _ => "words" };

    private static Dictionary<string, object> Term(TermWeight t) =>
        new() { ["term"] = t.Term, ["kind"] = Kind(t.IsWord, t.IsPlace), ["weight"] = Math.Round(t.Weight, 6) };

    private static Dictionary<string, object> Term(TermContribution t) =>
        new() { ["term"] = t.Term, ["kind"] = Kind(t.IsWord, t.IsPlace), ["value"] = Math.Round(t.Value, 6), ["contribution"] = Math.Round(t.Contribution, 6) };

    public static Dictionary<string, object> ClassesJson(IReadOnlyList<ClassTerms> classes, TermFilter filter, bool centred) => new()
    {
        ["terms"] = FilterName(filter),
        ["weights_centred"] = centred,
        ["classes"] = classes.Select(c => new Dictionary<string, object>
        {
            ["label"] = c.Label,
            ["for"] = c.For.Select(Term).ToList(),
            ["against"] = c.Against.Select(Term).ToList(),
        }).ToList(),
    };

    public static Dictionary<string, object> DocumentJson(DocumentExplanation e, TermFilter filter) => new()
    {
        ["label"] = e.Label,
        ["probability"] = Math.Round(e.Probability, 6),
        ["runner_up"] = e.RunnerUp,
        ["runner_up_probability"] = Math.Round(e.RunnerUpProbability, 6),
        ["terms"] = FilterName(filter),
        ["towards"] = e.Towards.Select(Term).ToList(),
        ["away"] = e.Away.Select(Term).ToList(),
        ["margin"] = Math.Round(e.Margin, 6),
        ["margin_is_log_odds"] = e.IsLogOdds,
        ["word_total"] = Math.Round(e.WordTotal, 6),
        ["char_total"] = Math.Round(e.CharTotal, 6),
        ["place_total"] = Math.Round(e.PlaceTotal, 6),
        ["places"] = e.Places.Select(m => new Dictionary<string, object>
        {
            ["text"] = m.Text, ["kind"] = m.Kind.ToString().ToLowerInvariant(), ["country_code"] = m.Country.Code, ["area"] = m.Country.Area, ["weight"] = m.Weight,
        }).ToList(),
        ["no_clue"] = e.NoClue,
        ["bias"] = Math.Round(e.Bias, 6),
        ["known_features"] = e.KnownFeatures,
    };
}
