using System.Globalization;
using Classifier.Core;

namespace Classifier.Cli.Options;

/// <summary>Sizes on the command line: "4G", "512M", "1.5GB", "800k" or plain bytes; powers of 1,024, as `free -g` and `ulimit` count.</summary>
public static class ByteSizes
{
    public static long Parse(string value, string option)
    {
        var v = value.Trim().ToUpperInvariant();
        if (v.EndsWith("IB")) v = v[..^2];
        else if (v.EndsWith('B') && v.Length > 1 && char.IsLetter(v[^2])) v = v[..^1];
        var unit = v.Length == 0 ? 1.0 : v[^1] switch { 'K' => 1024.0, 'M' => 1024.0 * 1024, 'G' => 1024.0 * 1024 * 1024, 'T' => 1024.0 * 1024 * 1024 * 1024, _ => 1.0 };
        if (unit > 1) v = v[..^1];
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
            throw new InputException($"{option} takes a size such as 4G, 512M or a number of bytes, not '{value}'");
        if (n <= 0) throw new InputException($"{option} must be above 0 (got '{value}')");
        if (n * unit >= long.MaxValue / 2.0) throw new InputException($"{option} is too large (got '{value}')");
        return (long)(n * unit);
    }

    /// <summary>A size as --help shows it: "22.6G".</summary>
    public static string Show(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + "G";
}
