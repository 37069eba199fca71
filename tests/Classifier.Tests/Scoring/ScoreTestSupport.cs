using System.Text;
using System.Text.Json;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Scoring;

/// <summary>
/// One tiny model trained on tiny-news.csv (title + text), once per test class that uses it, with the fixture rows
/// parsed for building inputs.
/// </summary>
public sealed class ScoreModelFixture : IAsyncLifetime
{
    public static readonly string[] Labels = ["business", "health", "sport"];

    public TempDirectory Dir { get; } = new();
    public string Model => Dir["model.zip"];
    public CliResult Train { get; private set; } = null!;

    /// <summary>The fixture's rows as (id, title, text, label).</summary>
    public IReadOnlyList<(string Id, string Title, string Text, string Label)> Rows { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var data = Dir.CopyFixture("tiny-news.csv");
        Train = await CliHarness.RunAsync(["train", "--data", data, "--text", "title,text", "--model", Model, "--quiet"], stdin: null);
        var table = Csv.Parse(File.ReadAllText(data));
        Assert.Equal(["id", "title", "text", "label"], table[0]);
        Rows = table.Skip(1).Select(r => (r[0], r[1], r[2], r[3])).ToList();
    }

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The model path, failing the test with the training output if training failed.</summary>
    public string TrainedModel
    {
        get
        {
            Assert.True(Train.ExitCode == 0, $"training the scoring model failed:\n{Train}");
            return Model;
        }
    }
}

/// <summary>A small RFC 4180 parser, independent of the code under test: quoted fields may hold separators, quotes and line breaks.</summary>
public static class Csv
{
    public static List<string[]> Parse(string text, char separator = ',')
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        bool any = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new FormatException("unterminated quote");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                any = true;
                if (i < text.Length && text[i] != separator && text[i] != '\n' && text[i] != '\r')
                    throw new FormatException($"text after a closing quote at {i}");
                continue;
            }
            if (c == separator)
            {
                row.Add(field.ToString());
                field.Clear();
                any = true;
                i++;
                continue;
            }
            if (c == '\r' || c == '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++;
                if (any || field.Length > 0) row.Add(field.ToString());
                if (row.Count > 0) rows.Add(row.ToArray());
                row.Clear();
                field.Clear();
                any = false;
                continue;
            }
            field.Append(c);
            any = true;
            i++;
        }
        if (any || field.Length > 0) row.Add(field.ToString());
        if (row.Count > 0) rows.Add(row.ToArray());
        return rows;
    }

    /// <summary>One field quoted as RFC 4180 requires (always quoted when it holds anything special).</summary>
    public static string Quote(string value, char separator = ',') =>
        value.IndexOfAny([separator, '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    public static string Line(char separator, params string[] fields) => string.Join(separator, fields.Select(f => Quote(f, separator))) + "\n";

    /// <summary>A parsed table as dictionaries by header name; fails on duplicate header names.</summary>
    public static List<Dictionary<string, string>> Records(string text, char separator = ',')
    {
        var table = Parse(text, separator);
        Assert.NotEmpty(table);
        var header = table[0];
        Assert.True(header.Distinct().Count() == header.Length, $"duplicate column names in the output header: {string.Join(separator, header)}");
        foreach (var r in table.Skip(1)) Assert.True(r.Length == header.Length, $"row has {r.Length} fields, header {header.Length}: {string.Join('|', r)}");
        return table.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
    }
}

public static class ScoreAssert
{
    /// <summary>Every line of a JSON Lines text, parsed.</summary>
    public static List<JsonElement> JsonLines(string text)
    {
        var result = new List<JsonElement>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            result.Add(doc.RootElement.Clone());
        }
        return result;
    }

    /// <summary>
    /// The summary line, which must be the last line of stderr: "scored N documents in S s (R docs/s); " then "no bad rows",
    /// "skipped B bad rows (…)" (drop) or "B bad rows (…): E written with their error, K scored anyway" (keep), then
    /// "; wrote PATH" for a file. Returns the documents scored and the bad rows.
    /// </summary>
    public static (long Scored, long Bad) Summary(CliResult r)
    {
        var last = r.Stderr.TrimEnd('\n').Split('\n')[^1];
        var m = System.Text.RegularExpressions.Regex.Match(last,
            @"^scored ([\d,]+) documents in \d+\.\d s \(([\d,]+) docs/s\); (no bad rows|skipped ([\d,]+) bad rows \(.+\)|([\d,]+) bad rows \(.+\): ([\d,]+) written with their error, ([\d,]+) scored anyway)(; wrote .+)?$");
        Assert.True(m.Success, $"the last stderr line is not the summary:\n{r}");
        static long N(System.Text.RegularExpressions.Group g) => g.Success ? long.Parse(g.Value.Replace(",", "")) : 0;
        return (N(m.Groups[1]), N(m.Groups[4]) + N(m.Groups[5]));
    }

    /// <summary>Under keep, the rows written with an error (and no label) from the summary line.</summary>
    public static long ErrorRows(CliResult r)
    {
        var m = System.Text.RegularExpressions.Regex.Match(r.Stderr, @": ([\d,]+) written with their error");
        return m.Success ? long.Parse(m.Groups[1].Value.Replace(",", "")) : 0;
    }

    /// <summary>Neither the target nor any temporary file of it (".name.*.tmp") is in its folder.</summary>
    public static void NoOutput(string target)
    {
        Assert.False(File.Exists(target), $"{target} exists");
        var folder = Path.GetDirectoryName(target)!;
        Assert.Empty(Directory.GetFiles(folder, $".{Path.GetFileName(target)}.*.tmp"));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    public static void ScoresDescending(IReadOnlyList<double> scores)
    {
        for (int i = 1; i < scores.Count; i++) Assert.True(scores[i] <= scores[i - 1], string.Join(", ", scores));
    }
}
