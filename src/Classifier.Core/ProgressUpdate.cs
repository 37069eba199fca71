namespace Classifier.Core;

/// <summary>What long work reports as it goes: a stage name and, where countable, how far it is.</summary>
public sealed record ProgressUpdate(string Stage, long Done = 0, long? Total = null);
