namespace Classifier.Core.Training;

/// <summary>
/// How much memory training may take (--max-memory), and where its store goes when it would take more (--temp-dir).
/// Above the limit the packed store's blocks are written to a temporary file there as they are made, and the solver
/// reads them back a block at a time (see <see cref="PackedBlocks"/>).
/// </summary>
public sealed record MemoryLimit
{
    /// <summary>The default's margin: the share of the machine's memory left to the system and other programs.</summary>
    public const double DefaultMargin = 0.1;

    /// <summary>Bytes training may hold at its peak; 0: the memory available to this process less <see cref="DefaultMargin"/>.</summary>
    public long MaxBytes { get; init; }

    /// <summary>The folder for the store's temporary file; null: the system's temporary folder.</summary>
    public string? TempDir { get; init; }

    /// <summary>The memory this process may use: the machine's, or its container's limit.</summary>
    public static long Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The default limit on this machine.</summary>
    public static long DefaultBytes => (long)(Available * (1 - DefaultMargin));

    public long EffectiveBytes => MaxBytes > 0 ? MaxBytes : DefaultBytes;

    public string EffectiveTempDir => string.IsNullOrEmpty(TempDir) ? Path.GetTempPath() : TempDir;

    public void Validate()
    {
        if (MaxBytes < 0) throw new InputException("--max-memory must be above 0");
        if (!string.IsNullOrEmpty(TempDir) && !Directory.Exists(TempDir)) throw new InputException($"--temp-dir {TempDir}: no such folder");
    }
}
