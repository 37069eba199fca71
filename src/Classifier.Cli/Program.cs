using Classifier.Cli;
using Classifier.Core;

// Ctrl-C asks the running work to stop at its next check, so that it can clean up and exit 130. Training
// inside ML.NET cannot be interrupted, so if the work has not stopped within a grace period we delete any
// temporary output and exit anyway: the user gets their terminal back and nothing half-written remains.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
    _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ =>
    {
        AtomicFile.DeletePending();
        Console.Error.WriteLine("cancelled: nothing was written");
        Environment.Exit(ExitCodes.Cancelled);
    });
};
var context = new CliContext(Console.Out, Console.Error, Console.OpenStandardInput, !Console.IsErrorRedirected);
return await CliApp.RunAsync(args, context, cancel.Token);
