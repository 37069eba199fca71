using System.CommandLine;
using System.Globalization;
using Classifier.Cli.Options;
using Classifier.Cli.Output;
using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Models;
using Classifier.Core.Scoring;

namespace Classifier.Cli.Commands;

/// <summary>`classifier score`: label every document of a file, folder or stdin, streaming and in parallel.</summary>
public static class ScoreCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new ScoringOptions();
        var model = CommonOptions.Model(required: true);
        var input = new Option<string>("--input", "-i") { Description = "File or folder to score; '-' reads stdin", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the scores; '-' writes stdout", DefaultValueFactory = _ => "-" };
        var format = new Option<DataFormat>("--format") { Description = "Input format: auto (from the extension), csv, tsv, jsonl, fasttext (the __label__ tokens are not text; --keep label keeps them), txt (one document per line), dir (a tree of .txt/.md files) or parquet (read row group by row group; --shard splits it by row group)", DefaultValueFactory = _ => DataFormat.Auto };
        var outputFormat = new Option<string>("--output-format") { Description = "auto (from the output's extension: .csv, .tsv, .jsonl or .parquet; else CSV for CSV/TSV input, Parquet for Parquet input, JSON Lines otherwise), csv, tsv, jsonl or parquet (typed columns, to a file)", DefaultValueFactory = _ => "auto" };
        var text = new Option<string?>("--text") { Description = "Text column(s), comma-separated [default: the columns the model was trained on]" };
        var id = new Option<string?>("--id") { Description = "Id column [default: 'id' if present, else the line number; the relative path for folders]" };
        var keep = new Option<string>("--keep") { Description = "Input columns to copy to the output: all, none, or a comma-separated list", DefaultValueFactory = _ => "all" };
        var top = new Option<int>("--top") { Description = "Labels per document, with their probabilities", DefaultValueFactory = _ => defaults.Top };
        var minScore = CommonOptions.MinScore();
        var threads = CommonOptions.Threads();
        var batchSize = new Option<int>("--batch-size") { Description = "Documents per unit of parallel work", DefaultValueFactory = _ => defaults.BatchSize };
        var shard = new Option<string?>("--shard") { Description = "Score only slice I of N (I/N, e.g. 3/8): document p is in slice (p mod N) + 1; for Parquet, row group g is in slice (g mod N) + 1" };
        var badRowOptions = new BadRowOptions(scoring: true);
        var quiet = CommonOptions.Quiet();
        var command = new Command("score", "Label every document in a file, folder or stdin (streaming, parallel, in input order)");
        foreach (var o in new Option[] { model, input, output, format, outputFormat, text, id, keep, top, minScore, threads, batchSize, shard }) command.Options.Add(o);
        badRowOptions.AddTo(command);
        command.Options.Add(quiet);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var diagnostics = new Diagnostics(context, parse.GetValue(quiet));
            var options = new ScoringOptions
            {
                Top = parse.GetValue(top),
                MinScore = parse.GetValue(minScore),
                Threads = parse.GetValue(threads),
                BatchSize = parse.GetValue(batchSize),
                Shard = ShardSpec.Parse(parse.GetValue(shard)),
            };
            options.Validate();
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            var modelPath = parse.GetValue(model)!;
            var manifest = ModelFile.ReadManifest(modelPath);
            var inputFormat = DataFormats.Detect(inputPath, parse.GetValue(format));
            var writerFormat = OutputFormat(parse.GetValue(outputFormat)!, outputPath, inputFormat);
            if (outputPath != "-") AtomicFile.EnsureWritable(outputPath, "output", "scores.csv", foldersMayBeCreated: false);
            AtomicFile.EnsureNotInput(outputPath, inputPath, "the output is the input file; write the scores elsewhere");
            EnsureNotReadFromTheFolder(outputPath, inputPath, inputFormat);
            using var badRows = badRowOptions.Start(parse, diagnostics, cancel, inputPath, outputPath, modelPath);

            using var reader = OpenInput(inputPath, inputFormat, context, options.Shard.Count, out var done);
            var textColumns = ResolveText(parse.GetValue(text), manifest, reader, inputFormat);
            var idColumn = parse.GetValue(id) is { } idName
                ? ColumnSelection.Resolve(idName, reader.Columns, reader.Source, "id")
                : ColumnSelection.Find("id", reader.Columns);
            var kept = ResolveKeep(parse.GetValue(keep)!, reader, inputFormat);
            if (reader is ParquetRecordReader groups && options.Shard.Count > groups.RowGroupCount)
                diagnostics.Warn($"{reader.Source}: {groups.RowGroupCount:N0} row group(s) for {options.Shard.Count} shards: a Parquet file is sharded by row group, so shards above {groups.RowGroupCount} score nothing");

            diagnostics.Report(new ProgressUpdate($"loading model {modelPath}"));
            var classifier = ModelFile.Load(modelPath);
            if (classifier.Featurizer.PlacesWarning is { } placesWarning) diagnostics.Warn($"{modelPath}: {placesWarning}");
            if (MinScore.Clash(classifier.Labels, options.MinScore) is { } clash) diagnostics.Warn($"{modelPath}: {clash}");
            diagnostics.Report(new ProgressUpdate($"scoring {reader.Source} with {options.EffectiveThreads} threads{(options.Shard.Count > 1 ? $", shard {options.Shard}" : "")}"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var lastTick = TimeSpan.FromSeconds(-1);
            void Progress(long n)
            {
                // Called after every batch: redraw at most 4 times a second (the first time at once).
                var now = clock.Elapsed;
                if (now - lastTick < TimeSpan.FromMilliseconds(250)) return;
                lastTick = now;
                diagnostics.Tick(new ProgressUpdate(ProgressLine(n, now, done?.Invoke(n))));
            }

            var summary = Score(context, diagnostics, outputPath, writerFormat, badRows.Ledger, reader.Source, writer =>
                BatchScorer.Run(classifier, reader, writer, options, textColumns, idColumn, kept, badRows.Ledger, Progress, cancel));
            if (CommonOptions.IsVerbose(parse))
            {
                var t = summary.Stages;
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"busy seconds by stage: reading and parsing {t.Reading:F2} (1 thread), featurizing {t.Featurizing:F2} and scoring {t.Scoring:F2} ({options.EffectiveThreads} threads), writing {t.Writing:F2} (1 thread)"));
            }
            // The summary ends every run, even with --quiet: batch logs need the counts.
            context.Error.WriteLine(SummaryLine(summary, outputPath == "-" ? null : outputPath));
            return badRows.Exit(ExitCodes.Success);
        })));
        return command;
    }

    /// <summary>Runs the scoring into stdout or, written aside and renamed at the end, into the output file.</summary>
    private static BatchScorer.Summary Score(CliContext context, Diagnostics diagnostics, string outputPath, string writerFormat,
        BadRowLedger badRows, string source, Func<IScoreWriter, BatchScorer.Summary> run)
    {
        BatchScorer.Summary summary = null!;
        try
        {
            if (outputPath == "-")
            {
                var stdout = context.Out is StreamWriter sw ? sw.BaseStream : null;
                using var sink = stdout is null ? new TextWriterStream(context.Out) : null;
                using var writer = CreateWriter(writerFormat, (Stream?)stdout ?? sink!);
                summary = run(writer);
                badRows.CheckShare(summary.Records, source);
            }
            else
            {
                AtomicFile.Write(outputPath, stream =>
                {
                    using var writer = CreateWriter(writerFormat, stream);
                    summary = run(writer);
                    // Inside the write: past the share --max-bad-rows allows, no output is left.
                    badRows.CheckShare(summary.Records, source);
                });
            }
        }
        finally
        {
            // Also on failure: the error line must not be drawn over the progress line.
            diagnostics.EndLine();
        }
        return summary;
    }

    /// <summary>
    /// "scored N documents in T s (R docs/s); B bad rows (2 field count, 1 empty text): 2 written with their error,
    /// 1 scored anyway; wrote F": the line that ends every run.
    /// </summary>
    internal static string SummaryLine(BatchScorer.Summary s, string? output)
    {
        var b = s.BadRows;
        var bad = b.Total == 0 ? "no bad rows"
            : b.Mode == BadRowMode.Drop ? $"skipped {b.Total:N0} bad rows ({b.Summary()})"
            : $"{b.Total:N0} bad rows ({b.Summary()}): {s.Errors:N0} written with their error, {b.Total - s.Errors:N0} scored anyway";
        return string.Create(CultureInfo.InvariantCulture,
            $"scored {s.Scored:N0} documents in {s.Elapsed.TotalSeconds:F1} s ({s.DocsPerSecond:N0} docs/s); {bad}{(output is null ? "" : $"; wrote {output}")}");
    }

    /// <summary>
    /// An output of a kind a folder is read for (.txt, .md), inside the folder being scored, would be read as a document
    /// by the next run of the same command: refused, like an output that is the input.
    /// </summary>
    private static void EnsureNotReadFromTheFolder(string output, string input, DataFormat format)
    {
        if (output == "-" || input == "-" || format != DataFormat.Dir) return;
        var folder = WriteTarget.Resolve(input).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var target = WriteTarget.Resolve(output);
        var ext = WriteTarget.FormatExtension(output);
        if (target.StartsWith(folder, StringComparison.Ordinal) && ext is ".txt" or ".md")
            throw new InputException($"the output is inside the folder being scored and would be read as a document of it; write it elsewhere, or name it .jsonl or .csv", output);
    }

    /// <summary>"scored N documents, R docs/s" and, when the share of the input done is known, "P%, ETA m:ss".</summary>
    internal static string ProgressLine(long scored, TimeSpan elapsed, double? fractionDone)
    {
        var seconds = Math.Max(0.001, elapsed.TotalSeconds);
        var line = string.Create(CultureInfo.InvariantCulture, $"scored {scored:N0} documents, {scored / seconds:N0} docs/s");
        if (fractionDone is not { } f || f <= 0 || double.IsNaN(f)) return line;
        f = Math.Min(1, f);
        var left = TimeSpan.FromSeconds(Math.Round(seconds * (1 - f) / f));
        var eta = left.TotalHours >= 1 ? $"{(int)left.TotalHours}:{left:mm\\:ss}" : $"{left:m\\:ss}";
        return string.Create(CultureInfo.InvariantCulture, $"{line}, {f * 100:F0}%, ETA {eta}");
    }

    /// <summary>
    /// Opens the input like <see cref="RecordReaders.Open"/>, and says how to tell the share of it done from the count
    /// of documents scored: by bytes read for a plain file, by files for a folder; null for stdin and .gz (size unknown).
    /// The byte count runs ahead of the scored documents by the reader's buffer and the batches in flight.
    /// </summary>
    private static IRecordReader OpenInput(string path, DataFormat format, CliContext context, int shards, out Func<long, double>? done)
    {
        done = null;
        if (path != "-" && format is DataFormat.Csv or DataFormat.Tsv or DataFormat.Jsonl or DataFormat.Txt or DataFormat.FastText
            && FileNode.Of(path).Kind == FileNodeKind.Regular && !path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            var keys = format == DataFormat.Jsonl ? JsonlRecordReader.KeysIfRereadable(path) : null;
            var stream = new CountingStream(RecordReaders.OpenFile(path));
            var length = stream.Length;
            var reader = RecordReaders.Create(format, stream, path, labelled: false, keys);
            if (length > 0) done = _ => (double)stream.Position / length;
            return reader;
        }
        var opened = RecordReaders.Open(path, format, labelled: false, context.OpenStdin);
        if (opened is ParquetRecordReader parquet && parquet.RowCount > 0)
            done = n => (double)n * shards / parquet.RowCount; // a shard reads about 1/N of the row groups
        if (format == DataFormat.Dir)
        {
            // The same walk as FolderRecordReader's: every .txt and .md file, hidden entries skipped.
            var files = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Count(f => Path.GetExtension(f).ToLowerInvariant() is ".txt" or ".md");
            if (files > 0) done = n => (double)n * shards / files; // a shard scores about 1/N of the files
        }
        return opened;
    }

    /// <summary>A read-only pass-through whose Position is the count of bytes read (from any thread), for progress.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _bytesRead;

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel = default) => Count(await inner.ReadAsync(buffer, cancel));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancel) => ReadAsync(buffer.AsMemory(offset, count), cancel).AsTask();

        private int Count(int n)
        {
            Interlocked.Add(ref _bytesRead, n);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => Interlocked.Read(ref _bytesRead); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private static string OutputFormat(string requested, string outputPath, DataFormat input)
    {
        requested = requested.Trim().ToLowerInvariant();
        var format = requested;
        if (requested is not ("csv" or "tsv" or "jsonl" or "parquet"))
        {
            if (requested != "auto") throw new InputException($"--output-format takes auto, csv, tsv, jsonl or parquet, not '{requested}'");
            var ext = WriteTarget.FormatExtension(outputPath);
            format = ext switch
            {
                ".csv" => "csv",
                ".tsv" => "tsv",
                ".jsonl" or ".ndjson" or ".json" => "jsonl",
                ".parquet" => "parquet",
                _ => input switch { DataFormat.Csv => "csv", DataFormat.Tsv => "tsv", DataFormat.Parquet when outputPath != "-" => "parquet", _ => "jsonl" },
            };
        }
        // Checked before any work: Parquet is written with its index at the end, into a file that can seek.
        if (format == "parquet" && (outputPath == "-" || WriteTarget.IsGzip(outputPath) || FileNode.Of(outputPath).Kind is not (FileNodeKind.Regular or FileNodeKind.Missing)))
            throw new InputException("Parquet output must go to a file (the format is written with its index at the end), not to stdout, a pipe, a device or a .gz name", outputPath);
        return format;
    }

    private static IScoreWriter CreateWriter(string format, Stream stream) => format switch
    {
        "csv" => new CsvScoreWriter(stream, ','),
        "tsv" => new CsvScoreWriter(stream, '\t'),
        "parquet" => new ParquetScoreWriter(stream),
        _ => new JsonlScoreWriter(stream),
    };

    private static IReadOnlyList<string> ResolveText(string? option, Manifest manifest, IRecordReader reader, DataFormat format)
    {
        // These formats have one text, whatever the columns the model was trained on.
        if (format is DataFormat.Txt or DataFormat.Dir or DataFormat.FastText) return new[] { "text" };
        var wanted = option is not null ? ColumnSelection.ParseList(option) : manifest.TextColumns;
        var columns = wanted.Select(c => ColumnSelection.Resolve(c, reader.Columns, reader.Source, "text")).ToList();
        ColumnSelection.RequireText(reader, columns);
        return columns;
    }

    private static IReadOnlyList<string> ResolveKeep(string keep, IRecordReader reader, DataFormat format)
    {
        var k = keep.Trim().ToLowerInvariant();
        if (k == "none") return Array.Empty<string>();
        if (k == "all")
            // Plain text and folders have no columns worth copying besides the id, which is always written.
            return format is DataFormat.Txt or DataFormat.Dir ? Array.Empty<string>() : reader.Columns;
        return ColumnSelection.ParseList(keep).Select(c => ColumnSelection.Resolve(c, reader.Columns, reader.Source, "--keep")).ToList();
    }
}
