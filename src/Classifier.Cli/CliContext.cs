namespace Classifier.Cli;

/// <summary>
/// Where a command reads and writes. Injected so that tests run the whole command tree in process and
/// capture its output, as dotnet-suggest does.
/// </summary>
public sealed class CliContext
{
    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public Func<Stream> OpenStdin { get; }
    /// <summary>True when stderr is a terminal: progress is then redrawn in place.</summary>
    public bool ErrorIsTerminal { get; }
    /// <summary>Set by a verb that saves its result after Ctrl-C too; Program then does not force the exit.</summary>
    public FinalSave FinalSave { get; } = new();
    /// <summary>A model that Program started loading before the command line was parsed (`predict` only), or null.</summary>
    public ModelPreload? Preload { get; init; }

    public CliContext(TextWriter output, TextWriter error, Func<Stream>? stdin = null, bool errorIsTerminal = false)
    {
        Out = output;
        Error = error;
        OpenStdin = stdin ?? (() => Stream.Null);
        ErrorIsTerminal = errorIsTerminal;
    }
}
