using System.Globalization;
using Classifier.Core;

namespace Classifier.Cli.Options;

/// <summary>Durations on the command line: "90s", "5m", "1h" or plain seconds ("300", "0.5").</summary>
public static class Durations
{
    public static TimeSpan Parse(string value, string option)
    {
        var v = value.Trim().ToLowerInvariant();
        var (number, unit) = v.EndsWith('h') ? (v[..^1], 3600.0) : v.EndsWith('m') ? (v[..^1], 60.0) : v.EndsWith('s') ? (v[..^1], 1.0) : (v, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || double.IsNaN(n) || double.IsInfinity(n))
            throw new InputException($"{option} takes a duration such as 90s, 5m or 300 (seconds), not '{value}'");
        if (n <= 0) throw new InputException($"{option} must be above 0 (got '{value}')");
        if (n * unit > TimeSpan.MaxValue.TotalSeconds / 2) throw new InputException($"{option} is too long (got '{value}')");
        return TimeSpan.FromSeconds(n * unit);
    }
}
