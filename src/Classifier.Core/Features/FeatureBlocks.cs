namespace Classifier.Core.Features;

/// <summary>
/// How a featurizer's ids fall into blocks: [0, Words) word n-grams, [Words, PlaceStart) character n-grams,
/// [PlaceStart, dimension) place features. Each block of a document's vector is L2-normalised on its own, then the
/// blocks are weighted 1, CharWeight and PlaceWeight and the whole vector scaled to norm 1, so no block drowns the
/// others and a document without places featurizes as it would without the place block.
/// </summary>
public readonly record struct FeatureBlocks(int Words, int PlaceStart, double CharWeight, double PlaceWeight)
{
    public bool IsWord(int feature) => feature < Words;

    public bool IsPlace(int feature) => feature >= PlaceStart;

    /// <summary>The blocks of the same featurizer restricted to <paramref name="keep"/> (old ids, increasing).</summary>
    public FeatureBlocks Restricted(IReadOnlyList<int> keep)
    {
        int words = 0, beforePlaces = 0;
        foreach (var f in keep)
        {
            if (f < Words) words++;
            if (f < PlaceStart) beforePlaces++;
        }
        return this with { Words = words, PlaceStart = beforePlaces };
    }

    /// <summary>The factor of each block, given the squared norms of its raw values.</summary>
    public (float Words, float Chars, float Places) Scales(double wordNorm, double charNorm, double placeNorm)
    {
        double w = wordNorm > 0 ? 1 : 0, c = charNorm > 0 ? CharWeight : 0, p = placeNorm > 0 ? PlaceWeight : 0;
        var total = Math.Sqrt(w * w + c * c + p * p);
        if (total == 0) return (0, 0, 0);
        static float Scale(double share, double total, double norm) => norm > 0 ? (float)(share / total / Math.Sqrt(norm)) : 0f;
        return (Scale(w, total, wordNorm), Scale(c, total, charNorm), Scale(p, total, placeNorm));
    }

    /// <summary>Normalises a vector's values in place, block by block.</summary>
    public void Normalize(ReadOnlySpan<int> idx, Span<float> val)
    {
        double wordNorm = 0, charNorm = 0, placeNorm = 0;
        for (int i = 0; i < idx.Length; i++)
        {
            var sq = (double)val[i] * val[i];
            if (idx[i] < Words) wordNorm += sq; else if (idx[i] < PlaceStart) charNorm += sq; else placeNorm += sq;
        }
        var (ws, cs, ps) = Scales(wordNorm, charNorm, placeNorm);
        for (int i = 0; i < idx.Length; i++) val[i] *= idx[i] < Words ? ws : idx[i] < PlaceStart ? cs : ps;
    }
}
