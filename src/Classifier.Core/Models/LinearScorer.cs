using Classifier.Core.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Classifier.Core.Models;

/// <summary>
/// Scores linear multiclass ML.NET models (maximum entropy: the svm, sdca-maxent and lbfgs-maxent trainers)
/// straight from their weights, read through ML.NET's public GetWeights/GetBiases. Going through a
/// PredictionEngine costs about half a millisecond per document on wide text features; this computes the
/// same softmax(W x + b) in microseconds. The weights are stored feature-major, so that each non-zero
/// feature of a document touches one contiguous run of class weights. Immutable and thread-safe.
/// </summary>
internal sealed class LinearScorer
{
    private readonly float[] _weights; // [feature * classes + class]
    private readonly float[] _bias;
    private readonly int _classes;
    private readonly bool _softmax;

    private LinearScorer(float[] weights, float[] bias, int classes, bool softmax)
    {
        _weights = weights;
        _bias = bias;
        _classes = classes;
        _softmax = softmax;
    }

    public int Classes => _classes;

    /// <summary>True when scores go through softmax, so a score difference is a log-odds ratio.</summary>
    public bool IsSoftmax => _softmax;

    /// <summary>Read-only view of the weights for explanations: [feature * <see cref="Classes"/> + class].</summary>
    public ReadOnlySpan<float> Weights => _weights;

    public ReadOnlySpan<float> Biases => _bias;

    /// <summary>A scorer for <paramref name="transformer"/>, or null when it is not a linear multiclass model.</summary>
    public static LinearScorer? TryCreate(ITransformer transformer, int dimension)
    {
        var parameters = transformer switch
        {
            MulticlassPredictionTransformer<MaximumEntropyModelParameters> t => (LinearMulticlassModelParametersBase)t.Model,
            MulticlassPredictionTransformer<LinearMulticlassModelParameters> t => t.Model,
            _ => null,
        };
        if (parameters is null) return null;
        VBuffer<float>[] rows = null!;
        parameters.GetWeights(ref rows, out var classes);
        var bias = parameters.GetBiases().ToArray();
        var weights = new float[(long)dimension * classes];
        for (int c = 0; c < classes; c++)
        {
            var row = rows[c];
            var values = row.GetValues();
            if (row.IsDense)
            {
                for (int j = 0; j < Math.Min(values.Length, dimension); j++) weights[(long)j * classes + c] = values[j];
            }
            else
            {
                var indices = row.GetIndices();
                for (int p = 0; p < indices.Length; p++) weights[(long)indices[p] * classes + c] = values[p];
            }
        }
        return new LinearScorer(weights, bias, classes, parameters is MaximumEntropyModelParameters);
    }

    public float[] Score(SparseVector x)
    {
        var z = Margins(x);
        return _softmax ? Probabilities.Softmax(z) : Probabilities.Normalize(z);
    }

    /// <summary>The raw W x + b, one value per class or label.</summary>
    public float[] Margins(SparseVector x)
    {
        var z = new float[_classes];
        _bias.CopyTo(z, 0);
        var k = _classes;
        for (int p = 0; p < x.Count; p++)
        {
            var v = x.Values[p];
            var w = _weights.AsSpan(x.Indices[p] * k, k);
            for (int c = 0; c < k; c++) z[c] += v * w[c];
        }
        return z;
    }
}
