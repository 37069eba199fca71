using System.Globalization;
using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Tests.Cli;
using Parquet;
using Parquet.Schema;

namespace Classifier.Tests.Data;

/// <summary>Parquet in (train, score) and out (score): row group by row group, typed columns, bad input in one line.</summary>
[Collection(CliCollection.Name)]
public sealed class ParquetTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>The rows of tiny-news.csv as (id, title, text, label).</summary>
    private static List<string[]> TinyNews()
    {
        using var reader = RecordReaders.Open(CliHarness.Fixture("tiny-news.csv"), DataFormat.Csv);
        return reader.ReadAll().Select(r => new[] { r["id"]!, r["title"]!, r["text"]!, r["label"]! }).ToList();
    }

    /// <summary>tiny-news.csv as Parquet, in row groups of <paramref name="groupRows"/> rows, with a number column beside.</summary>
    private static async Task WriteTinyNews(string path, int groupRows)
    {
        var rows = TinyNews();
        var fields = new DataField[] { new DataField<string>("id"), new DataField<string>("title"), new DataField<string>("text"), new DataField<string>("label"), new DataField<int?>("words") };
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file);
        for (int start = 0; start < rows.Count; start += groupRows)
        {
            var part = rows.Skip(start).Take(groupRows).ToList();
            using var group = writer.CreateRowGroup();
            for (int c = 0; c < 4; c++) await group.WriteAsync(fields[c], part.Select(r => r[c]).ToArray());
            await group.WriteAsync<int>(fields[4], part.Select((r, i) => i % 5 == 0 ? null : (int?)r[2].Split(' ').Length).ToArray().AsMemory());
        }
    }

    [Fact]
    public async Task TheReader_GivesEveryRowInOrder_WithNumbersAsTextAndNullsAsNull()
    {
        var path = _tmp["news.parquet"];
        await WriteTinyNews(path, groupRows: 10);
        using var reader = RecordReaders.Open(path, DataFormat.Auto);
        Assert.IsType<ParquetRecordReader>(reader);
        Assert.Equal(["id", "title", "text", "label", "words"], reader.Columns);
        var records = reader.ReadAll().ToList();
        var expected = TinyNews();
        Assert.Equal(expected.Count, records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal(i + 1, records[i].Line);
            Assert.Equal(expected[i][2], records[i]["text"]);
            Assert.Equal(i % 10 % 5 == 0 ? null : expected[i][2].Split(' ').Length.ToString(CultureInfo.InvariantCulture), records[i]["words"]);
        }
        Assert.Equal(4, ((ParquetRecordReader)reader).RowGroupCount);
    }

    [Fact]
    public async Task OnlyTheColumnsUsed_AreRead_AndTheirRowsAreTheSame()
    {
        var path = _tmp["news.parquet"];
        await WriteTinyNews(path, groupRows: 10);
        using var reader = new ParquetRecordReader(path);
        ((IRecordReader)reader).UseColumns(new HashSet<string> { "text", "id" });
        var records = reader.ReadAll().ToList();
        var expected = TinyNews();
        Assert.Equal(expected.Count, records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal(["id", "text"], records[i].Fields.Keys.Order());
            Assert.Equal(expected[i][0], records[i]["id"]);
            Assert.Equal(expected[i][2], records[i]["text"]);
        }
        // Four row groups, three columns of five left alone in each.
        Assert.Equal(12, reader.SkippedChunks);
        Assert.Equal(["id", "title", "text", "label", "words"], reader.Columns);
    }

    [Fact]
    public async Task Loading_ToTrain_ReadsOnlyTheTextAndLabelColumns()
    {
        var path = _tmp["news.parquet"];
        await WriteTinyNews(path, groupRows: 10);
        using var reader = new ParquetRecordReader(path);
        var data = DatasetLoader.Load(reader, ["title", "text"], "label");
        var expected = TinyNews();
        Assert.Equal(expected.Select(r => r[1] + "\n" + r[2]), data.Texts);
        Assert.Equal(expected.Select(r => r[3]), data.Labels);
        Assert.Equal(8, reader.SkippedChunks); // id and words, in each of four row groups
    }

    [Fact]
    public async Task Score_ReadsOnlyTheTextIdAndKeptColumns_WithTheSameOutputAsReadingThemAll()
    {
        var input = _tmp["news.parquet"];
        await WriteTinyNews(input, groupRows: 10);
        await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("tiny-news.csv"), "--text", "title,text", "--model", _tmp["m.zip"], "--quiet");
        await CliHarness.RunOkAsync("score", "-m", _tmp["m.zip"], "-i", input, "-o", _tmp["some.csv"], "--keep", "label", "--quiet");
        await CliHarness.RunOkAsync("score", "-m", _tmp["m.zip"], "-i", input, "-o", _tmp["all.csv"], "--keep", "all", "--quiet");
        Assert.Equal("input_label,id,label,score,error", File.ReadLines(_tmp["some.csv"]).First());
        // The same ids, input labels and scores as the run that read every column.
        string[] Columns(string file)
        {
            using var r = RecordReaders.Open(file, DataFormat.Csv, labelled: false);
            return r.ReadAll().Select(x => string.Join("|", x["id"], x["input_label"], x["label"], x["score"], x["error"])).ToArray();
        }
        Assert.Equal(Columns(_tmp["all.csv"]), Columns(_tmp["some.csv"]));
    }

    [Fact]
    public async Task AListColumn_ReadsAsItsItemsJoinedWithSemicolons_AsMultiLabelCsvDoes()
    {
        var path = _tmp["multi.parquet"];
        var text = new DataField<string>("text");
        var item = new DataField<string>("element", false);
        var labels = new ListField("labels", item);
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(text, labels), file))
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync(text, new[] { "grain and oil", "nothing", "wheat" });
            // Rows: [grain, crude], [], [wheat]: definition 2 is an item, 1 an empty list; repetition 0 starts a row.
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(item, new[] { "grain".AsMemory(), "crude".AsMemory(), "wheat".AsMemory() }.AsMemory(),
                new[] { 2, 2, 1, 2 }.AsMemory(), new[] { 0, 1, 0, 0 }.AsMemory(), CancellationToken.None);
        }
        using var reader = RecordReaders.Open(path, DataFormat.Auto);
        Assert.Equal(["grain;crude", null, "wheat"], reader.ReadAll().Select(r => r["labels"]).ToList());
    }

    [Fact]
    public async Task TrainOnParquet_MakesTheModelThatTheSameRowsAsCsvMake()
    {
        var path = _tmp["news.parquet"];
        await WriteTinyNews(path, groupRows: 7);
        var fromParquet = await CliHarness.RunOkAsync("train", "--data", path, "--text", "title,text", "--test-fraction", "0", "--model", _tmp["p.zip"], "--quiet");
        var fromCsv = await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("tiny-news.csv"), "--text", "title,text", "--test-fraction", "0", "--model", _tmp["c.zip"], "--quiet");
        var p = Core.Models.ModelFile.Load(_tmp["p.zip"]);
        var c = Core.Models.ModelFile.Load(_tmp["c.zip"]);
        Assert.Equal(c.Featurizer.Dimension, p.Featurizer.Dimension);
        foreach (var row in TinyNews()) Assert.Equal(c.Predict(row[1] + "\n" + row[2]).All, p.Predict(row[1] + "\n" + row[2]).All);
    }

    [Fact]
    public async Task ScoreParquetToParquet_HasTheRowsAndOrderOfTheCsvPath_WithTypedColumns()
    {
        var input = _tmp["news.parquet"];
        await WriteTinyNews(input, groupRows: 10);
        await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("tiny-news.csv"), "--text", "title,text", "--model", _tmp["m.zip"], "--quiet");
        await CliHarness.RunOkAsync("score", "-m", _tmp["m.zip"], "-i", CliHarness.Fixture("tiny-news.csv"), "-o", _tmp["out.csv"], "--top", "2", "--keep", "id,label", "--quiet");
        await CliHarness.RunOkAsync("score", "-m", _tmp["m.zip"], "-i", input, "-o", _tmp["out.parquet"], "--top", "2", "--keep", "id,label", "--quiet");
        var csv = File.ReadAllLines(_tmp["out.csv"]).Skip(1).Select(l => l.Split(',')).ToList();

        await using var file = File.OpenRead(_tmp["out.parquet"]);
        await using var reader = await ParquetReader.CreateAsync(file);
        var names = reader.Schema.GetDataFields().Select(f => f.Name).ToList();
        Assert.Equal(["id", "input_label", "label", "score", "label_2", "score_2", "error"], names);
        Assert.Equal(typeof(double), reader.Schema.GetDataFields()[3].ClrType);
        using var group = reader.OpenRowGroupReader(0);
        var n = (int)group.RowCount;
        Assert.Equal(csv.Count, n);
        var ids = new string?[n];
        var labels = new string?[n];
        var scores = new double?[n];
        await group.ReadAsync(reader.Schema.GetDataFields()[0], ids.AsMemory());
        await group.ReadAsync(reader.Schema.GetDataFields()[2], labels.AsMemory());
        await group.ReadAsync<double>(reader.Schema.GetDataFields()[3], scores.AsMemory());
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(csv[i][0], ids[i]);
            Assert.Equal(csv[i][2], labels[i]);
            Assert.Equal(double.Parse(csv[i][3], CultureInfo.InvariantCulture), scores[i]!.Value);
        }
    }

    [Fact]
    public async Task Shards_SplitAParquetFileByRowGroup_DisjointAndCoveringIt()
    {
        var input = _tmp["news.parquet"];
        await WriteTinyNews(input, groupRows: 5);
        await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("tiny-news.csv"), "--text", "title,text", "--model", _tmp["m.zip"], "--quiet");
        var ids = new List<string>();
        for (int s = 1; s <= 3; s++)
        {
            await CliHarness.RunOkAsync("score", "-m", _tmp["m.zip"], "-i", input, "-o", _tmp[$"s{s}.csv"], "--shard", $"{s}/3", "--keep", "none", "--quiet");
            var shard = File.ReadAllLines(_tmp[$"s{s}.csv"]).Skip(1).Select(l => l.Split(',')[0]).ToList();
            // Row groups of 5 rows: shard s holds the whole groups s, s + 3, s + 6, ... (1-based), in order.
            var all = TinyNews().Select(r => r[0]).ToList();
            var expected = Enumerable.Range(0, (all.Count + 4) / 5).Where(g => g % 3 == s - 1).SelectMany(g => all.Skip(g * 5).Take(5)).ToList();
            Assert.Equal(expected, shard);
            ids.AddRange(shard);
        }
        Assert.Equal(TinyNews().Select(r => r[0]).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MoreShardsThanRowGroups_Warns_ThatTheRestScoreNothing()
    {
        var input = _tmp["one-group.parquet"];
        await WriteTinyNews(input, groupRows: 1000);
        await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("tiny-news.csv"), "--text", "title,text", "--model", _tmp["m.zip"], "--quiet");
        var r = await CliHarness.RunOkAsync("score", "-m", _tmp["m.zip"], "-i", input, "-o", _tmp["s2.csv"], "--shard", "2/3", "--keep", "none");
        Assert.Contains("1 row group(s) for 3 shards", r.Stderr);
        Assert.Single(File.ReadAllLines(_tmp["s2.csv"]));
    }

    [Fact]
    public async Task BadInput_OneLine_Exit2_NothingWritten()
    {
        await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("tiny-news.csv"), "--text", "title,text", "--model", _tmp["m.zip"], "--quiet");
        var damaged = _tmp["damaged.parquet"];
        File.WriteAllText(damaged, "this is not parquet at all, just text");
        var r = await CliHarness.RunAsync("score", "-m", _tmp["m.zip"], "-i", damaged, "-o", _tmp["out.csv"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"error: {damaged}: not a Parquet file, or a damaged one", r.Stderr);
        Assert.False(File.Exists(_tmp["out.csv"]));

        var good = _tmp["news.parquet"];
        await WriteTinyNews(good, groupRows: 10);
        var missing = await CliHarness.RunAsync("score", "-m", _tmp["m.zip"], "-i", good, "--text", "body", "-o", _tmp["out.csv"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("text column 'body' not found; the columns are: id, title, text, label, words", missing.Stderr);

        var wrongType = await CliHarness.RunAsync("train", "--data", good, "--text", "words", "--model", _tmp["w.zip"]);
        Assert.Equal(2, wrongType.ExitCode);
        Assert.Contains("text column 'words' holds int32 values, not text", wrongType.Stderr);
        Assert.False(File.Exists(_tmp["w.zip"]));

        // A file cut short loses its footer.
        var cut = _tmp["cut.parquet"];
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var truncated = await CliHarness.RunAsync("train", "--data", cut, "--text", "title,text", "--model", _tmp["t.zip"]);
        Assert.Equal(2, truncated.ExitCode);
        Assert.Contains("not a Parquet file, or a damaged one", truncated.Stderr);

        var toStdout = await CliHarness.RunAsync("score", "-m", _tmp["m.zip"], "-i", good, "-o", "-", "--output-format", "parquet");
        Assert.Equal(2, toStdout.ExitCode);
        Assert.Contains("Parquet output must go to a file", toStdout.Stderr);
    }

    [Fact]
    public async Task MultiLabelScores_AreListsOfLabelsAndOfScores()
    {
        await CliHarness.RunOkAsync("train", "--data", CliHarness.Fixture("multi-label.csv"), "--label", "labels", "--multi-label", "--test-fraction", "0", "--model", _tmp["ml.zip"], "--quiet");
        await CliHarness.RunOkAsync("score", "-m", _tmp["ml.zip"], "-i", CliHarness.Fixture("multi-label.csv"), "-o", _tmp["ml.parquet"], "--keep", "none", "--quiet");
        await CliHarness.RunOkAsync("score", "-m", _tmp["ml.zip"], "-i", CliHarness.Fixture("multi-label.csv"), "-o", _tmp["ml.csv"], "--keep", "none", "--quiet");
        using var reader = RecordReaders.Open(_tmp["ml.parquet"], DataFormat.Auto);
        Assert.Equal(["id", "labels", "scores", "error"], reader.Columns);
        var csv = File.ReadAllLines(_tmp["ml.csv"]).Skip(1).Select(l => l.Split(',')).ToList();
        var rows = reader.ReadAll().ToList();
        Assert.Equal(csv.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(csv[i][1] == "" ? null : csv[i][1], rows[i]["labels"]);
            Assert.Equal(csv[i][2] == "" ? null : csv[i][2], rows[i]["scores"]);
        }
    }
}
