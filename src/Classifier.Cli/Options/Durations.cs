namespace Classifier.Cli.Options;

/// <summary>Durations on the command line: "90s", "5m", "1h" or plain seconds ("300", "0.5").</summary>
public static class Durations
{
    private static readonly (string[], double)[] Units = [(["h"], 3600), (["m"], 60), (["s"], 1)];

    public static TimeSpan Parse(string value, string option) => TimeSpan.FromSeconds(
        ScaledNumbers.Parse(value, option, Units, "a duration such as 90s, 5m or 300 (seconds)", TimeSpan.MaxValue.TotalSeconds / 2, "long"));
}
