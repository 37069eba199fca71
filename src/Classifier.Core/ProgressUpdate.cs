namespace Classifier.Core;

/// <summary>
/// What long work reports as it goes: a stage name and, where countable, how far it is. A transient update is a
/// step inside a stage (documents featurized, classes solved): a terminal redraws it in place with an ETA, a log
/// leaves it out so as not to flood. A warning is something the user should see even in a log (memory short of the
/// estimate): Core says it here, and the caller prints it as it prints warnings.
/// </summary>
public sealed record ProgressUpdate(string Stage, long Done = 0, long? Total = null, bool Transient = false, bool Warning = false);
