using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>Documents as compressed sparse rows: one flat index array and one value array for all rows.</summary>
internal sealed class SparseMatrix
{
    public readonly int[] RowStart;
    public readonly int[] Indices;
    public readonly float[] Values;
    public readonly int Columns;

    public int Rows => RowStart.Length - 1;

    public SparseMatrix(IReadOnlyList<SparseVector> rows, int columns)
    {
        Columns = columns;
        RowStart = new int[rows.Count + 1];
        long total = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            total += rows[i].Count;
            if (total > int.MaxValue) throw new InputException("the training data has too many features in total; pass --max-features or --char-ngrams 0");
            RowStart[i + 1] = (int)total;
        }
        Indices = new int[total];
        Values = new float[total];
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i].Indices.CopyTo(Indices, RowStart[i]);
            rows[i].Values.CopyTo(Values, RowStart[i]);
        }
    }

    public double Dot(int row, float[] w)
    {
        double s = 0;
        for (int p = RowStart[row], end = RowStart[row + 1]; p < end; p++) s += Values[p] * w[Indices[p]];
        return s;
    }

    public void AddTo(int row, float[] w, float scale)
    {
        for (int p = RowStart[row], end = RowStart[row + 1]; p < end; p++) w[Indices[p]] += scale * Values[p];
    }

    public double SquaredNorm(int row)
    {
        double s = 0;
        for (int p = RowStart[row], end = RowStart[row + 1]; p < end; p++) s += Values[p] * Values[p];
        return s;
    }
}
