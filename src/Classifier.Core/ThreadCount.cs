namespace Classifier.Core;

/// <summary>
/// How many worker threads a run uses: 0 means one per core, and a request is capped at <see cref="Max"/>. More
/// threads than cores buys nothing for this CPU-bound work, while each thread costs a scoring session or a vocabulary
/// counter of its own: `--threads 100000` on 3 documents took 29 s, all of it setting up per-thread scratch space.
/// </summary>
public static class ThreadCount
{
    /// <summary>Threads per core at most: room for oversubscription (a machine shared with other jobs), no more.</summary>
    public const int PerCore = 4;

    public static int Max => PerCore * Environment.ProcessorCount;

    /// <summary>The threads to use for a request: 0 (or less) is one per core; above <see cref="Max"/> is <see cref="Max"/>.</summary>
    public static int Effective(int requested) => requested > 0 ? Math.Min(requested, Max) : Environment.ProcessorCount;
}
