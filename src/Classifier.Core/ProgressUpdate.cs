namespace Classifier.Core;

/// <summary>
/// What long work reports as it goes: a stage name and, where countable, how far it is. A transient update is a
/// step inside a stage (documents featurized, classes solved): a terminal redraws it in place with an ETA, a log
/// leaves it out so as not to flood. A warning is something the user should see even in a log (memory short of the
/// estimate): Core says it here, and the caller prints it as it prints warnings.
/// </summary>
/// <param name="Work">Names the piece of work that <paramref name="Done"/> counts when the stage text changes at each step
/// (tune's trials), so that the pace, and the time left, is taken over the whole of it.</param>
/// <param name="Seconds"><paramref name="Done"/> and <paramref name="Total"/> are seconds of a time budget: what is left is
/// known, not estimated.</param>
public sealed record ProgressUpdate(string Stage, long Done = 0, long? Total = null, bool Transient = false, bool Warning = false,
    string? Work = null, bool Seconds = false);
