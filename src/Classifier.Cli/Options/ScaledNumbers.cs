using System.Globalization;
using Classifier.Core;

namespace Classifier.Cli.Options;

/// <summary>A number with an optional unit after it ("90s", "4G"), as durations and sizes are written; one line when it is not one.</summary>
public static class ScaledNumbers
{
    /// <param name="units">Each unit's spellings (lower case) and what one of it counts; a number alone counts 1.</param>
    /// <param name="kind">What the option takes, for the error: "a duration such as 90s, 5m or 300 (seconds)".</param>
    /// <param name="max">The largest value allowed, in the units' count.</param>
    /// <param name="tooLarge">The error's word for a value above <paramref name="max"/>: "long", "large".</param>
    public static double Parse(string value, string option, IReadOnlyList<(string[] Spellings, double Scale)> units, string kind, double max, string tooLarge)
    {
        var v = value.Trim().ToLowerInvariant();
        var scale = 1.0;
        // Longest spellings first: "gib" before "b".
        foreach (var (spelling, s) in units.SelectMany(u => u.Spellings.Select(x => (x, u.Scale))).OrderByDescending(u => u.x.Length))
            if (v.Length > spelling.Length && v.EndsWith(spelling, StringComparison.Ordinal))
            {
                (v, scale) = (v[..^spelling.Length], s);
                break;
            }
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
            throw new InputException($"{option} takes {kind}, not '{value}'");
        if (n <= 0) throw new InputException($"{option} must be above 0 (got '{value}')");
        if (n * scale > max) throw new InputException($"{option} is too {tooLarge} (got '{value}')");
        return n * scale;
    }
}
