using System.Globalization;

namespace Classifier.Cli.Options;

/// <summary>Sizes on the command line: "4G", "512M", "1.5GB", "800k" or plain bytes; powers of 1,024, as `free -g` and `ulimit` count.</summary>
public static class ByteSizes
{
    private static readonly (string[], double)[] Units =
    [
        (["k", "kb", "kib"], 1L << 10), (["m", "mb", "mib"], 1L << 20), (["g", "gb", "gib"], 1L << 30), (["t", "tb", "tib"], 1L << 40), (["b"], 1),
    ];

    public static long Parse(string value, string option) =>
        (long)ScaledNumbers.Parse(value, option, Units, "a size such as 4G, 512M or a number of bytes", long.MaxValue / 2.0, "large");

    /// <summary>A size as --help shows it: "22.6G".</summary>
    public static string Show(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + "G";
}
