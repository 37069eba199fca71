using Classifier.Core.Features.Places;

namespace Classifier.Core.Models;

/// <summary>
/// What a region model says of a document that names no place and no clue: it learned its regions from places and
/// clues, so it has nothing to go on there, and its word n-grams only echo the topics of its training articles. Such
/// a document gets the label distribution of the training data, with a tenth of the model's own probabilities mixed in
/// so that labels of equal frequency keep the model's order: its top probability is never far above the commonest
/// label's share. A region model is a single-label model with place features whose every label is one of the
/// gazetteer's seven regions (the embedded corpus's `region`, or Reuters places mapped to regions); other models,
/// topic models with --places among them, keep their own probabilities.
/// </summary>
internal sealed class NoClueFallback
{
    /// <summary>The share of the label distribution in the probabilities of a document with no clue.</summary>
    public const float PriorShare = 0.9f;

    private readonly float[] _prior;
    private readonly int _placeFeatureStart;

    private NoClueFallback(float[] prior, int placeFeatureStart) => (_prior, _placeFeatureStart) = (prior, placeFeatureStart);

    /// <summary>The fallback of a region model, or null for any other model.</summary>
    public static NoClueFallback? For(Manifest manifest, Features.TextFeaturizer featurizer)
    {
        if (featurizer.PlaceFeatureCount == 0 || manifest.MultiLabel is not null || manifest.Labels.Count == 0) return null;
        var areas = Gazetteer.Default.Areas;
        if (!manifest.Labels.All(l => areas.Contains(l.Label, StringComparer.Ordinal))) return null;
        double total = manifest.Labels.Sum(l => (double)l.Count);
        if (total <= 0) return null;
        return new NoClueFallback(manifest.Labels.Select(l => (float)(l.Count / total)).ToArray(), featurizer.PlaceFeatureStart);
    }

    /// <summary>Whether any of the document's features is a place feature: a place or a clue of a country the model knows.</summary>
    public bool Names(ReadOnlySpan<int> features)
    {
        foreach (var f in features)
            if (f >= _placeFeatureStart) return true;
        return false;
    }

    /// <summary>Mixes the label distribution into <paramref name="p"/>, in place.</summary>
    public void Apply(float[] p)
    {
        for (int i = 0; i < p.Length; i++) p[i] = PriorShare * _prior[i] + (1 - PriorShare) * p[i];
    }
}
