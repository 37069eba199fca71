using System.Runtime.ExceptionServices;

namespace Classifier.Core.Training;

/// <summary>
/// Runs the folds of cross-validation and tune side by side: as many at once as the trainer has threads and the memory
/// holds (<see cref="AtOnce"/>), each on its share of the threads, and a last fold left alone on all of them. Why: one fold on two threads kept them busy about 80 % of
/// its time on 20 Newsgroups (its two groups of classes are unequal, 12 and 8, and parts of vectorizing, pruning and
/// evaluation run on one thread), while two folds on one thread each keep both busy and do not slow each other (two
/// single-threaded 3-fold runs at once took 27.2 and 28.4 s against 27.1 s alone). With the default svm (whose groups
/// of classes depend on the class count only) and the other trainers whose model does not depend on the thread count,
/// neither does any fold's score.
/// </summary>
internal static class FoldWaves
{
    /// <summary>
    /// The waves for <paramref name="count"/> folds on <paramref name="threads"/> threads, at most
    /// <paramref name="atOnce"/> folds a wave: the folds of each, in order, and the threads each fold gets.
    /// </summary>
    /// <param name="remainderFirst">
    /// The wave of fewer folds than <paramref name="atOnce"/>, if there is one, first instead of last (tune): its racing
    /// decides on the first fold alone, and a trial it stops there has then cost that fold on every thread, not a full
    /// wave of folds on one thread each, the others' work thrown away. The waves are the same, so a trial that goes on
    /// costs the same (Reuters topics, 3 folds on 2 threads: a pruned trial took about 0.56 times as long; docs/benchmarks.md).
    /// </param>
    public static IEnumerable<(int[] Folds, int ThreadsEach)> Plan(int count, int threads, int atOnce, bool remainderFirst = false)
    {
        threads = Math.Max(1, threads);
        atOnce = Math.Clamp(atOnce, 1, threads);
        var first = 0;
        var remainder = count % atOnce;
        if (remainderFirst && remainder > 0 && count > atOnce)
        {
            yield return (Enumerable.Range(0, remainder).ToArray(), Math.Max(1, threads / remainder));
            first = remainder;
        }
        while (first < count)
        {
            var width = Math.Min(atOnce, count - first);
            yield return (Enumerable.Range(first, width).ToArray(), Math.Max(1, threads / width));
            first += width;
        }
    }

    /// <summary>
    /// Runs <paramref name="fold"/> for each of <paramref name="folds"/> at once, each with <paramref name="trainer"/>'s
    /// threads set to <paramref name="threadsEach"/>; results in the order of <paramref name="folds"/>. The first fold
    /// runs on the calling thread, the others on threads of their own (not the pool's, which the folds' own parallel
    /// loops use). When a fold fails, the others are told to stop, and its exception is thrown as itself (a bad-input
    /// error stays one), not wrapped.
    /// </summary>
    public static T[] Run<T>(int[] folds, int threadsEach, TrainerOptions trainer, Func<int, TrainerOptions, CancellationToken, T> fold,
        CancellationToken cancel)
    {
        var each = trainer with { Threads = threadsEach };
        var results = new T[folds.Length];
        if (folds.Length == 1)
        {
            results[0] = fold(folds[0], each, cancel);
            return results;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Exception? cause = null;
        void One(int i)
        {
            try { results[i] = fold(folds[i], each, stop.Token); }
            catch (Exception e)
            {
                // The first fold to fail before any stop is the news; the others were only stopped because of it.
                if (!stop.IsCancellationRequested) Interlocked.CompareExchange(ref cause, e, null);
                stop.Cancel();
                throw;
            }
        }
        var others = Enumerable.Range(1, folds.Length - 1)
            .Select(i => Task.Factory.StartNew(() => One(i), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var failures = new List<Exception>();
        try { One(0); }
        catch (Exception e) { failures.Add(e); }
        try { Task.WaitAll(others); }
        catch (AggregateException e) { failures.AddRange(e.InnerExceptions); }
        // Without a cause (the run was stopped from outside as a fold failed), still a failure before a cancellation.
        if (failures.Count > 0)
            ExceptionDispatchInfo.Capture(cause ?? failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures[0]).Throw();
        return results;
    }

    /// <summary>
    /// How many folds of <paramref name="corpus"/> (the counts of <paramref name="texts"/>) may run at once on
    /// <paramref name="threads"/> threads: one when its store is packed (a corpus above
    /// <see cref="SparseMatrix.PackAboveChars"/>), where a fold's arrays are gigabytes and two at once would double the
    /// peak that issue 22's work brought down; else as many as there are threads and as the memory available holds
    /// folds at their estimated peak (<see cref="MemoryEstimate"/>, a fold being most of a training run).
    /// </summary>
    public static int AtOnce(Features.CountedCorpus corpus, IReadOnlyList<string> texts, int threads)
    {
        long chars = 0;
        foreach (var t in texts) chars += t.Length;
        return AtOnce(corpus.Counts.IsPacked, chars, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, threads);
    }

    internal static int AtOnce(bool packed, long chars, long available, int threads) =>
        packed ? 1 : (int)Math.Clamp(Math.Floor(available / MemoryEstimate.Bytes(chars)), 1, Math.Max(1, threads));

    /// <summary>Every fold of <paramref name="count"/>, wave after wave; results by fold.</summary>
    public static T[] RunAll<T>(int count, TrainerOptions trainer, Func<int, TrainerOptions, CancellationToken, T> fold, CancellationToken cancel,
        int atOnce)
    {
        var results = new T[count];
        foreach (var (folds, threadsEach) in Plan(count, trainer.EffectiveThreads, atOnce))
        {
            var wave = Run(folds, threadsEach, trainer, fold, cancel);
            for (int i = 0; i < folds.Length; i++) results[folds[i]] = wave[i];
        }
        return results;
    }
}
