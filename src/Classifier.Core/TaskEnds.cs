namespace Classifier.Core;

/// <summary>Waiting for tasks whose own errors matter less than the one already on its way, or than none at all.</summary>
internal static class TaskEnds
{
    /// <summary>Waits until every task has ended (run, failed or cancelled), leaving their errors unseen.</summary>
    public static void WaitQuietly(params Task[] tasks)
    {
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
        }
    }
}
