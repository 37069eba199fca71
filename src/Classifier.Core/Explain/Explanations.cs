namespace Classifier.Core.Explain;

/// <summary>Which n-grams an explanation lists.</summary>
public enum TermFilter
{
    /// <summary>Word n-grams only: what a reader recognises at a glance. The default.</summary>
    Words,
    /// <summary>Character n-grams only, named like "[ goa]" (a space marks a word boundary).</summary>
    Chars,
    /// <summary>Both kinds, ranked together.</summary>
    All,
}

/// <summary>One n-gram's weight for (positive) or against (negative) a class.</summary>
/// <param name="IsWord">True for a word n-gram ("new york") or a place feature, false for a character n-gram ("[ ne]").</param>
/// <param name="IsPlace">A place feature of --places ("place: Mali (Western Africa)", "area: africa"), which places and clues add.</param>
public sealed record TermWeight(string Term, bool IsWord, double Weight, bool IsPlace = false);

/// <summary>The n-grams that most favour a class and those that most count against it.</summary>
public sealed record ClassTerms(string Label, IReadOnlyList<TermWeight> For, IReadOnlyList<TermWeight> Against);

/// <summary>One n-gram of a document: its feature value and what it adds to the predicted label's lead over the runner-up.</summary>
public sealed record TermContribution(string Term, bool IsWord, double Value, double Contribution, bool IsPlace = false);

/// <summary>
/// Why a document got its label. The lead of the predicted label over the runner-up (the difference of their
/// linear scores) is exactly <see cref="Bias"/> + <see cref="WordTotal"/> + <see cref="CharTotal"/> + <see cref="PlaceTotal"/>;
/// with softmax models it is also the log of the ratio of their probabilities (<see cref="IsLogOdds"/>).
/// </summary>
public sealed record DocumentExplanation
{
    public required string Label { get; init; }
    public required double Probability { get; init; }
    public required string RunnerUp { get; init; }
    public required double RunnerUpProbability { get; init; }
    /// <summary>Largest positive contributions first.</summary>
    public required IReadOnlyList<TermContribution> Towards { get; init; }
    /// <summary>Most negative contributions first: the n-grams that speak for the runner-up instead.</summary>
    public required IReadOnlyList<TermContribution> Away { get; init; }
    public required double WordTotal { get; init; }
    public required double CharTotal { get; init; }
    /// <summary>What the place features add (models with --places); 0 for other models.</summary>
    public double PlaceTotal { get; init; }
    public required double Bias { get; init; }
    public required bool IsLogOdds { get; init; }
    /// <summary>Non-zero features of the document the model knows; 0 means the text shares no n-gram with the training data.</summary>
    public required int KnownFeatures { get; init; }

    /// <summary>The places and clues the gazetteer finds in the document (models with --places); empty for other models.</summary>
    public IReadOnlyList<Features.Places.PlaceMention> Places { get; init; } = [];

    /// <summary>
    /// True when a region model gave the document, which names no place or clue, the label distribution instead of its
    /// own probabilities (<see cref="Models.NoClueFallback"/>).
    /// </summary>
    public bool NoClue { get; init; }

    public double Margin => Bias + WordTotal + CharTotal + PlaceTotal;
}
