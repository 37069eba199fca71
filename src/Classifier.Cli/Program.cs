using System.Runtime.InteropServices;
using Classifier.Cli;
using Classifier.Core;

// Ctrl-C asks the running work to stop at its next check, so that it can clean up and exit 130. Training
// inside ML.NET cannot be interrupted, so if the work has not stopped within a grace period we delete any
// temporary output and exit anyway: the user gets their terminal back and nothing half-written remains. A verb that
// promised a final save (tune) is left to finish it (FinalSave); a second Ctrl-C exits at once, whatever runs.
// `predict` starts loading its model first of all, beside the runtime's work of building the command line (ModelPreload).
var preload = ModelPreload.Start(args);
using var cancel = new CancellationTokenSource();
var context = new CliContext(Console.Out, Console.Error, Console.OpenStandardInput, !Console.IsErrorRedirected) { Preload = preload };
var presses = 0;
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    if (Interlocked.Increment(ref presses) > 1)
    {
        Abort();
        return;
    }
    cancel.Cancel();
    _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ =>
    {
        if (!context.FinalSave.Promised) Abort();
    });
};
// SIGTERM asks the work to stop as Ctrl-C does (as System.CommandLine's handler did), without forcing the exit.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    cancel.Cancel();
});
return await CliApp.RunAsync(args, context, cancel.Token);

static void Abort()
{
    // Console.Error locks itself for each write: holding that lock through the exit keeps the work's own progress lines
    // from landing after this one, so "cancelled" is the last thing said.
    var error = Console.Error;
    lock (error)
    {
        AtomicFile.DeletePending();
        error.WriteLine("cancelled: nothing was written");
        Environment.Exit(ExitCodes.Cancelled);
    }
}
