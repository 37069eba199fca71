using System.IO.Compression;
using System.Text;
using Classifier.Core;
using Classifier.Core.Data;
using Record = Classifier.Core.Data.Record;

namespace Classifier.Tests.Data;

public sealed class ReaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("reader-tests-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Bytes(params object[] parts) =>
        parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p).ToArray();

    private sealed record Result(List<Record> Rows, List<BadRow> Bad, IReadOnlyList<string> Columns)
    {
        /// <summary>Each row as "line: field|field", to compare a whole read in one assertion.</summary>
        public string[] Show(params string[] columns) =>
            Rows.Select(r => $"{r.Line}: " + string.Join('|', columns.Select(c => r[c] ?? "<null>"))).ToArray();

        public string[] Errors() => Bad.Select(b => $"{b.Line}: {b.Reason}").ToArray();
    }

    private static Result ReadAll(string path, DataFormat format = DataFormat.Auto, bool labelled = true)
    {
        var bad = new List<BadRow>();
        using var reader = RecordReaders.Open(path, format, labelled);
        var rows = reader.Read(bad.Add).ToList();
        return new Result(rows, bad, reader.Columns);
    }

    [Fact]
    public void Csv_QuotedFieldsWithDoubledQuotesCommasEmptyFieldsAndNul()
    {
        var r = ReadAll(Write("a.csv", "text,label\n\"He said \"\"hi\"\", then left\",greeting\nplain,\n,x\na\0b,y\n"));
        Assert.Equal(["text", "label"], r.Columns);
        Assert.Equal(["2: He said \"hi\", then left|greeting", "3: plain|", "4: |x", "5: a b|y"], r.Show("text", "label"));
        Assert.Empty(r.Bad);
    }

    [Fact]
    public void Csv_MultiLineField_NextRecordHasItsPhysicalLine()
    {
        var r = ReadAll(Write("a.csv", "text,label\n\"line one\nline two\nline three\",a\nnext,b\n"));
        Assert.Equal(["2: line one\nline two\nline three|a", "5: next|b"], r.Show("text", "label"));
        Assert.Empty(r.Bad);
    }

    [Fact]
    public void Csv_BomAndCrlf()
    {
        var r = ReadAll(WriteBytes("bom.csv", Bytes(new byte[] { 0xEF, 0xBB, 0xBF }, "text,label\r\nx,a\r\n\"multi\r\nline\",b\r\ny,c\r\n")));
        Assert.Equal(["text", "label"], r.Columns); // no BOM glued to the first name
        Assert.Equal(["2: x|a", "3: multi\r\nline|b", "5: y|c"], r.Show("text", "label"));
    }

    [Fact]
    public void Csv_MixedLineEndingsAndBlankLines()
    {
        var r = ReadAll(Write("mixed.csv", "text,label\r\na,1\nb,2\rc,3\r\n\n   \nd,4"));
        Assert.Equal(["2: a|1", "3: b|2", "4: c|3", "7: d|4"], r.Show("text", "label"));
        Assert.Empty(r.Bad);
    }

    [Fact]
    public void Tsv_TabSeparatedAndStrayQuoteIsText()
    {
        var r = ReadAll(Write("a.tsv", "text\tlabel\na, b and c\tx\nthe 5\" screen\ty\n"));
        Assert.Equal(["2: a, b and c|x", "3: the 5\" screen|y"], r.Show("text", "label"));
        Assert.Empty(r.Bad);
    }

    [Fact]
    public void Csv_RaggedRowIsReportedWithItsLineAndSkipped()
    {
        var path = Write("r.csv", "text,label\na,1\nb,2,extra\nc,3\n");
        var r = ReadAll(path);
        Assert.Equal(["2: a|1", "4: c|3"], r.Show("text", "label"));
        Assert.Equal(["3: row has 3 fields, header has 2"], r.Errors());
        Assert.Equal(path, r.Bad[0].Source);

        using var reader = RecordReaders.Open(path, DataFormat.Csv);
        var thrown = Assert.Throws<InputException>(() => reader.Read().ToList()); // no callback: the first bad row throws
        Assert.Equal(3, thrown.Line);
    }

    [Fact]
    public void Csv_UnbalancedQuoteIsReportedNotSwallowed()
    {
        var r = ReadAll(Write("q.csv", "text,label\nok,1\n\"never closed,2\nmore,3\nlast,4\n"));
        Assert.Equal(["2: ok|1"], r.Show("text", "label"));
        var error = Assert.Single(r.Bad);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("unbalanced quote: a quoted field that starts in this row is never closed", error.Reason);
    }

    [Fact]
    public void Csv_StrayQuoteAndTextAfterClosingQuoteAreBad()
    {
        var r = ReadAll(Write("q.csv", "text,label\nab\"c,1\n\"ab\"c,2\ngood,3\n"));
        Assert.Equal(["4: good|3"], r.Show("text", "label"));
        Assert.Equal([2L, 3L], r.Bad.Select(b => b.Line!.Value));
        Assert.All(r.Bad, b => Assert.StartsWith("unbalanced quote", b.Reason));
    }

    [Fact]
    public void Csv_RunawayQuoteLongerThanLimitFailsWithLine()
    {
        var text = "text,label\nok,1\n\"runaway,2\n" + string.Concat(Enumerable.Repeat("row,3\n", 40_000));
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), null, "big.csv", ',', maxRecordBytes: 1024);
        var seen = new List<string?>();
        var error = Assert.Throws<InputException>(() =>
        {
            foreach (var row in reader.Read(_ => { })) seen.Add(row["text"]);
        });
        Assert.Equal(["ok"], seen);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("unbalanced quote", error.Message);
    }

    [Fact]
    public void Csv_InvalidUtf8RowIsReported()
    {
        var r = ReadAll(WriteBytes("u.csv", Bytes("text,label\ngood,1\nbad", new byte[] { 0xFF, 0xFE, 0xC3 }, ",2\ncafé,3\n")));
        Assert.Equal(["2: good|1", "4: café|3"], r.Show("text", "label"));
        Assert.Equal(["3: invalid UTF-8 bytes in column 'text'"], r.Errors());
    }

    [Fact]
    public void Csv_EmptyFileHeaderOnlyAndDuplicateHeader()
    {
        var empty = Write("empty.csv", "");
        var error = Assert.Throws<InputException>(() => RecordReaders.Open(empty, DataFormat.Auto));
        Assert.Equal($"{empty}: file is empty", error.Describe());

        var headerOnly = ReadAll(Write("h.csv", "text,label\n"));
        Assert.Equal(["text", "label"], headerOnly.Columns);
        Assert.Empty(headerOnly.Rows);

        var dup = Assert.Throws<InputException>(() => RecordReaders.Open(Write("d.csv", "text,label,text\n"), DataFormat.Auto));
        Assert.Equal("duplicate column name 'text' in the header", dup.Message);
        Assert.Equal("text", dup.Column);
    }

    [Fact]
    public void Csv_FromStdinStream()
    {
        var stdin = new MemoryStream(Encoding.UTF8.GetBytes("text,label\nfrom stdin,z\n"));
        using var reader = RecordReaders.Open("-", DataFormat.Auto, stdin: () => stdin);
        Assert.Equal("stdin", reader.Source);
        var row = Assert.Single(reader.Read());
        Assert.Equal(("from stdin", "z", 2L), (row["text"], row["label"], row.Line));
    }

    [Fact]
    public void Jsonl_FieldsBadLinesAndArrayLabels()
    {
        var r = ReadAll(Write("a.jsonl",
            "{\"text\":\"hello\",\"label\":[\"a\",\"b\"],\"score\":1.5,\"ok\":true,\"none\":null,\"meta\":{\"k\":1}}\n" +
            "\n{not json}\n[1,2]\n{\"text\":\"second\",\"label\":\"c\"}\r\n"));
        Assert.Equal(["text", "label", "score", "ok", "none", "meta"], r.Columns);
        Assert.Equal(["1: hello|a;b|1.5|true|<null>|{\"k\":1}", "5: second|c|<null>|<null>|<null>|<null>"],
            r.Show("text", "label", "score", "ok", "none", "meta"));
        Assert.True(r.Rows[0].Fields.ContainsKey("none"));
        Assert.Equal([3L, 4L], r.Bad.Select(b => b.Line!.Value));
        Assert.StartsWith("line is not a JSON object: ", r.Bad[0].Reason);
        Assert.Equal("line is not a JSON object: it is an array", r.Bad[1].Reason);
    }

    [Fact]
    public void Jsonl_ColumnsComeFromFirstParseableObject()
    {
        var r = ReadAll(Write("b.jsonl", "oops\n{\"id\":7,\"text\":\"x\"}\n"));
        Assert.Equal(["id", "text"], r.Columns);
        Assert.Equal(["2: 7|x"], r.Show("id", "text"));
        Assert.Equal(1, Assert.Single(r.Bad).Line);
    }

    [Fact]
    public void FastText_OneOrSeveralLabelsAndMissingLabel()
    {
        var r = ReadAll(Write("a.ft", "__label__sport Match report here\n__label__sport __label__europe  Cup final\n\nno label here\n"));
        Assert.Equal(["label", "text"], r.Columns);
        Assert.Equal(["1: sport|Match report here", "2: sport;europe|Cup final"], r.Show("label", "text"));
        Assert.Equal(["4: no __label__ prefix"], r.Errors());
    }

    [Fact]
    public void TextLines_IdIsLineNumberAndBlankLinesAreKept()
    {
        var r = ReadAll(Write("a.txt", "first doc\n\nthird doc\n"));
        Assert.Equal(["id", "text"], r.Columns);
        Assert.Equal(["1: 1|first doc", "2: 2|", "3: 3|third doc"], r.Show("id", "text"));
    }

    [Fact]
    public void Folder_LabelledReadsSubFoldersAsLabels()
    {
        Write("corpus/sport/b.txt", "goal");
        Write("corpus/sport/deep/a.txt", "match");
        Write("corpus/news/x.txt", "election");
        Write("corpus/news/empty.txt", "  \n");
        Write("corpus/news/notes.md", "not a training document");
        var root = Path.Combine(_dir.FullName, "corpus");

        var r = ReadAll(root);
        Assert.Equal(["id", "text", "label"], r.Columns);
        Assert.Equal(["1: news/x.txt|news|election", "1: sport/b.txt|sport|goal", "1: sport/deep/a.txt|sport|match"],
            r.Show("id", "label", "text"));
        var error = Assert.Single(r.Bad);
        Assert.Equal($"{Path.Combine(root, "news", "empty.txt")}: empty file", error.Describe());
    }

    [Fact]
    public void Folder_UnlabelledReadsTxtAndMdTree()
    {
        Write("docs/b.md", "# title");
        Write("docs/a.txt", "alpha");
        Write("docs/sub/c.txt", "gamma");
        Write("docs/sub/skip.csv", "not a document");
        var r = ReadAll(Path.Combine(_dir.FullName, "docs"), labelled: false);
        Assert.Equal(["id", "text"], r.Columns);
        Assert.Equal(["1: a.txt|alpha", "1: b.md|# title", "1: sub/c.txt|gamma"], r.Show("id", "text"));
    }

    [Fact]
    public void Folder_WithoutLabelSubFoldersIsAnError()
    {
        Write("flat/a.txt", "x");
        var root = Path.Combine(_dir.FullName, "flat");
        var error = Assert.Throws<InputException>(() => RecordReaders.Open(root, DataFormat.Dir));
        Assert.StartsWith("folder has no label sub-folders", error.Message);
        Assert.Equal(root, error.File);
    }

    [Fact]
    public void MissingPathAndFolderVersusFileErrors()
    {
        var missing = Path.Combine(_dir.FullName, "nope.csv");
        var error = Assert.Throws<InputException>(() => RecordReaders.Open(missing, DataFormat.Auto));
        Assert.Equal($"{missing}: no such file or folder", error.Describe());

        var file = Write("a.csv", "text\nx\n");
        Assert.Equal("expected a folder for --format dir, but this is a file",
            Assert.Throws<InputException>(() => RecordReaders.Open(file, DataFormat.Dir)).Message);
        Assert.Equal("is a folder, but --format csv reads a file; use --format dir for a folder",
            Assert.Throws<InputException>(() => RecordReaders.Open(_dir.FullName, DataFormat.Csv)).Message);
        Assert.Equal("a folder cannot be read from stdin",
            Assert.Throws<InputException>(() => RecordReaders.Open("-", DataFormat.Dir, stdin: () => Stream.Null)).Message);
    }

    [Fact]
    public void GzipFileIsDecompressed()
    {
        var path = Path.Combine(_dir.FullName, "a.csv.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes("text,label\nzipped,1\n"));
        Assert.Equal(["2: zipped|1"], ReadAll(path).Show("text", "label"));
    }

    /// <summary>
    /// The key pass over a JSON Lines file gives the same keys in the same order whether it runs in one piece or in
    /// parts cut at line starts (as large files are): a BOM, CRLF, a key first seen in the last part, a line with an
    /// escaped key, CR-only endings.
    /// </summary>
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Jsonl_KeyPass_InPartsAndInOnePiece_AgreeInOrder(string newline)
    {
        var lines = new List<string>();
        for (int i = 0; i < 400; i++)
            lines.Add(i switch
            {
                0 => "{\"id\":\"1\",\"text\":\"a {\\\"b\\\"} , c\"}",
                57 => "{\"n\":{\"deep\":[1,\"}\"]},\"text\":\"x\"}",
                200 => "{\"esc\\u0041ped\":1}",
                399 => "{\"last\":true,\"text\":\"z\"}",
                _ => $"{{\"text\":\"line {i} with a long enough body to fill the parts\",\"k{i % 7}\":{i}}}",
            });
        var path = WriteBytes("k.jsonl", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(string.Join(newline, lines) + newline)]);
        var whole = JsonlRecordReader.ScanKeys(path, parallelFrom: long.MaxValue);
        var parts = JsonlRecordReader.ScanKeys(path, parallelFrom: 1);
        Assert.Equal(["id", "text", "k1", "k2", "k3", "k4", "k5", "k6", "k0", "n", "escAped", "last"], whole);
        Assert.Equal(whole, parts);
    }
}
