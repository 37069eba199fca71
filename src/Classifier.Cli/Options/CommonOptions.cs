using System.CommandLine;

namespace Classifier.Cli.Options;

/// <summary>Options shared by several verbs. Each is a new instance per command, as System.CommandLine requires.</summary>
public static class CommonOptions
{
    public const string VerboseName = "--verbose";

    /// <summary>Global: every verb reads it by name, so each command tree gets its own instance.</summary>
    public static Option<bool> Verbose() => new(VerboseName)
    {
        Description = "Show stack traces and extra detail on errors",
        Recursive = true,
    };

    public static bool IsVerbose(ParseResult parse) => parse.GetValue<bool>(VerboseName);

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on stdout instead of text" };

    /// <summary>--min-score P on predict and score (see <see cref="Core.Models.MinScore"/>).</summary>
    public static Option<double?> MinScore() => new("--min-score")
    {
        Description = $"Label a document '{Core.Models.MinScore.Unknown}' when its most probable label's probability is below this (0 to 1); " +
                      "the probabilities are still reported [default: none]",
    };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress or warnings on stderr; errors still show" };

    public static Option<int> Seed() => new("--seed")
    {
        Description = "Random seed for splits and training",
        DefaultValueFactory = _ => new Core.Training.TrainerOptions().Seed,
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = $"Worker threads; 0 = all cores. A larger value than {Core.ThreadCount.PerCore} x the cores ({Core.ThreadCount.Max} here) is lowered to that. " +
            "With more than one thread, training with " +
            string.Join(", ", Core.Training.TrainerKinds.All.Where(Core.Training.TrainerKinds.NondeterministicWithThreads).Select(Core.Training.TrainerKinds.Name)) +
            " can give different models from run to run; --threads 1 with --seed makes every trainer reproducible (see README, Reproducibility)",
        DefaultValueFactory = _ => 0,
        CustomParser = ParseThreads,
    };

    /// <summary>
    /// Lowers a count above <see cref="Core.ThreadCount.Max"/> here, once, so that the trainers, the scorers and the
    /// manifest all see the threads actually used; a negative count is a usage error for every verb alike.
    /// </summary>
    private static int ParseThreads(System.CommandLine.Parsing.ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return 0;
        var token = result.Tokens[^1].Value;
        if (!int.TryParse(token, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            // Past int's range is still a thread count, just a large one.
            if (System.Numerics.BigInteger.TryParse(token, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var big) && big > 0)
                return Core.ThreadCount.Max;
            result.AddError($"--threads takes a whole number, 0 (all cores) or more, not '{token}'");
            return 0;
        }
        if (n < 0) result.AddError($"--threads must be 0 (all cores) or more (got {n})");
        return Math.Min(n, Core.ThreadCount.Max);
    }

    public static Option<string> Model(bool required) => new("--model", "-m")
    {
        Description = required ? "Model file (.zip) written by 'classifier train'" : "Where to write the model [default: models/<label>.zip]",
        Required = required,
    };

    public static Option<string?> Report() => new("--report")
    {
        Description = "Also write metrics.json, metrics.md and report.html (charts, top terms, mistakes) into this folder",
    };

    public static Option<string?> Text() => new("--text")
    {
        Description = "Text column(s), comma-separated [default: text; title,text on the embedded corpus; the model's columns when applying a model]",
    };

    public static Option<string?> Label() => new("--label")
    {
        Description = "Label column to learn [default: label; topic on the embedded corpus, which also has region]",
    };

    public static Option<Core.Data.DataFormat> Format() => new("--format")
    {
        Description = "Input format: auto (from the extension), csv, tsv, jsonl, fasttext, txt, dir or parquet",
        DefaultValueFactory = _ => Core.Data.DataFormat.Auto,
    };
}
