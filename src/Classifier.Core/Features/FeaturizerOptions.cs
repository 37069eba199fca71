namespace Classifier.Core.Features;

/// <summary>
/// Settings of the text featurizer. The defaults here are the tool's defaults: the CLI prints them in --help
/// and never restates them. They were chosen by cross-validation on training data (docs/benchmarks.md).
/// </summary>
public sealed record FeaturizerOptions
{
    /// <summary>Longest word n-gram (1 = single words, 2 = words and word pairs).</summary>
    public int WordNgrams { get; init; } = 2;

    /// <summary>Shortest character n-gram, taken inside word boundaries. 0 turns character n-grams off.</summary>
    public int CharNgramMin { get; init; } = 2;

    /// <summary>Longest character n-gram. 0 turns character n-grams off.</summary>
    public int CharNgramMax { get; init; } = 5;

    /// <summary>Weight of the character n-gram block relative to the word block (each block is L2-normalised first).</summary>
    public double CharWeight { get; init; } = 1.0;

    public Weighting Weighting { get; init; } = Weighting.TfIdf;

    /// <summary>
    /// Add features for the places the text names (built-in gazetteer: country, M49 subregion and region, and one of
    /// the seven regions of the embedded corpus), as a third block.
    /// </summary>
    public bool Places { get; init; }

    /// <summary>
    /// Weight of the place block relative to the word block (each block is L2-normalised first). A model trained on
    /// thousands of the user's own articles learns places from their words as well: at 4, Reuters places mapped to
    /// regions fell from 0.944 to 0.933 micro-F1, so the default is 1.
    /// </summary>
    public double PlaceWeight { get; init; } = 1.0;

    /// <summary>
    /// The gazetteer the place features were fitted with (<see cref="Places.Gazetteer.DefaultDigest"/>); set by
    /// <see cref="TextFeaturizer.Fit"/>, null without places.
    /// </summary>
    public string? Gazetteer { get; init; }

    /// <summary>
    /// The place weight of the embedded corpus's region model, a few hundred articles that name a few places each:
    /// it must lean on the gazetteer. Chosen on the Reuters-21578 train articles (docs/benchmarks.md, "Regions"):
    /// macro-F1 0.605 at 1, 0.645 at 2, 0.665 at 4 and at 8.
    /// </summary>
    public const double EmbeddedRegionPlaceWeight = 4.0;

    /// <summary>1 + ln(tf) instead of tf: long documents stop drowning out short ones.</summary>
    public bool SublinearTf { get; init; } = true;

    public bool RemoveStopWords { get; init; }

    /// <summary>N-grams found in fewer documents than this are dropped. 0 means automatic (see <see cref="EffectiveMinDf"/>).</summary>
    public int MinDocumentFrequency { get; init; }

    /// <summary>Upper bound on the number of features (the most frequent n-grams are kept). 0 means no bound.</summary>
    public int MaxFeatures { get; init; }

    public bool CharNgramsEnabled => CharNgramMax > 0 && CharNgramMin > 0;

    /// <summary>
    /// The document-frequency floor of each block. Automatic keeps every word n-gram (a rare name or address
    /// seen once in training is often decisive) and drops character n-grams seen once in corpora of 5,000
    /// documents or more, where they are mostly fragments of rare words that the word block already holds.
    /// </summary>
    public (int Words, int Chars) EffectiveMinDf(int documents) =>
        MinDocumentFrequency > 0 ? (MinDocumentFrequency, MinDocumentFrequency) : (1, documents >= 5000 ? 2 : 1);

    /// <summary>
    /// Whether <paramref name="other"/> makes the same n-grams from a text (so one counting of a corpus serves both): it may
    /// differ in how they are weighted and which are kept.
    /// </summary>
    public bool SameNgrams(FeaturizerOptions other) =>
        WordNgrams == other.WordNgrams && CharNgramMin == other.CharNgramMin && CharNgramMax == other.CharNgramMax &&
        RemoveStopWords == other.RemoveStopWords && Places == other.Places;

    public void Validate()
    {
        if (WordNgrams is < 1 or > 4) throw new InputException($"--word-ngrams must be between 1 and 4 (got {WordNgrams})");
        if (CharNgramMax < 0 || CharNgramMin < 0 || CharNgramMax > 8 || (CharNgramMax > 0 && CharNgramMin > CharNgramMax))
            throw new InputException($"--char-ngrams must be MIN-MAX with 1 <= MIN <= MAX <= 8, or 0 to turn them off (got {CharNgramMin}-{CharNgramMax})");
        if (CharWeight is < 0 or > 10 || double.IsNaN(CharWeight)) throw new InputException($"--char-weight must be between 0 and 10 (got {CharWeight})");
        if (PlaceWeight is < 0 or > 10 || double.IsNaN(PlaceWeight)) throw new InputException($"--place-weight must be between 0 and 10 (got {PlaceWeight})");
        if (MinDocumentFrequency < 0) throw new InputException("--min-df must be 0 (automatic) or more");
        if (MaxFeatures < 0) throw new InputException("--max-features must be 0 (no bound) or more");
    }
}
