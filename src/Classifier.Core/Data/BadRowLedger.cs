using System.Globalization;

namespace Classifier.Core.Data;

/// <summary>What a verb does with a bad row (`score --bad-rows`).</summary>
public enum BadRowMode
{
    /// <summary>Every row stays in the output, in its place; a row that cannot be scored says why in its `error` field.</summary>
    Keep,
    /// <summary>Bad rows are left out, and counted.</summary>
    Drop,
    /// <summary>The first bad row stops the run with exit code 2.</summary>
    Fail,
}

/// <summary>
/// `--max-bad-rows`: a count (bad rows beyond it stop the run as soon as they are met) or a fraction of the rows read
/// (checked once the input is read, since only then is the total known). Null means no limit.
/// </summary>
public sealed record BadRowLimit(long? Count, double? Fraction)
{
    /// <summary>"100" is a count; "0.01" or "1%" a fraction (of the rows read, bad ones included).</summary>
    public static BadRowLimit? Parse(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return null;
        spec = spec.Trim();
        var inv = CultureInfo.InvariantCulture;
        if (long.TryParse(spec, NumberStyles.None, inv, out var count)) return new BadRowLimit(count, null);
        var percent = spec.EndsWith('%');
        if (double.TryParse(percent ? spec[..^1] : spec, NumberStyles.AllowDecimalPoint, inv, out var f)
            && double.IsFinite(f) && (percent ? f is >= 0 and <= 100 : f is >= 0 and < 1))
            return new BadRowLimit(null, percent ? f / 100 : f);
        throw new InputException($"--max-bad-rows takes a count (100), a fraction below 1 (0.01) or a percentage (1%), not '{spec}'");
    }

    public override string ToString() => Count is { } n
        ? n.ToString(CultureInfo.InvariantCulture)
        : Fraction!.Value.ToString("0.####%", CultureInfo.InvariantCulture);
}

/// <summary>
/// Counts the bad rows of a run by kind, tells each one to the listeners (warnings on stderr, the bad-rows file), and
/// enforces `--bad-rows fail` and `--max-bad-rows`. Shared by `score` and the verbs that load labelled data, so that
/// all of them count, warn and stop alike. Safe to call from several threads.
/// </summary>
public sealed class BadRowLedger
{
    private readonly object _lock = new();
    private readonly long[] _byKind = new long[Enum.GetValues<BadRowKind>().Length];
    private readonly List<Action<BadRow>> _listeners = new();

    public BadRowMode Mode { get; }
    public BadRowLimit? Limit { get; }

    public BadRowLedger(BadRowMode mode = BadRowMode.Drop, BadRowLimit? limit = null)
    {
        Mode = mode;
        Limit = limit;
    }

    /// <summary>Adds a listener, told about every bad row in the order they are met (before a failure is thrown).</summary>
    public BadRowLedger OnBadRow(Action<BadRow> listener)
    {
        _listeners.Add(listener);
        return this;
    }

    public long Total { get; private set; }

    public long Count(BadRowKind kind)
    {
        lock (_lock) return _byKind[(int)kind];
    }

    /// <summary>
    /// Records a bad row. Throws an <see cref="InputException"/> naming the row when the mode is
    /// <see cref="BadRowMode.Fail"/> or when the row is one more than the count limit allows.
    /// </summary>
    public void Add(BadRow row)
    {
        lock (_lock)
        {
            Total++;
            _byKind[(int)row.Kind]++;
            foreach (var listener in _listeners) listener(row);
            if (Mode == BadRowMode.Fail) throw row.ToException();
            if (Limit?.Count is { } max && Total > max)
                throw new InputException($"more than {max:N0} bad rows (--max-bad-rows {Limit}); the last: {row.Reason}", row.Source, row.Line, row.Column);
        }
    }

    /// <summary>
    /// Once an input is read: fails when its <paramref name="bad"/> rows (all of this ledger's by default) are a larger
    /// share of the <paramref name="rows"/> read from it than the limit allows. Each input is judged on its own rows.
    /// </summary>
    public void CheckShare(long rows, string source, long? bad = null)
    {
        var count = bad ?? Total;
        if (Limit?.Fraction is not { } f || rows == 0) return;
        var share = (double)count / rows;
        if (share > f)
            throw new InputException(string.Create(CultureInfo.InvariantCulture,
                $"{count:N0} of {rows:N0} rows were bad ({share:0.##%}), more than --max-bad-rows {Limit} allows ({Summary()})"), source);
    }

    /// <summary>"2 field count, 1 empty text": the counts by kind, largest first; "none" when there were none.</summary>
    public string Summary()
    {
        lock (_lock)
        {
            var parts = Enum.GetValues<BadRowKind>().Where(k => _byKind[(int)k] > 0)
                .OrderByDescending(k => _byKind[(int)k])
                .Select(k => string.Create(CultureInfo.InvariantCulture, $"{_byKind[(int)k]:N0} {BadRow.Name(k)}"));
            var text = string.Join(", ", parts);
            return text.Length == 0 ? "none" : text;
        }
    }

    /// <summary>The counts by kind for --json: {"field_count": 2, …}, only kinds that occurred.</summary>
    public Dictionary<string, long> ByKind()
    {
        lock (_lock)
            return Enum.GetValues<BadRowKind>().Where(k => _byKind[(int)k] > 0).ToDictionary(BadRow.Key, k => _byKind[(int)k]);
    }
}
