namespace Classifier.Core.Data;

/// <summary>Checks requested columns against the ones a reader offers, before any expensive work.</summary>
public static class ColumnSelection
{
    /// <summary>Finds <paramref name="wanted"/> among <paramref name="available"/> (exact, then ignoring case and spaces).</summary>
    /// <summary>
    /// Fails when a text column of a typed input (Parquet) holds something other than text: numbers or dates read as
    /// documents would train or score on nonsense. Labels may be numbers (class 3 is a fine label).
    /// </summary>
    public static void RequireText(IRecordReader reader, IEnumerable<string> textColumns)
    {
        if (reader is not ParquetRecordReader typed) return;
        foreach (var c in textColumns)
            if (typed.NonTextType(c) is { } type && !type.StartsWith("list of string", StringComparison.Ordinal))
                throw new InputException($"text column '{c}' holds {type} values, not text", reader.Source, column: c);
    }

    public static string Resolve(string wanted, IReadOnlyList<string> available, string source, string role)
    {
        var exact = available.FirstOrDefault(c => c == wanted);
        if (exact is not null) return exact;
        var loose = available.Where(c => string.Equals(c.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        if (loose.Count == 1) return loose[0];
        var list = available.Count == 0 ? "(none)" : string.Join(", ", available);
        throw new InputException($"{role} column '{wanted}' not found; the columns are: {list}{SeparatorHint(available)}", source, column: wanted);
    }

    /// <summary>
    /// A header read as one column that holds another separator is almost always a file with the wrong separator
    /// (a semicolon "CSV" from a spreadsheet, a TSV named .csv): say so.
    /// </summary>
    private static string SeparatorHint(IReadOnlyList<string> available)
    {
        if (available.Count != 1) return "";
        var other = new[] { ';', '\t', '|', ',' }.FirstOrDefault(c => available[0].Contains(c));
        if (other == default) return "";
        return other switch
        {
            '\t' => " (a single column holding tabs: the file looks tab-separated; name it .tsv or pass --format tsv)",
            ',' => " (a single column holding ',': the file looks comma-separated; name it .csv or pass --format csv)",
            _ => $" (a single column holding '{other}': the file looks separated by '{other}', which is not read; convert it to commas or tabs)",
        };
    }

    /// <summary>Like <see cref="Resolve"/> but returns null instead of failing when the column is absent.</summary>
    public static string? Find(string wanted, IReadOnlyList<string> available) =>
        available.FirstOrDefault(c => c == wanted)
        ?? available.Where(c => string.Equals(c.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase)).Take(2).ToList() switch { [var one] => one, _ => null };

    public static IReadOnlyList<string> ParseList(string spec) =>
        spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The text of a record: its text columns joined by a newline, missing values as empty.</summary>
    public static string JoinText(Record record, IReadOnlyList<string> columns)
    {
        if (columns.Count == 1) return record[columns[0]] ?? "";
        return string.Join('\n', columns.Select(c => record[c] ?? ""));
    }
}
