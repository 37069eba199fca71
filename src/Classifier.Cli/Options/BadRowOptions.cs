using System.CommandLine;
using Classifier.Cli.Output;
using Classifier.Core.Data;

namespace Classifier.Cli.Options;

/// <summary>
/// What to do with bad rows, for every verb that reads rows: `--bad-rows-file` and `--max-bad-rows` everywhere, and
/// `score`'s `--bad-rows keep|drop|fail` (training verbs always leave bad rows out: a model cannot learn from a row
/// without its fields or label).
/// </summary>
public sealed class BadRowOptions
{
    public const BadRowMode DefaultScoreMode = BadRowMode.Keep;

    private readonly Option<BadRowMode>? _mode;
    private readonly Option<bool>? _strict;
    private readonly Option<string?> _file = new("--bad-rows-file")
    {
        Description = "Also write each bad row to this JSON Lines file: {file, line, kind, reason, raw, raw_truncated}, raw cut at " +
            $"{BadRow.MaxRawChars:N0} characters, so that the rows can be fixed and fed back",
    };
    private readonly Option<string?> _max = new("--max-bad-rows")
    {
        Description = "Exit 2 instead of 3 when there are more bad rows than this: a count (100; stops at once) or a share of " +
            "the rows read (0.01 or 1%; checked at the end) [default: no limit]",
    };

    public BadRowOptions(bool scoring)
    {
        if (!scoring) return;
        _mode = new Option<BadRowMode>("--bad-rows")
        {
            Description = "keep: every row is written in input order, one that cannot be scored with no label and its reason in an " +
                "'error' column, an empty text or one with invalid bytes scored and counted; drop: bad rows are left out; " +
                "fail: the first one stops with exit 2 and no output",
            DefaultValueFactory = _ => DefaultScoreMode,
        };
        _strict = new Option<bool>("--strict") { Description = "The same as --bad-rows fail" };
    }

    public void AddTo(Command command)
    {
        if (_mode is not null) command.Options.Add(_mode);
        if (_strict is not null) command.Options.Add(_strict);
        command.Options.Add(_file);
        command.Options.Add(_max);
    }

    /// <summary>
    /// The ledger of this run, warning on stderr and writing the bad-rows file as rows are met. Called before any work:
    /// the bad-rows file may be none of <paramref name="otherFiles"/> (the inputs, the output or the model).
    /// </summary>
    public BadRowRun Start(ParseResult parse, Diagnostics diagnostics, CancellationToken cancel, params string?[] otherFiles)
    {
        var mode = _mode is null ? BadRowMode.Drop : parse.GetValue(_strict!) ? BadRowMode.Fail : parse.GetValue(_mode);
        var ledger = new BadRowLedger(mode, BadRowLimit.Parse(parse.GetValue(_max)));
        var path = parse.GetValue(_file);
        if (path is not null)
            foreach (var other in otherFiles)
                if (other is not null) Core.AtomicFile.EnsureNotInput(path, other, $"the bad-rows file would replace {other}; write it elsewhere");
        var file = path is not null ? new BadRowFile(path) : null;
        if (file is not null) ledger.OnBadRow(file.Write);
        // Under fail the error line says it all; a warning before it would say it twice.
        if (mode != BadRowMode.Fail) ledger.OnBadRow(row => diagnostics.BadRow(row, mode));
        return new BadRowRun(ledger, file, cancel);
    }
}

/// <summary>
/// A verb's run with its bad rows: the ledger, the bad-rows file, and the exit code they make. The bad-rows file is put
/// in place when the run ends, also when it ends on a bad row (fail, or past --max-bad-rows), since that is when it is
/// wanted most; not after Ctrl-C, which writes nothing.
/// </summary>
public sealed class BadRowRun(BadRowLedger ledger, BadRowFile? file, CancellationToken cancel) : IDisposable
{
    public BadRowLedger Ledger { get; } = ledger;

    /// <summary>The verb's exit code: 3 instead of 0 when there were bad rows.</summary>
    public int Exit(int code)
    {
        file?.Commit();
        return code == ExitCodes.Success && Ledger.Total > 0 ? ExitCodes.BadRows : code;
    }

    public void Dispose()
    {
        if (file is null) return;
        try
        {
            if (Ledger.Total > 0 && !cancel.IsCancellationRequested) file.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The run is failing already (a full disk, say): its own error is the one to report.
        }
        file.Dispose();
    }
}
