namespace Classifier.Core.Scoring;

/// <summary>
/// What the output holds: the kept input columns, the id (from <paramref name="IdColumn"/>, else the line number), the
/// top labels (or, for a multi-label model, the label set) and, when bad rows are kept, an `error` column.
/// </summary>
/// <param name="IdColumn">The input column the ids come from, or null: a kept column of that name is the id itself.</param>
public sealed record OutputLayout(IReadOnlyList<string> Kept, string? IdColumn, int Top, string? MultiLabelSeparator = null, bool ErrorColumn = false)
{
    public const string ErrorName = "error";

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
