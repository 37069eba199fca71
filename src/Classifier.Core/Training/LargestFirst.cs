using System.Collections.Concurrent;

namespace Classifier.Core.Training;

/// <summary>
/// Independent solves (one a class, or one a label) handed to the threads one at a time, the largest first: the largest
/// take the longest, and started last they would leave one thread alone with them while the other waits. Each solve is
/// its own (its own seed, its own dual variables), so the order changes no result.
/// </summary>
internal static class LargestFirst
{
    /// <summary>The items 0 … <paramref name="count"/> − 1 by decreasing <paramref name="size"/>, ties by index, handed out one at a time.</summary>
    public static Partitioner<int> Of(int count, Func<int, int> size) =>
        Partitioner.Create(Enumerable.Range(0, count).OrderByDescending(size).ThenBy(i => i).ToArray(), EnumerablePartitionerOptions.NoBuffering);
}
