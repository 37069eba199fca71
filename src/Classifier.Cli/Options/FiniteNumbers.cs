using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Classifier.Cli.Options;

/// <summary>
/// "NaN", "Infinity" and numbers too large for their type ("1e400", or "1e39" for a float) parse as doubles and
/// floats, and then slip through range checks written as comparisons (NaN &lt;= 0 is false): `--c NaN` trained a model
/// that gave every class the same probability. <see cref="RequireIn"/> gives every such option of every verb a
/// validator when the command tree is built, so that no verb, and no option added later, can miss it.
/// </summary>
public static class FiniteNumbers
{
    /// <summary>Adds the validator to every double and float option of <paramref name="command"/> and its subcommands.</summary>
    public static void RequireIn(Command command)
    {
        foreach (var option in command.Options)
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            if (type == typeof(double)) option.Validators.Add(r => Check(r, single: false));
            else if (type == typeof(float)) option.Validators.Add(r => Check(r, single: true));
        }
        foreach (var sub in command.Subcommands) RequireIn(sub);
    }

    /// <summary>One line, naming the option; System.CommandLine reports it as a usage error (exit 2), before any work.</summary>
    public static string Message(string option, string token) => $"{option} takes a finite number, not '{token}'";

    private static void Check(OptionResult result, bool single)
    {
        foreach (var token in result.Tokens)
        {
            // The same parse as System.CommandLine's own (current culture); a token it cannot parse gets its error instead.
            var infinite = single
                ? float.TryParse(token.Value, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.CurrentCulture, out var f) && !float.IsFinite(f)
                : double.TryParse(token.Value, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.CurrentCulture, out var d) && !double.IsFinite(d);
            if (infinite) result.AddError(Message(result.Option.Name, token.Value));
        }
    }
}
