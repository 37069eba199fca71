using System.Diagnostics;
using System.Text.Json;
using Classifier.Core.Data;
using Classifier.Tests.Cli;

namespace Classifier.Tests.Data;

/// <summary>
/// Parquet written and read by an independent implementation from another ecosystem (hyparquet and hyparquet-writer,
/// pure JavaScript, through tests/interop/parquet-js.mjs): a file it writes trains and scores here, and a file scored
/// here reads there with the same rows. Runs where node and the modules are installed (.ci/run installs them into
/// ~/.cache/classifier-parquet-js, or CLASSIFIER_PARQUET_JS names the folder); skips where they are not.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ParquetInteropTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Modules => Environment.GetEnvironmentVariable("CLASSIFIER_PARQUET_JS") is { Length: > 0 } m ? m
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "classifier-parquet-js", "node_modules");

    private static string? Node => new[] { "/usr/bin/node", "/usr/local/bin/node" }.FirstOrDefault(File.Exists);

    private static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "tests", "interop", "parquet-js.mjs"))) return Path.Combine(dir.FullName, "tests", "interop", "parquet-js.mjs");
            throw new FileNotFoundException("tests/interop/parquet-js.mjs");
        }
    }

    private static bool Available => Node is not null && Directory.Exists(Path.Combine(Modules, "hyparquet")) && Directory.Exists(Path.Combine(Modules, "hyparquet-writer"));

    private static string Js(string mode, string file)
    {
        var start = new ProcessStartInfo(Node!, [Script, mode, file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CLASSIFIER_PARQUET_JS"] = Modules;
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "node did not finish in a minute");
        Assert.True(p.ExitCode == 0, $"node {mode} failed: {stderr.Result}");
        return stdout.Result;
    }

    [SkippableFact]
    public async Task AFileWrittenInJavaScript_TrainsAndScoresHere_AndOurOutputReadsThere()
    {
        Skip.IfNot(Available, $"node or the hyparquet modules are missing ({Modules}); .ci/run installs them");
        var input = _tmp["js.parquet"];
        Js("write", input);
        using (var reader = RecordReaders.Open(input, DataFormat.Auto))
        {
            Assert.Equal(["id", "text", "label", "n", "note"], reader.Columns);
            var rows = reader.ReadAll().ToList();
            Assert.Equal(300, rows.Count);
            var parquet = (ParquetRecordReader)reader;
            Assert.Equal(5, parquet.RowGroupCount);
            Assert.Equal("js7", rows[7]["id"]);
            Assert.Null(rows[7]["n"]);
            Assert.Equal("8", rows[8]["n"]);
            // hyparquet writes version 2 data pages: the four string columns of every row group are read a page at a time.
            Assert.Equal(4 * 5, parquet.PagedChunks);
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.EndsWith($" report number {i}", rows[i]["text"]);
                Assert.Equal(new[] { "sport", "business", "health" }[i % 3], rows[i]["label"]);
                Assert.Equal(i % 5 == 0 ? null : $"note {i}", rows[i]["note"]);
            }
        }
        await CliHarness.RunOkAsync("train", "--data", input, "--model", _tmp["m.zip"], "--quiet");
        var output = _tmp["scored.parquet"];
        await CliHarness.RunOkAsync("score", "-m", _tmp["m.zip"], "-i", input, "-o", output, "--top", "2", "--quiet");
        await CliHarness.RunOkAsync("score", "-m", _tmp["m.zip"], "-i", input, "-o", _tmp["scored.csv"], "--top", "2", "--keep", "none", "--quiet");
        var csv = File.ReadAllLines(_tmp["scored.csv"]).Skip(1).Select(l => l.Split(',')).ToList();
        var read = Js("read", output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(300, read.Count);
        for (int i = 0; i < read.Count; i++)
        {
            Assert.Equal($"js{i}", read[i].GetProperty("id").GetString());
            Assert.Equal(csv[i][1], read[i].GetProperty("label").GetString());
            Assert.Equal(double.Parse(csv[i][2], System.Globalization.CultureInfo.InvariantCulture), read[i].GetProperty("score").GetDouble());
            Assert.Equal(read[i].GetProperty("input_label").GetString(), read[i].GetProperty("label").GetString());
        }
    }
}
