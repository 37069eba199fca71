namespace Classifier.Core.Training;

/// <summary>
/// The weights <see cref="LockstepSvm"/> solved, as it holds them: per group of classes, one array feature by feature
/// (feature j's weights for the group's classes at j·stride). A calibration or ranking solve over every feature is only
/// ranked and then restricted to the kept features, so it is read where it lies: copied out class by class first, the
/// copy doubled the solve's largest arrays (20 Newsgroups' peak went from 476 to 618 MB).
/// </summary>
internal sealed class GroupWeights
{
    private readonly (int First, int Count, int Stride, float[] W)[] _groups;

    public int Classes { get; }
    public int Columns { get; }

    public GroupWeights(IReadOnlyList<(int First, int Count, int Stride, float[] W)> groups, int columns)
    {
        _groups = groups.OrderBy(g => g.First).ToArray();
        Classes = _groups.Sum(g => g.Count);
        Columns = columns;
    }

    /// <summary>Class-major weights as they are, each class a group of its own (nothing is copied).</summary>
    public static GroupWeights OfClasses(IReadOnlyList<float[]> weights) =>
        new(weights.Select((w, c) => (c, 1, 1, w)).ToList(), weights.Count == 0 ? 0 : weights[0].Length);

    /// <summary>Each class's weight vector: copied out of a group, or the class's own array where it is a group of its own.</summary>
    public float[][] ToClassMajor() =>
        _groups.All(g => g.Count == 1 && g.Stride == 1) ? _groups.Select(g => g.W).ToArray() : Restrict(null);

    /// <summary>Per feature, the squared L2 norm of its weights over all classes, as <see cref="FeaturePruning"/> ranks them.</summary>
    public double[] SquaredNorms()
    {
        var norm = new double[Columns];
        foreach (var (_, count, stride, w) in _groups)
            for (int j = 0; j < Columns; j++)
            {
                double s = 0;
                for (int c = 0, at = j * stride; c < count; c++, at++) s += (double)w[at] * w[at];
                norm[j] += s;
            }
        return norm;
    }

    /// <summary>The weights of the <paramref name="keep"/> features (null: all), class-major.</summary>
    public float[][] Restrict(int[]? keep)
    {
        var result = new float[Classes][];
        var n = keep?.Length ?? Columns;
        foreach (var (first, count, stride, w) in _groups)
            for (int c = 0; c < count; c++)
            {
                var wc = result[first + c] = new float[n];
                for (int j = 0; j < n; j++) wc[j] = w[(keep?[j] ?? j) * stride + c];
            }
        return result;
    }

    /// <summary>Each class's margin on a row of <paramref name="x"/>: its dot product with the class's weights, plus <paramref name="bias"/>.</summary>
    public void Margins(SparseMatrix x, int row, IReadOnlyList<float> bias, Span<double> margins)
    {
        Span<float> dots = stackalloc float[LockstepSvm.MaxGroup];
        foreach (var (first, count, stride, w) in _groups)
        {
            if (stride == 1)
            {
                margins[first] = x.Dot(row, w) + bias[first];
                continue;
            }
            x.DotInterleaved(row, w, stride, dots);
            for (int c = 0; c < count; c++) margins[first + c] = dots[c] + bias[first + c];
        }
    }
}
