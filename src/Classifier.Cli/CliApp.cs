using System.CommandLine;
using Classifier.Cli.Commands;
using Classifier.Cli.Options;

namespace Classifier.Cli;

/// <summary>Builds the command tree and runs it. Only dispatch lives here; each verb has its own file.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Train, evaluate and apply text classifiers for news articles (ML.NET).");
        root.Options.Add(CommonOptions.Verbose());
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(EvaluateCommand.Create(context));
        root.Subcommands.Add(PredictCommand.Create(context));
        root.Subcommands.Add(ScoreCommand.Create(context));
        root.Subcommands.Add(CrossValidateCommand.Create(context));
        root.Subcommands.Add(InfoCommand.Create(context));
        root.Subcommands.Add(ExplainCommand.Create(context));
        root.Subcommands.Add(PlacesCommand.Create(context));
        root.Subcommands.Add(TuneCommand.Create(context));
        FiniteNumbers.RequireIn(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancel = default)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) context.Error.WriteLine($"error: {error.Message}");
            context.Error.WriteLine($"Run 'classifier {string.Join(' ', parse.CommandResult.Command.Name == root.Name ? "" : parse.CommandResult.Command.Name)} --help' for usage.".Replace("  ", " "));
            return ExitCodes.BadInput;
        }
        // Program.cs handles Ctrl-C (and SIGTERM) itself: System.CommandLine's own handler would only double it, and it
        // crashes the process (exit 134) on a second signal.
        var config = new InvocationConfiguration
        {
            Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(config, cancel);
    }

    public static int Run(string[] args, CliContext context, CancellationToken cancel = default) =>
        RunAsync(args, context, cancel).GetAwaiter().GetResult();
}
