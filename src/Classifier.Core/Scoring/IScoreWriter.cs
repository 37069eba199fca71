namespace Classifier.Core.Scoring;

/// <summary>Writes scored rows in one output format. Rows arrive in input order.</summary>
public interface IScoreWriter : IDisposable
{
    /// <param name="multiLabelSeparator">Set for multi-label models: rows then carry a label set, not a ranking.</param>
    void WriteHeader(IReadOnlyList<string> keptColumns, int top, string? multiLabelSeparator = null);
    void Write(ScoredRow row, IReadOnlyList<string> labels);
    void Flush();
}
