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
        var format = new Option<DataFormat>("--format") { Description = "Input format: auto (from the extension), csv, tsv, jsonl, txt (one document per line) or dir (a tree of .txt/.md files)", DefaultValueFactory = _ => DataFormat.Auto };
        var outputFormat = new Option<string>("--output-format") { Description = "auto (CSV for CSV/TSV input or a .csv output, else JSON Lines), csv, tsv or jsonl", DefaultValueFactory = _ => "auto" };
        var text = new Option<string?>("--text") { Description = "Text column(s), comma-separated [default: the columns the model was trained on]" };
        var id = new Option<string?>("--id") { Description = "Id column [default: 'id' if present, else the line number; the relative path for folders]" };
        var keep = new Option<string>("--keep") { Description = "Input columns to copy to the output: all, none, or a comma-separated list", DefaultValueFactory = _ => "all" };
        var top = new Option<int>("--top") { Description = "Labels per document, with their probabilities", DefaultValueFactory = _ => defaults.Top };
        var threads = CommonOptions.Threads();
        var batchSize = new Option<int>("--batch-size") { Description = "Documents per unit of parallel work", DefaultValueFactory = _ => defaults.BatchSize };
        var shard = new Option<string?>("--shard") { Description = "Score only slice I of N (I/N, e.g. 3/8): document p is in slice (p mod N) + 1" };
        var strict = new Option<bool>("--strict") { Description = "Stop with exit code 2 at the first bad row instead of skipping it" };
        var quiet = CommonOptions.Quiet();
        var command = new Command("score", "Label every document in a file, folder or stdin (streaming, parallel, in input order)");
        foreach (var o in new Option[] { model, input, output, format, outputFormat, text, id, keep, top, threads, batchSize, shard, strict, quiet }) command.Options.Add(o);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(context, CommonOptions.IsVerbose(parse), () =>
        {
            var diagnostics = new Diagnostics(context, parse.GetValue(quiet));
            var options = new ScoringOptions
            {
                Top = parse.GetValue(top),
                Threads = parse.GetValue(threads),
                BatchSize = parse.GetValue(batchSize),
                Shard = ShardSpec.Parse(parse.GetValue(shard)),
                Strict = parse.GetValue(strict),
            };
            options.Validate();
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            var modelPath = parse.GetValue(model)!;
            var manifest = ModelFile.ReadManifest(modelPath);
            var inputFormat = DataFormats.Detect(inputPath, parse.GetValue(format));
            if (inputFormat == DataFormat.FastText) inputFormat = DataFormat.Txt;
            var writerFormat = OutputFormat(parse.GetValue(outputFormat)!, outputPath, inputFormat);
            if (outputPath != "-") TrainCommand.CheckWritable(outputPath);

            using var reader = RecordReaders.Open(inputPath, inputFormat, labelled: false, context.OpenStdin);
            var textColumns = ResolveText(parse.GetValue(text), manifest, reader, inputFormat);
            var idColumn = parse.GetValue(id) is { } idName
                ? ColumnSelection.Resolve(idName, reader.Columns, reader.Source, "id")
                : ColumnSelection.Find("id", reader.Columns);
            var kept = ResolveKeep(parse.GetValue(keep)!, reader, inputFormat);

            diagnostics.Report(new ProgressUpdate($"loading model {modelPath}"));
            var classifier = ModelFile.Load(modelPath);
            diagnostics.Report(new ProgressUpdate($"scoring {reader.Source} with {options.EffectiveThreads} threads{(options.Shard.Count > 1 ? $", shard {options.Shard}" : "")}"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            void Progress(long n) => diagnostics.Tick(new ProgressUpdate($"scored {n:N0} documents, {n / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0} docs/s"));

            BatchScorer.Summary summary;
            if (outputPath == "-")
            {
                var stdout = context.Out is StreamWriter sw ? sw.BaseStream : null;
                using var sink = stdout is null ? new TextWriterStream(context.Out) : null;
                using var writer = CreateWriter(writerFormat, (Stream?)stdout ?? sink!);
                summary = BatchScorer.Run(classifier, reader, writer, options, textColumns, idColumn, kept, diagnostics.SkippedRow, Progress, cancel);
            }
            else
            {
                summary = null!;
                AtomicFile.Write(outputPath, stream =>
                {
                    using var writer = CreateWriter(writerFormat, stream);
                    summary = BatchScorer.Run(classifier, reader, writer, options, textColumns, idColumn, kept, diagnostics.SkippedRow, Progress, cancel);
                });
            }
            diagnostics.EndLine();
            // The summary ends every run, even with --quiet: batch logs need the counts.
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scored {summary.Scored:N0} documents in {summary.Elapsed.TotalSeconds:F1} s ({summary.DocsPerSecond:N0} docs/s); skipped {summary.Skipped:N0} rows{(outputPath == "-" ? "" : $"; wrote {outputPath}")}"));
            return ExitCodes.Success;
        })));
        return command;
    }

    private static string OutputFormat(string requested, string outputPath, DataFormat input)
    {
        requested = requested.Trim().ToLowerInvariant();
        if (requested is "csv" or "tsv" or "jsonl") return requested;
        if (requested != "auto") throw new InputException($"--output-format takes auto, csv, tsv or jsonl, not '{requested}'");
        var ext = Path.GetExtension(outputPath).ToLowerInvariant();
        if (ext is ".csv") return "csv";
        if (ext is ".tsv") return "tsv";
        if (ext is ".jsonl" or ".ndjson" or ".json") return "jsonl";
        return input switch { DataFormat.Csv => "csv", DataFormat.Tsv => "tsv", _ => "jsonl" };
    }

    private static IScoreWriter CreateWriter(string format, Stream stream) => format switch
    {
        "csv" => new CsvScoreWriter(stream, ','),
        "tsv" => new CsvScoreWriter(stream, '\t'),
        _ => new JsonlScoreWriter(stream),
    };

    private static IReadOnlyList<string> ResolveText(string? option, Manifest manifest, IRecordReader reader, DataFormat format)
    {
        if (format is DataFormat.Txt or DataFormat.Dir) return new[] { "text" };
        var wanted = option is not null ? ColumnSelection.ParseList(option) : manifest.TextColumns;
        return wanted.Select(c => ColumnSelection.Resolve(c, reader.Columns, reader.Source, "text")).ToList();
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
