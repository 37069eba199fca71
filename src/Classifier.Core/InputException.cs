namespace Classifier.Core;

/// <summary>
/// Bad input that the user can fix: a missing file or column, an unreadable row, too few examples.
/// The CLI turns it into one line on stderr and exit code 2, so the message must stand on its own.
/// </summary>
public sealed class InputException : Exception
{
    public string? File { get; }
    public long? Line { get; }
    public string? Column { get; }

    public InputException(string message, string? file = null, long? line = null, string? column = null, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>"file:line: message", with the location parts present only when known.</summary>
    public string Describe()
    {
        var where = File is null ? "" : Line is null ? $"{File}: " : $"{File}:{Line}: ";
        var col = Column is null ? "" : $" (column '{Column}')";
        // One line, always: a message may quote damaged input (a corrupt manifest's JSON), line breaks included.
        return (where + Message + col).ReplaceLineEndings(" ");
    }
}
