using Classifier.Core.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Classifier.Core.Training;

/// <summary>
/// Bridges our sparse vectors into ML.NET's IDataView. Labels travel as key values; LoadFromEnumerable takes
/// them 0-based (it shifts them to ML.NET's 1-based keys itself), so label i of the model is Score slot i.
/// </summary>
public static class FeatureData
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";
    public const string ScoreColumn = "Score";

    public sealed class Row
    {
        public uint Label { get; set; }
        public VBuffer<float> Features { get; set; }
    }

    public sealed class Input
    {
        public VBuffer<float> Features { get; set; }
    }

    public sealed class Output
    {
        public VBuffer<float> Score { get; set; }
    }

    public static SchemaDefinition RowSchema(int dimension, int classes)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        schema[LabelColumn].ColumnType = new KeyDataViewType(typeof(uint), classes);
        return schema;
    }

    public static SchemaDefinition InputSchema(int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(Input));
        schema[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }

    public static VBuffer<float> ToVBuffer(SparseVector v, int dimension) =>
        new(dimension, v.Count, v.Values, v.Indices);

    internal static IDataView Build(MLContext ml, SparseMatrix x, IReadOnlyList<int> y, int dimension, int classes)
    {
        var rows = Enumerable.Range(0, x.Rows).Select(i => new Row { Label = (uint)(y[i]), Features = ToVBuffer(x.Row(i), dimension) });
        return ml.Data.LoadFromEnumerable(rows, RowSchema(dimension, classes));
    }
}
