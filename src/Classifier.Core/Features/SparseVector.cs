namespace Classifier.Core.Features;

/// <summary>A document's features: strictly increasing indices and their values.</summary>
public readonly record struct SparseVector(int[] Indices, float[] Values)
{
    public int Count => Indices.Length;
}
