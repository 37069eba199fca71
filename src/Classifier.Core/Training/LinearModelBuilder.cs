using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Classifier.Core.Training;

/// <summary>
/// Packages weights that our own solver learned as a genuine ML.NET model: a MulticlassPredictionTransformer
/// over MaximumEntropyModelParameters, whose scores are softmax(W x + b), or for multi-label models over
/// LinearMulticlassModelParameters, whose scores are the raw margins W x + b.
/// ML.NET keeps these constructors internal (its trainers are the only intended producers), so we reach
/// them by reflection against the pinned Microsoft.ML 5.0.1. The result saves and loads through ML.NET's
/// public Model.Save / Model.Load like any model it trained itself; a unit test guards the round trip, so
/// an ML.NET upgrade that moves these constructors fails loudly in CI rather than at a user's site.
/// </summary>
internal static class LinearModelBuilder
{
    public static ITransformer Create(MLContext ml, float[][] weights, float[] bias, int dimension, bool softmax = true)
    {
        var parametersType = softmax ? typeof(MaximumEntropyModelParameters) : typeof(LinearMulticlassModelParameters);
        var k = weights.Length;
        var vectors = weights.Select(w => new VBuffer<float>(dimension, w)).ToArray();
        var parametersCtor = parametersType.GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance)
            .Single(c => c.GetParameters() is { Length: 7 } p && p[1].ParameterType == typeof(VBuffer<float>[]));
        var parameters = parametersCtor.Invoke(new object?[] { ml, vectors, bias, k, dimension, null, null });

        var schema = ml.Data.LoadFromEnumerable(Array.Empty<FeatureData.Input>(), FeatureData.InputSchema(dimension)).Schema;
        var transformerType = typeof(MulticlassPredictionTransformer<>).MakeGenericType(parametersType);
        var transformerCtor = transformerType.GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance)
            .Single(c => c.GetParameters() is { Length: 7 } p && p[2].ParameterType == typeof(DataViewSchema));
        return (ITransformer)transformerCtor.Invoke(new object?[] { ml, parameters, schema, FeatureData.FeaturesColumn, null, FeatureData.ScoreColumn, "PredictedLabel" });
    }
}
