using System.Text;
using Classifier.Tests.Catalogue;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.BadRows;

/// <summary>
/// Every row case of docs/catalogue.md that `score` can meet, under each of `--bad-rows keep`, `drop` and `fail`:
/// keep writes one output row per record, in order, with the bad ones that cannot be scored carrying an `error`;
/// drop writes the good ones; fail stops with exit 2 and no output. Keep and drop exit 3.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class BadRowCasesTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private const string Good = "The striker scored a goal and the team won the match";
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public BadRowCasesTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    /// <summary>A case: the input's name and bytes, its records in order, and which of them are bad and which cannot be scored.</summary>
    private sealed record Case(string Name, byte[] Bytes, string[] Ids, string[] Bad, string[] Unscorable);

    private static byte[] B(params object[] parts) =>
        parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p).ToArray();

    private static Case Get(string name) => name switch
    {
        "ragged" => new(name + ".csv", B($"id,text\n1,{Good}\n2,too,many\n3\n4,{Good}\n"), ["1", "2", "3", "4"], ["2", "3"], ["2", "3"]),
        "quote-later" => new(name + ".csv", B($"id,text\n1,{Good}\n2,\"open\n3,swallowed\n4,closed\" here\n5,{Good}\n"), ["1", "2", "5"], ["2"], ["2"]),
        "quote-never" => new(name + ".csv", B($"id,text\n1,{Good}\n2,\"never closed\n3,{Good}\n"), ["1", "2"], ["2"], ["2"]),
        "empty-text" => new(name + ".csv", B($"id,text\n1,{Good}\n2,\n3,   \n4,{Good}\n"), ["1", "2", "3", "4"], ["2", "3"], []),
        "invalid-utf8" => new(name + ".csv", B($"id,text\n1,{Good}\n2,caf", new byte[] { 0xE9 }, $" {Good}\n3,{Good}\n"), ["1", "2", "3"], ["2"], []),
        "jsonl-broken" => new(name + ".jsonl", B($"{{\"id\":\"1\",\"text\":\"{Good}\"}}\n{{\"id\":\"2\",\"text\":\"cut\n[1,2]\n{{\"id\":\"4\",\"text\":\"{Good}\"}}\n"), ["1", "2", "3", "4"], ["2", "3"], ["2", "3"]),
        "jsonl-surrogate" => new(name + ".jsonl", B($"{{\"id\":\"1\",\"text\":\"{Good}\"}}\n{{\"id\":\"2\",\"text\":\"half \\ud800 pair\"}}\n"), ["1", "2"], ["2"], ["2"]),
        "jsonl-null" => new(name + ".jsonl", B($"{{\"id\":\"1\",\"text\":\"{Good}\"}}\n{{\"id\":\"2\",\"text\":null}}\n{{\"id\":\"3\"}}\n"), ["1", "2", "3"], ["2", "3"], []),
        "txt-blank" => new(name + ".txt", B($"{Good}\n\n  \n{Good}\n"), ["1", "2", "3", "4"], ["2", "3"], []),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in new[] { "ragged", "quote-later", "quote-never", "empty-text", "invalid-utf8", "jsonl-broken", "jsonl-surrogate", "jsonl-null", "txt-blank" })
            foreach (var mode in new[] { "keep", "drop", "fail" })
                data.Add(c, mode);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryRowCase_UnderEachMode(string name, string mode)
    {
        var c = Get(name);
        var input = _tmp.WriteBytes(c.Name, c.Bytes);
        var output = _tmp["out.jsonl"];
        var r = await CliHarness.RunAsync("score", "-m", _model.TrainedModel, "-i", input, "--text", "text", "-o", output, "--bad-rows", mode);
        if (mode == "fail")
        {
            Outcome.BadInput(r, input);
            Outcome.NoFile(output);
            return;
        }
        Outcome.BadRows(r);
        var rows = ScoreAssert.JsonLines(File.ReadAllText(output));
        var ids = rows.Select(x => x.GetProperty("id").GetString()).ToArray();
        Assert.Equal(mode == "keep" ? c.Ids : c.Ids.Except(c.Bad).ToArray(), ids);
        Assert.Equal(c.Bad.Length, ScoreAssert.Summary(r).Bad);
        foreach (var row in rows)
        {
            var id = row.GetProperty("id").GetString()!;
            var unscorable = c.Unscorable.Contains(id);
            Assert.Equal(unscorable, row.TryGetProperty("error", out _));
            Assert.Equal(unscorable ? System.Text.Json.JsonValueKind.Null : System.Text.Json.JsonValueKind.String, row.GetProperty("label").ValueKind);
        }
    }
}
