namespace Classifier.Core.Evaluation;

/// <summary>One off-diagonal cell of a confusion matrix: <see cref="Count"/> of the <see cref="TrueTotal"/> documents of <see cref="True"/> were predicted <see cref="Predicted"/>.</summary>
public sealed record Confusion(string True, string Predicted, int Count, int TrueTotal)
{
    /// <summary>
    /// The <paramref name="count"/> largest off-diagonal cells, most documents first, ties in label order: what matters
    /// in a matrix of too many classes to show.
    /// </summary>
    public static IReadOnlyList<Confusion> Largest(MulticlassMetrics m, int count)
    {
        var cells = new List<(int Count, int Row, int Col)>();
        for (int r = 0; r < m.Confusion.Length; r++)
            for (int c = 0; c < m.Confusion[r].Length; c++)
                if (r != c && m.Confusion[r][c] > 0) cells.Add((m.Confusion[r][c], r, c));
        return cells.OrderByDescending(x => x.Count).ThenBy(x => x.Row).ThenBy(x => x.Col).Take(count)
            .Select(x => new Confusion(m.Labels[x.Row], m.Labels[x.Col], x.Count, m.Confusion[x.Row].Sum()))
            .ToList();
    }
}
