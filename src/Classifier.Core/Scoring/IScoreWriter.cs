namespace Classifier.Core.Scoring;

/// <summary>
/// What the output holds: the kept input columns, the id (from <paramref name="IdColumn"/>, else the line number), the
/// top labels (or, for a multi-label model, the label set) and, when bad rows are kept, an `error` column.
/// </summary>
/// <param name="IdColumn">The input column the ids come from, or null: a kept column of that name is the id itself.</param>
/// <param name="TopLabelColumn">
/// Under --min-score: a `top_label` column after the scores, with the most probable label whether or not it passed, so
/// that a row labelled "unknown" still says what it nearly was.
/// </param>
public sealed record OutputLayout(IReadOnlyList<string> Kept, string? IdColumn, int Top, string? MultiLabelSeparator = null, bool ErrorColumn = false,
    bool TopLabelColumn = false)
{
    public const string ErrorName = "error";
    public const string TopLabelName = "top_label";

    /// <summary>The score columns of CSV, TSV and Parquet output: label, score (labels, scores for a multi-label model), top_label under --min-score, then label_2, score_2 … label_N, score_N.</summary>
    public IEnumerable<string> ScoreNames()
    {
        if (MultiLabelSeparator is not null)
        {
            yield return "labels";
            yield return "scores";
            if (TopLabelColumn) yield return TopLabelName;
            yield break;
        }
        yield return "label";
        yield return "score";
        if (TopLabelColumn) yield return TopLabelName;
        for (int k = 2; k <= Top; k++)
        {
            yield return $"label_{k}";
            yield return $"score_{k}";
        }
    }

    /// <summary>Whether the kept column <paramref name="i"/> is the id column under the name "id", so that it is written once.</summary>
    public bool IsIdItself(int i) => Kept[i] == "id" && IdColumn == "id";
}

/// <summary>Writes scored rows in one output format. Rows arrive in input order.</summary>
public interface IScoreWriter : IDisposable
{
    void WriteHeader(OutputLayout layout);
    void Write(ScoredRow row, IReadOnlyList<string> labels);
    void Flush();
}
