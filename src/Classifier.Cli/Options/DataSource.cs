using Classifier.Core.Data;

namespace Classifier.Cli.Options;

/// <summary>
/// A labelled input as the user named it: a path (or "-" for stdin) and a format, or the embedded corpus
/// when no path is given. Knows the default columns for each case.
/// </summary>
public sealed class DataSource
{
    public string? Path { get; }
    public DataFormat Format { get; }
    public bool IsEmbedded => Path is null;
    public string DisplayName => Path switch { null => EmbeddedCorpus.Name, "-" => "stdin", _ => Path };

    public DataSource(string? path, DataFormat format)
    {
        Path = path;
        Format = format;
    }

    public IRecordReader Open(CliContext context, bool labelled = true) =>
        IsEmbedded
            ? new CsvRecordReader(EmbeddedCorpus.Open(), EmbeddedCorpus.Name, ',')
            : RecordReaders.Open(Path!, Format, labelled, context.OpenStdin);

    public IReadOnlyList<string> TextColumns(string? option, IReadOnlyList<string>? fallback = null) =>
        option is not null ? ColumnSelection.ParseList(option)
        : fallback ?? (IsEmbedded ? EmbeddedCorpus.DefaultText : new[] { "text" });

    public string LabelColumn(string? option, string? fallback = null) =>
        option ?? fallback ?? (IsEmbedded ? EmbeddedCorpus.DefaultLabel : "label");

    /// <summary>
    /// Opens the file again for its texts, refusing it when its size or time of last change differ from when it was
    /// first read: an edit that kept every text's length would otherwise pair the first read's labels with new texts.
    /// </summary>
    private Func<IRecordReader> Reopener(CliContext context)
    {
        var info = new FileInfo(Path!);
        var (length, changed) = (info.Length, info.LastWriteTimeUtc);
        return () =>
        {
            info.Refresh();
            if (!info.Exists || info.Length != length || info.LastWriteTimeUtc != changed)
                throw TextsOnDisk.Changed(Path!);
            return Open(context);
        };
    }

    /// <summary>Whether the input can be read twice (a file, not stdin nor the embedded corpus).</summary>
    public bool CanLeaveTextsOnDisk => Path is not null && Path != "-" && File.Exists(Path);

    /// <summary>
    /// About how many characters of text the input holds, from its size: a compressed file (.gz, Parquet) is taken to
    /// hold four times its bytes. Only to decide before reading whether the texts may outgrow memory.
    /// </summary>
    public long ApproximateChars()
    {
        if (!CanLeaveTextsOnDisk) return 0;
        var bytes = new FileInfo(Path!).Length;
        var compressed = Path!.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || Path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        return compressed ? bytes * 4 : bytes;
    }

    public string Sha256()
    {
        if (IsEmbedded)
        {
            using var s = EmbeddedCorpus.Open();
            return DataHash.OfStream(s);
        }
        return Path == "-" ? "stdin (not hashed)" : DataHash.OfPath(Path!);
    }

    /// <summary>Loads every labelled row; <paramref name="badRows"/> counts (and warns about) the ones left out as they are met.</summary>
    /// <param name="textsOnDisk">Leave the texts on disk, to be read again as training counts them (a file only; see <see cref="CanLeaveTextsOnDisk"/>).</param>
    public LabeledDataset Load(CliContext context, IReadOnlyList<string> text, string label, Output.Diagnostics diagnostics, BadRowLedger badRows,
        CancellationToken cancel, LabelSpec? labels = null, bool textsOnDisk = false)
    {
        using var reader = Open(context);
        var data = DatasetLoader.Load(reader, text, label, badRows, cancel, labels, textsOnDisk && CanLeaveTextsOnDisk ? Reopener(context) : null);
        if (labels is not null) LabelOptions.ReportUnmapped(labels, diagnostics);
        foreach (var group in LabelPolicy.CaseCollisions(data.Labels))
            diagnostics.Warn($"labels differ only in case and are kept apart: {string.Join(", ", group.Select(g => $"'{g}'"))}");
        return data;
    }
}
