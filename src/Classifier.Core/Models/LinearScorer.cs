using Classifier.Core.Features;

namespace Classifier.Core.Models;

/// <summary>
/// A linear model over the featurizer's vectors: z = W x + b, then softmax (single-label models) or the raw margins
/// (multi-label models, calibrated per label by the caller). Every linear trainer ends here: the svm trainer's own
/// weights, and those read out of ML.NET's maximum-entropy models. Immutable and thread-safe.
/// </summary>
internal sealed class LinearScorer
{
    public LinearWeights Weights { get; }
    private readonly float[] _bias;

    public LinearScorer(LinearWeights weights, float[] bias, bool softmax)
    {
        if (bias.Length != weights.Classes) throw new ArgumentException("one bias per class", nameof(bias));
        Weights = weights;
        _bias = bias;
        IsSoftmax = softmax;
    }

    public int Classes => Weights.Classes;

    /// <summary>True when scores go through softmax, so a score difference is a log-odds ratio.</summary>
    public bool IsSoftmax { get; }

    public ReadOnlySpan<float> Biases => _bias;

    /// <summary>The raw W x + b, one value per class or label.</summary>
    public float[] Margins(SparseVector x)
    {
        var z = (float[])_bias.Clone();
        for (int p = 0; p < x.Count; p++) Weights.AddTo(z, x.Indices[p], x.Values[p]);
        return z;
    }

    /// <summary>The raw W x + b of the document the workspace holds (see <see cref="TextFeaturizer.Accumulate"/>).</summary>
    public float[] Margins(TextFeaturizer.Workspace ws, int count)
    {
        var z = (float[])_bias.Clone();
        Weights.AddTo(z, ws.Touched, ws.Values, count);
        return z;
    }

    public float[] Probabilities(float[] margins) => IsSoftmax ? Models.Probabilities.Softmax(margins) : Models.Probabilities.Normalize(margins);

    public void Write(BinaryWriter w)
    {
        w.Write(IsSoftmax);
        w.Write(_bias.Length);
        foreach (var b in _bias) w.Write(b);
        Weights.Write(w);
    }

    public static LinearScorer Read(BinaryReader r)
    {
        var softmax = r.ReadBoolean();
        var k = r.ReadInt32();
        if (k < 1 || k > 100_000) throw new InvalidDataException("bias sizes are inconsistent");
        var bias = new float[k];
        for (int c = 0; c < k; c++)
            if (!float.IsFinite(bias[c] = r.ReadSingle())) throw new InvalidDataException("a bias is not a finite number");
        var weights = LinearWeights.Read(r);
        if (weights.Classes != k) throw new InvalidDataException("weights and biases disagree on the number of classes");
        return new LinearScorer(weights, bias, softmax);
    }
}
