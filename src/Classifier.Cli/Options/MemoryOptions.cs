using System.CommandLine;
using Classifier.Core.Training;

namespace Classifier.Cli.Options;

/// <summary>--max-memory and --temp-dir: how much memory training may take, and where its store goes above that.</summary>
public sealed class MemoryOptions
{
    private readonly Option<string?> _maxMemory = new("--max-memory")
    {
        Description = "Memory training may take, such as 4G or 512M; above it the feature store is written to a temporary file " +
            $"under --temp-dir and read back as the solver needs it [default: the memory available less {MemoryLimit.DefaultMargin.ToString("P0", System.Globalization.CultureInfo.InvariantCulture)}, " +
            $"{ByteSizes.Show(MemoryLimit.DefaultBytes)} here]",
    };

    private readonly Option<string?> _tempDir = new("--temp-dir")
    {
        Description = $"Folder for the temporary file of --max-memory, removed when training ends [default: the system's, {Path.GetTempPath()} here]",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_maxMemory);
        command.Options.Add(_tempDir);
    }

    public MemoryLimit Limit(ParseResult parse) => new()
    {
        MaxBytes = parse.GetValue(_maxMemory) is { } size ? ByteSizes.Parse(size, "--max-memory") : 0,
        TempDir = parse.GetValue(_tempDir),
    };
}
