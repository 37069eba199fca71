namespace Classifier.Core;

/// <summary>
/// What long work reports as it goes: a stage name and, where countable, how far it is. A transient update is a
/// step inside a stage (documents featurized, classes solved): a terminal redraws it in place with an ETA, a log
/// leaves it out so as not to flood.
/// </summary>
public sealed record ProgressUpdate(string Stage, long Done = 0, long? Total = null, bool Transient = false);
