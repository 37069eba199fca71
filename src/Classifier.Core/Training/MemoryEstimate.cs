using System.Globalization;

namespace Classifier.Core.Training;

/// <summary>How much memory training on some text will take at its peak, said before the expensive work.</summary>
public static class MemoryEstimate
{
    /// <summary>
    /// Peak memory per character of training text, beyond <see cref="BaseBytes"/>, with the default featurizer. Fitted
    /// to the peaks measured with /usr/bin/time (docs/benchmarks.md, "Training at scale" and "Training: featurize once"):
    /// 20 Newsgroups (22 M characters) 0.48 GB, the synthetic 100 MB corpus (95 M) 1.51–1.54 GB, the 1 GB one (953 M)
    /// 12.2–12.5 GB. The estimate is then within 25 % of each: 0.38, 1.37 and 12.95 GB. A single rate of 17 bytes, as
    /// before, said 16.2 GB at 1 GB (30 % over).
    /// </summary>
    public const double BytesPerChar = 13.5;

    /// <summary>
    /// The same for a packed store (text above <see cref="SparseMatrix.PackAboveChars"/>), fitted to the packed runs: the
    /// synthetic 100 MB corpus peaked at 1.19–1.22 GB and the 1 GB one at about 8 GB; the estimate says 1.0 and 9.1 GB.
    /// </summary>
    public const double BytesPerCharPacked = 9.5;

    /// <summary>What training holds whatever the text: the runtime, the command tree and the trainer's code (73 MB for the embedded corpus).</summary>
    public const double BaseBytes = 80e6;

    /// <summary>The progress line of the estimate, and a warning when it exceeds <paramref name="available"/> bytes.</summary>
    public static (string Line, string? Warning) Of(long chars, long available)
    {
        static string Size(double bytes) => bytes >= 1e9
            ? (bytes / 1e9).ToString("0.0 GB", CultureInfo.InvariantCulture)
            : (bytes / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture);
        var need = Bytes(chars);
        var line = $"{Size(chars)} of text to train on: about {Size(need)} of memory at the peak ({Size(available)} available)";
        return (line, need <= available ? null
            : $"training on {Size(chars)} of text needs about {Size(need)} of memory, more than the {Size(available)} available; " +
              "it may run out of memory: train on a sample, or lower --char-ngrams or --word-ngrams");
    }

    /// <summary>The estimated peak of training on <paramref name="chars"/> characters of text, in bytes.</summary>
    public static double Bytes(long chars) => BaseBytes + chars * (chars > SparseMatrix.PackAboveChars ? BytesPerCharPacked : BytesPerChar);

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
