namespace Classifier.Core.Features;

/// <summary>How a term's count in a document becomes its feature value.</summary>
public enum Weighting
{
    /// <summary>Term frequency only.</summary>
    Tf,
    /// <summary>Presence times inverse document frequency.</summary>
    Idf,
    /// <summary>Term frequency times inverse document frequency.</summary>
    TfIdf,
}
