using System.CommandLine;
using System.Globalization;
using System.Text;
using Classifier.Cli.Options;
using Classifier.Cli.Output;
using Classifier.Core;
using Classifier.Core.Features.Places;

namespace Classifier.Cli.Commands;

/// <summary>`classifier places`: the places and clues the built-in gazetteer recognises in a document, so a user can see what --places adds.</summary>
public static class PlacesCommand
{
    public static Command Create(CliContext context)
    {
        var text = new Argument<string?>("TEXT") { Description = "The document; '-' reads it from stdin", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f") { Description = "Read the document from this file" };
        var json = CommonOptions.Json();
        var command = new Command("places", "List the places a document names, and the clues (currencies, central banks and regulators, exchanges, legislatures) that belong to a country, with their country, UN M49 subregion and region, and default region (the features of --places). " +
            "Offsets ('at', 'start') count characters of the text after Unicode NFKC normalisation: the input's own, unless it holds compatibility characters such as full-width letters or ligatures");
        command.Arguments.Add(text);
        foreach (var o in new Option[] { file, json }) command.Options.Add(o);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var given = parse.GetValue(text);
            var path = parse.GetValue(file);
            if (given is not null && path is not null) throw new InputException("give either TEXT or --file PATH, not both");
            if (given is null && path is null) throw new InputException("give a document as TEXT, --file PATH or '-' (stdin)");
            var document = path is not null ? DocumentInput.ReadFile(path) : given == "-" ? DocumentInput.ReadStdin(context) : given!;
            var mentions = new PlaceMatcher(Gazetteer.Default).Match(document);
            context.Out.Write(parse.GetValue(json) ? MetricsJson.Serialize(Json(mentions)) + "\n" : Text(mentions));
            return ExitCodes.Success;
        })));
        return command;
    }

    private static string Kind(PlaceKind k) => k.ToString().ToLowerInvariant();

    /// <summary>Weight by country, largest first: what the place features of the document add up to.</summary>
    private static List<(Country Country, int Weight)> ByCountry(List<PlaceMention> mentions) =>
        mentions.GroupBy(m => m.Country).Select(g => (g.Key, g.Sum(m => m.Weight)))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key.Code, StringComparer.Ordinal).ToList();

    private static string Text(List<PlaceMention> mentions)
    {
        if (mentions.Count == 0) return "No places or clues recognised.\n";
        var table = new TextTable("place", "at", "kind", "country", "subregion", "region", "area", "weight");
        foreach (var m in mentions)
            table.Add(m.Text.ReplaceLineEndings(" "), m.Start.ToString(CultureInfo.InvariantCulture), Kind(m.Kind), $"{m.Country.Name} ({m.Country.Code})",
                m.Country.Subregion, m.Country.Region, m.Country.Area, m.Weight.ToString(CultureInfo.InvariantCulture));
        var sb = new StringBuilder(table.ToString());
        sb.Append('\n').Append("By country: ")
            .Append(string.Join(", ", ByCountry(mentions).Select(x => $"{x.Country.Name} {x.Weight}")))
            .Append($" (title mentions count {PlaceMatcher.TitleWeight}, the next 300 characters {PlaceMatcher.OpeningWeight}, the rest {PlaceMatcher.BodyWeight}).\n");
        return sb.ToString();
    }

    private static Dictionary<string, object?> Json(List<PlaceMention> mentions) => new()
    {
        ["places"] = mentions.Select(m => new Dictionary<string, object?>
        {
            ["text"] = m.Text, ["start"] = m.Start, ["length"] = m.Length, ["kind"] = Kind(m.Kind),
            ["country_code"] = m.Country.Code, ["country"] = m.Country.Name, ["subregion"] = m.Country.Subregion,
            ["region"] = m.Country.Region, ["area"] = m.Country.Area, ["weight"] = m.Weight,
        }).ToList(),
        ["countries"] = ByCountry(mentions).Select(x => new Dictionary<string, object?> { ["country_code"] = x.Country.Code, ["country"] = x.Country.Name, ["weight"] = x.Weight }).ToList(),
    };
}
