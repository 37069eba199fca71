using System.Diagnostics;
using Classifier.Core;

namespace Classifier.Cli.Output;

/// <summary>
/// Everything a command says on stderr besides errors: progress stages and warnings. --quiet silences it.
/// On a terminal, counted progress redraws one line; in a pipe or log, each stage is one plain line.
/// </summary>
public sealed class Diagnostics : IProgress<ProgressUpdate>
{
    /// <summary>Skipped-row warnings shown one by one before they are only counted.</summary>
    public const int MaxRowWarnings = 20;

    private readonly CliContext _context;
    private readonly bool _quiet;
    /// <summary>Time since the command started (a test's fake clock may stand in).</summary>
    private readonly Func<TimeSpan> _elapsed;
    private readonly object _lock = new();
    private bool _lineOpen;
    /// <summary>The warnings Core has reported, each said once.</summary>
    private readonly HashSet<string> _warned = [];
    private int _skipped;

    public Diagnostics(CliContext context, bool quiet) : this(context, quiet, null) { }

    internal Diagnostics(CliContext context, bool quiet, Func<TimeSpan>? clock)
    {
        _context = context;
        _quiet = quiet;
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }
        _elapsed = clock;
    }

    public int SkippedRows => _skipped;

    public void Report(ProgressUpdate update)
    {
        if (update.Warning)
        {
            // Once a command: cross-validation and tune train many times, and each fit would say the same again.
            lock (_lock)
                if (!_warned.Add(update.Stage)) return;
            Warn(update.Stage);
            return;
        }
        if (_quiet || (update.Transient && !_context.ErrorIsTerminal)) return;
        var count = update.Seconds && update.Total is not null ? $" ({Clock(update.Done)} of {Clock(update.Total.Value)}, {Clock(Math.Max(0, update.Total.Value - update.Done))} left)"
            : update.Total is > 0 ? $" {update.Done:N0}/{update.Total:N0}{Eta(update)}" : update.Done > 0 ? $" {update.Done:N0}" : "";
        var line = $"[{_elapsed().TotalSeconds,6:F1}s] {update.Stage}{count}";
        lock (_lock)
        {
            if (_context.ErrorIsTerminal)
            {
                _context.Error.Write("\r" + line.PadRight(Console.IsErrorRedirected ? 0 : Math.Max(0, SafeWidth() - 1)));
                _lineOpen = true;
            }
            else
            {
                _context.Error.WriteLine(line);
            }
        }
    }

    private string? _stage;
    private TimeSpan _stageStart;

    /// <summary>"m:ss" for a number of seconds.</summary>
    private static string Clock(long seconds) => $"{seconds / 60}:{seconds % 60:00}";

    /// <summary>", ETA m:ss" from the pace of the stage (or of its <see cref="ProgressUpdate.Work"/>) so far, once a tenth of it is done.</summary>
    private string Eta(ProgressUpdate update)
    {
        lock (_lock)
        {
            var work = update.Work ?? update.Stage;
            if (work != _stage)
            {
                _stage = work;
                _stageStart = _elapsed();
            }
            var total = update.Total!.Value;
            if (update.Done <= 0 || update.Done >= total || update.Done * 10 < total) return "";
            var elapsed = _elapsed() - _stageStart;
            var left = TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - update.Done) / update.Done);
            return $", ETA {(int)left.TotalMinutes}:{left.Seconds:00}";
        }
    }

    /// <summary>Redraws a counted line on a terminal only: in logs, per-item updates would flood.</summary>
    public void Tick(ProgressUpdate update)
    {
        if (_context.ErrorIsTerminal) Report(update);
    }

    public void Warn(string message)
    {
        if (_quiet) return;
        lock (_lock)
        {
            EndLine();
            _context.Error.WriteLine($"warning: {message}");
        }
    }

    /// <summary>
    /// Warns about a bad row, saying what became of it: left out (drop, and always in training), or under keep written
    /// with its error, or scored all the same. After <see cref="MaxRowWarnings"/> only the count goes on.
    /// </summary>
    public void BadRow(Core.Data.BadRow row, Core.Data.BadRowMode mode)
    {
        var n = Interlocked.Increment(ref _skipped);
        if (n == MaxRowWarnings + 1) Warn("more bad rows; only the count is shown from now on");
        if (n > MaxRowWarnings) return;
        if (mode != Core.Data.BadRowMode.Keep) Warn($"skipped {row.Describe()}");
        else if (row.Kind == Core.Data.BadRowKind.EmptyText) Warn($"{row.Describe()} (scored from the model's biases alone)");
        else if (row.Kind == Core.Data.BadRowKind.InvalidUtf8) Warn($"{row.Describe()} (scored with the bytes replaced)");
        else Warn($"bad row {row.Describe()} (written with no label and its reason in 'error')");
    }

    /// <summary>Ends an in-place progress line so that the next output starts on a fresh line.</summary>
    public void EndLine()
    {
        lock (_lock)
        {
            if (!_lineOpen) return;
            _context.Error.WriteLine();
            _lineOpen = false;
        }
    }

    private static int SafeWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 80; }
        catch (IOException) { return 80; }
    }
}
