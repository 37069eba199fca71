using Classifier.Core;

namespace Classifier.Cli;

/// <summary>
/// Runs a verb's body and maps what can go wrong to the documented exit codes: one line on stderr, and a
/// stack trace only with --verbose.
/// </summary>
public static class CommandRunner
{
    public static int Run(CliContext context, bool verbose, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputException e)
        {
            context.Error.WriteLine($"error: {e.Describe()}");
            if (verbose) context.Error.WriteLine(e);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("cancelled: nothing was written");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (Unwrap(e) is InputException inner)
        {
            context.Error.WriteLine($"error: {inner.Describe()}");
            if (verbose) context.Error.WriteLine(e);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException)
        {
            context.Error.WriteLine("cancelled: nothing was written");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            context.Error.WriteLine($"error: unexpected failure: {Unwrap(e).Message.ReplaceLineEndings(" ")}{(verbose ? "" : " (run with --verbose for details)")}");
            if (verbose) context.Error.WriteLine(e);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Parallel loops wrap what their bodies throw; the first inner exception is the one that matters.</summary>
    private static Exception Unwrap(Exception e) =>
        e is AggregateException { InnerExceptions.Count: > 0 } a ? Unwrap(a.InnerExceptions[0]) : e.InnerException is InputException ? e.InnerException : e;
}
