using Classifier.Core.Features;
using Classifier.Core.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Classifier.Core.Models;

/// <summary>
/// The edge with ML.NET: a model that an ML.NET trainer fitted over our feature vectors. Linear ones (maximum
/// entropy) hand over their weights (<see cref="TryLinear"/>) and then score through the compact path; the others
/// (naive Bayes, LightGBM, one-versus-all) are kept whole and score through a PredictionEngine per thread. Only this
/// class and the trainers touch ML.NET, so predicting with a linear model never loads it.
/// </summary>
internal sealed class MlNetModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly int _dimension;

    public MlNetModel(MLContext ml, ITransformer transformer, int dimension)
    {
        _ml = ml;
        _transformer = transformer;
        _dimension = dimension;
    }

    /// <summary>The weights and biases of a linear multiclass model, class-major; null when the model is not linear.</summary>
    public (float[][] Weights, float[] Bias, bool Softmax)? TryLinear()
    {
        var parameters = _transformer switch
        {
            MulticlassPredictionTransformer<MaximumEntropyModelParameters> t => (LinearMulticlassModelParametersBase)t.Model,
            MulticlassPredictionTransformer<LinearMulticlassModelParameters> t => t.Model,
            _ => null,
        };
        if (parameters is null) return null;
        VBuffer<float>[] rows = null!;
        parameters.GetWeights(ref rows, out var classes);
        var bias = parameters.GetBiases().ToArray();
        var weights = new float[classes][];
        for (int c = 0; c < classes; c++)
        {
            weights[c] = new float[_dimension];
            var row = rows[c];
            var values = row.GetValues();
            if (row.IsDense)
            {
                for (int j = 0; j < Math.Min(values.Length, _dimension); j++) weights[c][j] = values[j];
            }
            else
            {
                var indices = row.GetIndices();
                for (int p = 0; p < indices.Length; p++) weights[c][indices[p]] = values[p];
            }
        }
        return (weights, bias, parameters is MaximumEntropyModelParameters);
    }

    /// <summary>An ML.NET model with the given linear weights, for the optional export (see <see cref="LinearModelBuilder"/>).</summary>
    public static MlNetModel FromLinear(LinearScorer linear, int seed)
    {
        var ml = new MLContext(seed);
        var k = linear.Classes;
        var weights = Enumerable.Range(0, k).Select(c =>
        {
            var w = new float[linear.Weights.Features];
            for (int f = 0; f < w.Length; f++) w[f] = linear.Weights[f, c];
            return w;
        }).ToArray();
        return new MlNetModel(ml, LinearModelBuilder.Create(ml, weights, linear.Biases.ToArray(), linear.Weights.Features, linear.IsSoftmax), linear.Weights.Features);
    }

    public void Save(Stream stream)
    {
        // ML.NET's Save needs a seekable stream; buffer it.
        using var buffer = new MemoryStream();
        _ml.Model.Save(_transformer, null, buffer);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    public static MlNetModel Load(Stream stream, int dimension, int seed)
    {
        var ml = new MLContext(seed);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        return new MlNetModel(ml, ml.Model.Load(buffer, out _), dimension);
    }

    public Session CreateSession() => new(this);

    /// <summary>One thread's PredictionEngine: ML.NET's is not thread-safe.</summary>
    public sealed class Session
    {
        private readonly PredictionEngine<FeatureData.Input, FeatureData.Output> _engine;
        private readonly FeatureData.Input _input = new();
        private FeatureData.Output _output = new();
        private readonly int _dimension;

        internal Session(MlNetModel model)
        {
            _dimension = model._dimension;
            _engine = model._ml.Model.CreatePredictionEngine<FeatureData.Input, FeatureData.Output>(
                model._transformer, inputSchemaDefinition: FeatureData.InputSchema(model._dimension));
        }

        /// <summary>The model's scores for one vector, one per class.</summary>
        public float[] Scores(SparseVector x, int classes)
        {
            _input.Features = FeatureData.ToVBuffer(x, _dimension);
            _engine.Predict(_input, ref _output);
            if (_output.Score.Length != classes) throw new InvalidDataException($"the ML.NET model gives {_output.Score.Length} scores for {classes} labels");
            var scores = new float[classes];
            _output.Score.CopyTo(scores);
            return scores;
        }
    }
}
