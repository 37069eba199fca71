namespace Classifier.Cli;

/// <summary>The documented exit codes (README, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>An unexpected failure: a bug, or the machine ran out of something.</summary>
    public const int Failure = 1;
    /// <summary>Bad usage or bad input: fix the command line or the data.</summary>
    public const int BadInput = 2;
    /// <summary>Finished, but some rows were bad (kept with an error, scored anyway, or left out): see the summary line.</summary>
    public const int BadRows = 3;
    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
