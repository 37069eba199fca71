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

    /// <summary>
    /// The same with the packed store spilled to disk (--max-memory) and the texts loaded (stdin, or a file not judged
    /// large enough to leave them on disk), beyond <see cref="BaseBytes"/> and <see cref="SpilledFixedBytes"/>: mostly
    /// the loaded texts (2 bytes a character until counted) and the solver's weights over every feature. Fitted to the
    /// spilled runs with loaded texts and the word sequences in memory (the synthetic 100 MB corpus peaked at 0.83 GB,
    /// the 1 GB one at 2.99 GB; the estimate says 0.82 and 2.96 GB); since the words went to disk too, it is on the high side.
    /// </summary>
    public const double BytesPerCharSpilled = 2.5;

    /// <summary>
    /// A spilled run whose texts stay on disk until counted (<see cref="Data.TextsOnDisk"/>) peaks at the end of the
    /// calibration solve, whose weights span every feature, and features grow more slowly than the text (2.3 million
    /// on the synthetic 100 MB corpus, 10.0 million on 1 GB, 22.8 million on 3 GB). So the estimate beyond
    /// <see cref="BaseBytes"/> is a power of the characters: this many bytes at 100 M characters, times (characters / 100 M)
    /// to <see cref="SpilledStreamedExponent"/>. Fitted to the peaks measured with `--max-memory` (docs/benchmarks.md,
    /// "Texts left on disk"): 599 MiB at 95.3 M characters (a build before the solver's per-row state shrank; 540 MiB
    /// after) and 3,897 MiB at 2.9 G; it says 627 MB and 4.08 GB, and 2.17 GB at 1 GB, where 1,867 MiB was measured.
    /// </summary>
    public const double SpilledStreamedBytesAt100M = 563e6;

    /// <summary>See <see cref="SpilledStreamedBytesAt100M"/>.</summary>
    public const double SpilledStreamedExponent = 0.583;

    /// <summary>
    /// What a spilled run with its texts loaded holds whatever its size: the table of terms, the blocks of a group of
    /// visits (read once for the solver's threads), and the collector's slack.
    /// </summary>
    public const double SpilledFixedBytes = 500e6;

    /// <summary>
    /// Disk the spilled store takes per character of text: its blocks of counts, then of weights. A block of weights is
    /// written over its counts only when it is no longer, and on the synthetic 1 GB corpus most are longer (a row's
    /// words and characters, interleaved among the terms, lie apart among the features, so gaps grow): the file held
    /// 10.16 GB for 953 M characters, 10.7 bytes a character. The documents' word sequences, kept to name the features,
    /// go there too now: on 3 GB the file held 30.5 GB for 2.9 G characters, 10.5 bytes a character.
    /// </summary>
    public const double DiskBytesPerChar = 11;

    /// <summary>The estimated peak of training on <paramref name="chars"/> characters of text, in bytes.</summary>
    public static double Bytes(long chars) => BaseBytes + chars * (chars > SparseMatrix.PackAboveChars ? BytesPerCharPacked : BytesPerChar);

    /// <summary>
    /// How training on <paramref name="chars"/> characters fits under <paramref name="limit"/>: in memory when the
    /// estimate is under it, else with the store on disk when that needs less. Refused (exit 2) when an explicit limit is
    /// below what it needs even so; under the default limit, or with no limit (null: never spill), a warning instead.
    /// </summary>
    /// <param name="canSpill">Whether the trainer reads a spilled store (the svm); ML.NET's trainers copy every row into memory.</param>
    /// <param name="textsInMemory">Whether the texts are loaded before counting (false: read from disk as they are counted).</param>
    public static MemoryPlan Plan(long chars, MemoryLimit? limit, bool canSpill = true, bool textsInMemory = true)
    {
        limit?.Validate();
        var need = Bytes(chars);
        var max = limit?.EffectiveBytes ?? MemoryLimit.DefaultBytes;
        var explicitLimit = limit is { MaxBytes: > 0 };
        if (need <= max) return new MemoryPlan(chars, need, max, 0, null);
        var spilled = textsInMemory ? BaseBytes + SpilledFixedBytes + chars * BytesPerCharSpilled
            : BaseBytes + SpilledStreamedBytesAt100M * Math.Pow(chars / 1e8, SpilledStreamedExponent);
        // Spilling costs a fixed part (see SpilledFixedBytes): on small corpora it would need more than memory does.
        var spill = limit is not null && canSpill && spilled < need;
        var peak = spill ? spilled : need;
        if (peak > max && explicitLimit)
            throw new InputException($"--max-memory {Size(max)} is too small: training on {Size(chars)} of text needs about {Size(peak)} of memory" +
                (spill ? " even with its store on disk" : canSpill ? "" : " (this trainer keeps every row in memory; the svm can put its store on disk)") +
                "; raise --max-memory, train on a sample, or lower --char-ngrams or --word-ngrams");
        return spill ? new MemoryPlan(chars, spilled, max, chars * DiskBytesPerChar, Path.GetFullPath(limit!.EffectiveTempDir))
            : new MemoryPlan(chars, need, max, 0, null);
    }

    /// <summary>Reports the plan for <paramref name="chars"/> characters under <paramref name="limit"/>, and a warning when even it may not fit.</summary>
    public static MemoryPlan Report(long chars, MemoryLimit? limit, bool canSpill, bool textsInMemory, IProgress<ProgressUpdate>? progress)
    {
        var plan = Plan(chars, limit, canSpill, textsInMemory);
        progress?.Report(new ProgressUpdate(plan.Line));
        if (plan.Warning is { } warning) progress?.Report(new ProgressUpdate(warning, Warning: true));
        return plan;
    }

    internal static string Size(double bytes) => bytes >= 1e9 ? (bytes / 1e9).ToString("0.0 GB", CultureInfo.InvariantCulture)
        : bytes >= 1e5 ? (bytes / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture)
        : bytes.ToString("#,0 bytes", CultureInfo.InvariantCulture);
}

/// <summary>What training on some text is expected to take: memory at the peak under a limit, and disk when the store is spilled.</summary>
/// <param name="SpillFolder">Where the store goes (null: it stays in memory).</param>
public sealed record MemoryPlan(long Chars, double Bytes, long Limit, double DiskBytes, string? SpillFolder)
{
    public bool Spills => SpillFolder is not null;

    /// <summary>The progress line of the estimate.</summary>
    public string Line => Spills
        ? $"{MemoryEstimate.Size(Chars)} of text to train on: more than the {MemoryEstimate.Size(Limit)} of --max-memory in memory, so its store goes to disk: " +
          $"about {MemoryEstimate.Size(Bytes)} of memory at the peak and {MemoryEstimate.Size(DiskBytes)} of disk in {SpillFolder}"
        : $"{MemoryEstimate.Size(Chars)} of text to train on: about {MemoryEstimate.Size(Bytes)} of memory at the peak ({MemoryEstimate.Size(Limit)} allowed)";

    /// <summary>Said when even the plan exceeds the limit (the default one: an explicit limit is refused instead).</summary>
    public string? Warning => Bytes <= Limit ? null
        : $"training on {MemoryEstimate.Size(Chars)} of text needs about {MemoryEstimate.Size(Bytes)} of memory{(Spills ? " even with its store on disk" : "")}, " +
          $"more than the {MemoryEstimate.Size(Limit)} allowed; it may run out of memory: train on a sample, or lower --char-ngrams or --word-ngrams";
}
