namespace Classifier.Core.Data;

/// <summary>Why a row is bad, in the few kinds that summaries count and that `--bad-rows-file` records.</summary>
public enum BadRowKind
{
    /// <summary>A CSV/TSV row whose field count differs from the header's.</summary>
    FieldCount,
    /// <summary>A CSV quoting problem: a quote never closed, a stray quote, text after a closing quote.</summary>
    Quoting,
    /// <summary>A JSON Lines line that is not one JSON object.</summary>
    NotJson,
    /// <summary>Bytes that are not UTF-8. The row's text is still there, with each bad sequence replaced by U+FFFD.</summary>
    InvalidUtf8,
    /// <summary>A row whose text columns are empty or blank. `score` can still score it from the biases alone.</summary>
    EmptyText,
    /// <summary>A training or evaluation row without a usable label (none, empty, or not in the label map).</summary>
    NoLabel,
    /// <summary>A file of a folder that could not be read.</summary>
    Unreadable,
}

/// <summary>
/// One bad row: what is wrong, where (the file, and the line where the row starts when the format has lines) and the
/// row as it was written (whole, or for CSV cut a little past <see cref="MaxRawChars"/>: the bad-rows file cuts it to
/// that and says so), so that rejected data can be fixed and fed back.
/// </summary>
public sealed record BadRow(BadRowKind Kind, string Reason, string Source, long? Line, string? Raw = null, string? Column = null)
{
    /// <summary>Long enough to see what went wrong in any real row; short enough that a runaway quote stays small.</summary>
    public const int MaxRawChars = 4096;

    /// <summary>The short name of a kind, as summaries and the bad-rows file print it.</summary>
    public static string Name(BadRowKind kind) => kind switch
    {
        BadRowKind.FieldCount => "field count",
        BadRowKind.Quoting => "quoting",
        BadRowKind.NotJson => "not JSON",
        BadRowKind.InvalidUtf8 => "invalid UTF-8",
        BadRowKind.EmptyText => "empty text",
        BadRowKind.NoLabel => "no label",
        _ => "unreadable",
    };

    /// <summary>The machine-readable name of a kind (`reason_kind` in the bad-rows file).</summary>
    public static string Key(BadRowKind kind) => Name(kind).Replace(' ', '_').ToLowerInvariant();

    /// <summary>Whether the row still has all its fields, so that `score --bad-rows keep` can score it.</summary>
    public bool Scorable => Kind is BadRowKind.InvalidUtf8 or BadRowKind.EmptyText;

    /// <summary>"file:line: reason (column 'X')", as warnings and errors print it.</summary>
    public string Describe() => ToException().Describe();

    public InputException ToException() => new(Reason, Source, Line, Column);

    /// <summary>The reason with its line, for an output row's `error` field ("line 3: row has 1 field, header has 2").</summary>
    public string ForOutput() => Line is { } line ? $"line {line}: {Reason}" : Reason;

    /// <summary>Cuts raw text to <see cref="MaxRawChars"/>, without splitting a surrogate pair.</summary>
    public static string? Cap(string? raw, out bool truncated)
    {
        truncated = raw is not null && raw.Length > MaxRawChars;
        if (!truncated) return raw;
        var n = MaxRawChars;
        if (char.IsHighSurrogate(raw![n - 1])) n--;
        return raw[..n];
    }
}
