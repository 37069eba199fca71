using System.Globalization;

namespace Classifier.Core.Training;

/// <summary>How much memory training on some text will take at its peak, said before the expensive work.</summary>
public static class MemoryEstimate
{
    /// <summary>
    /// Peak memory measured per byte of training text (bench/scale.sh: 17 bytes at 100 MB, 13 at 1 GB, with the default
    /// featurizer); the larger, so that the estimate errs on the safe side.
    /// </summary>
    public const double BytesPerTextByte = 17;

    /// <summary>The progress line of the estimate, and a warning when it exceeds <paramref name="available"/> bytes.</summary>
    public static (string Line, string? Warning) Of(long chars, long available)
    {
        static string Size(double bytes) => bytes >= 1e9
            ? (bytes / 1e9).ToString("0.0 GB", CultureInfo.InvariantCulture)
            : (bytes / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture);
        var need = chars * BytesPerTextByte;
        var line = $"{Size(chars)} of text to train on: about {Size(need)} of memory at the peak ({Size(available)} available)";
        return (line, need <= available ? null
            : $"training on {Size(chars)} of text needs about {Size(need)} of memory, more than the {Size(available)} available; " +
              "it may run out of memory: train on a sample, or lower --char-ngrams or --word-ngrams");
    }

    /// <summary>Reports the estimate for <paramref name="texts"/> on this machine, and a warning when it has less.</summary>
    public static void Report(IReadOnlyList<string> texts, IProgress<ProgressUpdate>? progress)
    {
        long chars = 0;
        foreach (var t in texts) chars += t.Length;
        var (line, warning) = Of(chars, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        progress?.Report(new ProgressUpdate(line));
        if (warning is not null) progress?.Report(new ProgressUpdate(warning, Warning: true));
    }
}
