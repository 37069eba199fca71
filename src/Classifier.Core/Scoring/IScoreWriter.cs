namespace Classifier.Core.Scoring;

/// <summary>Writes scored rows in one output format. Rows arrive in input order.</summary>
public interface IScoreWriter : IDisposable
{
    void WriteHeader(IReadOnlyList<string> keptColumns, int top);
    void Write(ScoredRow row, IReadOnlyList<string> labels);
    void Flush();
}
