using System.Diagnostics;
using System.Threading.Channels;
using Classifier.Core.Data;
using Classifier.Core.Models;

namespace Classifier.Core.Scoring;

/// <summary>
/// Scores a stream of records with every core while keeping memory flat and output in input order.
/// One thread reads and batches records; workers, each with its own <see cref="PredictionSession"/>, score
/// batches; the calling thread writes batches in the order they were read. Bounded channels between the
/// stages cap how many batches exist at once, so memory does not grow with input size.
/// </summary>
public static class BatchScorer
{
    /// <param name="Scored">Rows written with a label (empty texts and texts with invalid bytes included under keep).</param>
    /// <param name="Errors">Rows written without a label, with their reason in the `error` field (keep only).</param>
    /// <param name="Records">Records of this shard read, good and bad.</param>
    public sealed record Summary(long Scored, long Errors, long Records, BadRowLedger BadRows, TimeSpan Elapsed, StageSeconds Stages)
    {
        public double DocsPerSecond => Elapsed.TotalSeconds > 0 ? Scored / Elapsed.TotalSeconds : 0;
        /// <summary>Bad rows left out of the output (drop).</summary>
        public long Dropped => BadRows.Mode == BadRowMode.Drop ? BadRows.Total : 0;
    }

    /// <summary>
    /// Where the time went, in seconds of busy thread time (waits excluded): the reader thread reading and parsing
    /// records, the workers featurizing and scoring (summed over workers), the calling thread writing.
    /// </summary>
    public sealed record StageSeconds(double Reading, double Featurizing, double Scoring, double Writing);

    private sealed class Batch
    {
        public readonly List<ScoredRow> Rows;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Batch(int capacity) => Rows = new List<ScoredRow>(capacity);
    }

    /// <param name="keptColumns">Input columns copied to the output, already resolved against the reader.</param>
    /// <param name="badRows">
    /// Counts the bad rows and says what becomes of them (<see cref="BadRowLedger.Mode"/>): under keep every record is
    /// written in its place (one that cannot be scored with its reason in `error`; an empty text or one with invalid bytes
    /// scored, and counted); under drop they are left out; under fail the first one stops the run.
    /// </param>
    /// <param name="progress">Called from the writing thread after each batch with the running count.</param>
    public static Summary Run(ClassifierModel model, IRecordReader reader, IScoreWriter writer, ScoringOptions options,
        IReadOnlyList<string> textColumns, string? idColumn, IReadOnlyList<string> keptColumns,
        BadRowLedger? badRows = null, Action<long>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        badRows ??= new BadRowLedger(BadRowMode.Keep);
        var keep = badRows.Mode == BadRowMode.Keep;
        reader.UseColumns(textColumns.Concat(keptColumns).Concat(idColumn is null ? [] : [idColumn]).ToHashSet(StringComparer.Ordinal));
        var clock = Stopwatch.StartNew();
        var threads = options.EffectiveThreads;
        var top = Math.Min(options.Top, model.Labels.Count);
        long records = 0;

        var work = Channel.CreateBounded<Batch>(new BoundedChannelOptions(threads * 2) { SingleWriter = true });
        var ordered = Channel.CreateBounded<Batch>(new BoundedChannelOptions(threads * 4) { SingleWriter = true, SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);

        long readTicks = 0, featurizeTicks = 0, scoreTicks = 0, writeTicks = 0;
        var producer = Task.Run(async () =>
        {
            var since = Stopwatch.GetTimestamp();
            async Task Publish(Batch b)
            {
                readTicks += Stopwatch.GetTimestamp() - since;
                await ordered.Writer.WriteAsync(b, stop.Token);
                await work.Writer.WriteAsync(b, stop.Token);
                since = Stopwatch.GetTimestamp();
            }
            try
            {
                long position = 0;
                // Parquet is sharded by row group at the source: the other row groups are never read.
                var shardedAtSource = options.Shard.Count > 1 && reader is ParquetRecordReader parquet && parquet.TakeShard(options.Shard);
                var batch = new Batch(options.BatchSize);
                foreach (var record in reader.ReadAll())
                {
                    stop.Token.ThrowIfCancellationRequested();
                    // Positions count every record, bad ones too, so that the shards are disjoint and cover the input.
                    if (!shardedAtSource && !options.Shard.Owns(position++)) continue;
                    records++;
                    var text = record.Problem is null ? ColumnSelection.JoinText(record, textColumns) : "";
                    var issue = record.Issue;
                    if (issue is null && string.IsNullOrWhiteSpace(text))
                        issue = record.Flag(BadRowKind.EmptyText, "empty text", reader.Source);
                    if (issue is not null)
                    {
                        badRows.Add(issue);
                        if (!keep) continue;
                    }
                    batch.Rows.Add(new ScoredRow
                    {
                        Id = (idColumn is null ? null : record[idColumn]) ?? record.Line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Kept = keptColumns.Select(c => record[c]).ToArray(),
                        Text = text,
                        Error = record.Problem?.ForOutput(),
                    });
                    if (batch.Rows.Count < options.BatchSize) continue;
                    await Publish(batch);
                    batch = new Batch(options.BatchSize);
                }
                if (batch.Rows.Count > 0) await Publish(batch);
                else readTicks += Stopwatch.GetTimestamp() - since;
                work.Writer.Complete();
                ordered.Writer.Complete();
            }
            catch (Exception e)
            {
                work.Writer.TryComplete(e);
                ordered.Writer.TryComplete(e);
            }
        });

        // A worker that dies would leave its batch unfinished forever; the writer watches this too.
        var workerFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
        {
            PredictionSession? session = null;
            try
            {
                session = model.CreateBatchSession();
                await foreach (var batch in work.Reader.ReadAllAsync(stop.Token))
                {
                    foreach (var row in batch.Rows)
                    {
                        if (row.Error is not null) continue;
                        var p = session.Predict(row.Text);
                        row.Top = model.IsMultiLabel ? model.SelectLabels(p).Select(i => (i, p[i])).ToArray() : TopLabels(p, top);
                        row.Unknown = MinScore.IsBelow(p, options.MinScore);
                        // A multi-label row below the minimum is the label set "unknown" with the top probability.
                        if (row.Unknown && model.IsMultiLabel) row.Top = TopLabels(p, 1);
                        if (options.MinScore is not null) row.TopLabel = model.Labels[TopLabels(p, 1)[0].Label];
                    }
                    batch.Done.SetResult();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                workerFailed.TrySetException(e);
            }
            finally
            {
                Interlocked.Add(ref featurizeTicks, session?.FeaturizeTicks ?? 0);
                Interlocked.Add(ref scoreTicks, session?.ScoreTicks ?? 0);
            }
        })).ToArray();

        long scored = 0, errors = 0;
        try
        {
            writer.WriteHeader(new OutputLayout(keptColumns, idColumn, top, model.Manifest.MultiLabel?.Separator, ErrorColumn: keep,
                TopLabelColumn: options.MinScore is not null));
            var reading = ordered.Reader;
            while (reading.WaitToReadAsync(stop.Token).AsTask().GetAwaiter().GetResult())
            {
                while (reading.TryRead(out var batch))
                {
                    // Cancellable: after Ctrl-C the workers stop taking batches, so a batch still queued is never done.
                    var ready = Task.WhenAny(batch.Done.Task, workerFailed.Task);
                    ready.Wait(stop.Token);
                    ready.Result.GetAwaiter().GetResult();
                    var writing = Stopwatch.GetTimestamp();
                    foreach (var row in batch.Rows)
                    {
                        writer.Write(row, model.Labels);
                        if (row.Error is not null) errors++;
                    }
                    writeTicks += Stopwatch.GetTimestamp() - writing;
                    scored += batch.Rows.Count;
                    progress?.Invoke(scored);
                }
            }
            // Surfaces the producer's failure (a bad row under fail or past the limit, an unreadable file) if the channel carried one.
            reading.Completion.GetAwaiter().GetResult();
            var flushing = Stopwatch.GetTimestamp();
            writer.Flush();
            writeTicks += Stopwatch.GetTimestamp() - flushing;
        }
        finally
        {
            stop.Cancel();
            TaskEnds.WaitQuietly([.. workers, producer]);
        }
        cancel.ThrowIfCancellationRequested();
        static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
        return new Summary(scored - errors, errors, records, badRows, clock.Elapsed,
            new StageSeconds(Seconds(readTicks), Seconds(featurizeTicks), Seconds(scoreTicks), Seconds(writeTicks)));
    }

    /// <summary>The <paramref name="n"/> most probable labels, by falling probability; ties keep model order.</summary>
    public static (int Label, float Score)[] TopLabels(float[] p, int n)
    {
        var result = new (int Label, float Score)[n];
        var count = 0;
        for (int i = 0; i < p.Length; i++)
        {
            // Insertion into a short sorted array beats sorting all labels for the usual n of 1 to 5.
            if (count == n && p[i] <= result[n - 1].Score) continue;
            var j = count < n ? count++ : n - 1;
            while (j > 0 && result[j - 1].Score < p[i]) { result[j] = result[j - 1]; j--; }
            result[j] = (i, p[i]);
        }
        return result;
    }
}
