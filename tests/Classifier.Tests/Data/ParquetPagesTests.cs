using Classifier.Core;
using Classifier.Core.Data;
using Classifier.Core.Data.ParquetPages;
using Classifier.Tests.Cli;
using Parquet;
using Parquet.Schema;

namespace Classifier.Tests.Data;

/// <summary>
/// Text columns decoded a page at a time (ParquetPages): the page header's Thrift encoding and the RLE / bit-packing
/// hybrid against bytes worked by hand, and whole files written by Parquet.Net in every codec and encoding read back.
/// </summary>
public sealed class ParquetPagesTests : IDisposable
{
    private readonly TempDirectory _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>
    /// A version 1 data page header: type 0, sizes 100 and 50, a crc, then the data page header (10 values, plain, levels in
    /// RLE) with statistics holding a binary, which must be skipped. Compact protocol: a field is (id delta &lt;&lt; 4 | type);
    /// i32 5, binary 8, struct 12; integers are zigzag varints (100 → 200 → C8 01).
    /// </summary>
    private static readonly byte[] DataPageV1 =
    [
        0x15, 0x00, // 1: type DATA_PAGE
        0x15, 0xC8, 0x01, // 2: uncompressed 100
        0x15, 0x64, // 3: compressed 50
        0x15, 0x01, // 4: crc -1 (skipped)
        0x1C, // 5: data_page_header
        0x15, 0x14, // 1: num_values 10
        0x15, 0x00, // 2: encoding PLAIN
        0x15, 0x06, // 3: definition_level_encoding RLE
        0x15, 0x06, // 4: repetition_level_encoding RLE
        0x1C, 0x18, 0x02, (byte)'a', (byte)'b', 0x00, // 5: statistics { 1: max "ab" }
        0x00, // end of data_page_header
        0x00, // end of page header
    ];

    [Fact]
    public void APageHeader_ReadsAsWorkedByHand_SkippingWhatItDoesNotNeed()
    {
        var (h, length) = PageHeader.Read(DataPageV1.Concat(new byte[] { 0xAA, 0xBB }).ToArray());
        Assert.Equal(DataPageV1.Length, length);
        Assert.Equal(new PageHeader(PageKind.Data, 100, 50, 10, 0, 3, 0, 0, true), h);
    }

    [Fact]
    public void AVersion2Header_GivesItsLevelLengthsAndWhetherItIsCompressed()
    {
        byte[] v2 =
        [
            0x15, 0x06, 0x15, 0x28, 0x15, 0x14, // type DATA_PAGE_V2 (3), uncompressed 20, compressed 10
            0x5C, // 8 (delta 5 from 3): data_page_header_v2
            0x15, 0x08, 0x15, 0x02, 0x15, 0x08, 0x15, 0x10, // num_values 4, num_nulls 1, num_rows 4, encoding RLE_DICTIONARY (8)
            0x15, 0x02, 0x15, 0x00, // definition levels 1 byte, repetition levels 0
            0x12, // 7: is_compressed false (a boolean field's value is its type: 2)
            0x00, 0x00,
        ];
        var (h, length) = PageHeader.Read(v2);
        Assert.Equal(v2.Length, length);
        Assert.Equal(new PageHeader(PageKind.DataV2, 20, 10, 4, 8, 3, 1, 0, false), h);
    }

    [Fact]
    public void ADamagedHeader_IsInvalidData_NeverARead_PastTheEnd()
    {
        for (int cut = 0; cut < DataPageV1.Length; cut++)
            Assert.Throws<InvalidDataException>(() => PageHeader.Read(DataPageV1.AsSpan(0, cut)));
        // An unknown field type (13) in the header.
        Assert.Throws<InvalidDataException>(() => PageHeader.Read([0x1D, 0x00]));
        // Sizes missing: a header of only its type.
        Assert.Throws<InvalidDataException>(() => PageHeader.Read([0x15, 0x00, 0x00]));
        // A data page (type 0) that carries a version 2 header instead of its own.
        Assert.Throws<InvalidDataException>(() => PageHeader.Read([0x15, 0x00, 0x15, 0x28, 0x15, 0x14, 0x5C, 0x15, 0x08, 0x15, 0x00, 0x00, 0x00]));
        // Level lengths whose sum wraps around (int.MaxValue + 1): zigzag 2^32 - 2 is FE FF FF FF 0F.
        Assert.Throws<InvalidDataException>(() => PageHeader.Read(
            [0x15, 0x06, 0x15, 0x28, 0x15, 0x14, 0x5C, 0x15, 0x08, 0x15, 0x00, 0x15, 0x08, 0x15, 0x00, 0x15, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x15, 0x02, 0x00, 0x00]));
        // Lists nested in lists, a byte a level, as deep as the header is long: refused, not a stack overflow.
        Assert.Throws<InvalidDataException>(() => PageHeader.Read([0x19, .. Enumerable.Repeat((byte)0x19, 100_000)]));
    }

    [Fact]
    public void TheHybrid_DecodesARunThenPackedValues_AsWorkedByHand()
    {
        // Width 1: a run of five 1s (header 5 << 1 = 0x0A, value 0x01), then one packed group (header 1 << 1 | 1 = 0x03) of
        // 0, 1, 0, 1, 1 and padding, least significant bit first: 0b00011010 = 0x1A.
        var levels = new int[10];
        Assert.Equal(4, HybridRle.Decode([0x0A, 0x01, 0x03, 0x1A, 0xFF], 1, levels));
        Assert.Equal([1, 1, 1, 1, 1, 0, 1, 0, 1, 1], levels);
        // Width 3: the values 0 to 7 packed, the format specification's own example (10001000 11000110 11111010).
        var eight = new int[8];
        HybridRle.Decode([0x03, 0x88, 0xC6, 0xFA], 3, eight);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], eight);
        // A run whose value takes two bytes (width 9): 300 three times.
        var three = new int[3];
        HybridRle.Decode([0x06, 0x2C, 0x01], 9, three);
        Assert.Equal([300, 300, 300], three);
        Assert.Throws<InvalidDataException>(() => HybridRle.Decode([0x03, 0x88], 3, eight));
        Assert.Throws<InvalidDataException>(() => HybridRle.Decode([0x0A], 1, levels));
        // A header of 2^60 + 3: 2^59 + 1 groups of width 32, which would be 32 bytes if the product wrapped; refused instead.
        Assert.Throws<InvalidDataException>(() => HybridRle.Decode([0x83, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10, .. new byte[32]], 32, eight));
    }

    public static TheoryData<CompressionMethod, bool> Codecs() => new()
    {
        { CompressionMethod.None, true }, { CompressionMethod.None, false },
        { CompressionMethod.Snappy, true }, { CompressionMethod.Snappy, false },
        { CompressionMethod.Gzip, true }, { CompressionMethod.Zstd, false },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task EveryCodec_AndBothEncodings_ReadBackWhatWasWritten_APageAtATime(CompressionMethod codec, bool dictionary)
    {
        // Texts in several scripts, empty ones and nulls; labels from four values (dictionary encoded when allowed); a number
        // beside them, which Parquet.Net still decodes (lists too: ParquetTests).
        var random = new Random(3);
        var words = new[] { "goal", "Börse", "市场", "рынок", "σκορ", "", "bank", "🙂" };
        var rows = Enumerable.Range(0, 2500).Select(i => (
            Text: i % 13 == 0 ? null : string.Join(' ', Enumerable.Range(0, random.Next(0, 40)).Select(_ => words[random.Next(words.Length)])),
            Label: i % 17 == 0 ? null : $"label{i % 4}",
            Count: i)).ToList();
        var fields = new DataField[] { new DataField<string>("text"), new DataField<string>("label"), new DataField<int>("count") };
        var path = _tmp[$"{codec}-{dictionary}.parquet"];
        var options = new ParquetOptions { CompressionMethod = codec, DictionaryEncodingThreshold = dictionary ? 1.0 : 0.0 };
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, options))
            foreach (var part in rows.Chunk(1000))
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(fields[0], part.Select(r => r.Text).ToArray());
                await group.WriteAsync(fields[1], part.Select(r => r.Label).ToArray());
                await group.WriteAsync<int>(fields[2], part.Select(r => r.Count).ToArray().AsMemory());
            }

        using var reader = new ParquetRecordReader(path);
        var records = reader.ReadAll().ToList();
        Assert.Equal(rows.Count, records.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Text, records[i]["text"]);
            Assert.Equal(rows[i].Label, records[i]["label"]);
            Assert.Equal(rows[i].Count.ToString(System.Globalization.CultureInfo.InvariantCulture), records[i]["count"]);
        }
        // Two text columns in each of three row groups went through the pages; the number did not.
        Assert.Equal(6, reader.PagedChunks);
    }

    [Fact]
    public async Task ADamagedTextPage_IsOneLineNamingTheRowGroup_NotGarbage()
    {
        var path = _tmp["damaged.parquet"];
        var field = new DataField<string>("text");
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), file, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }))
            for (int g = 0; g < 2; g++)
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(field, Enumerable.Range(0, 500).Select(i => $"document {g} {i} about markets and goals").ToArray());
            }
        var offset = await SecondChunkOffset(path);
        // Overwrite the second row group's first page header.
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Seek(offset, SeekOrigin.Begin);
            file.Write(Enumerable.Repeat((byte)0xFF, 12).ToArray());
        }
        using var reader = new ParquetRecordReader(path);
        var e = Assert.Throws<InputException>(() => reader.ReadAll().Count());
        Assert.Contains("row group 2 of 2 cannot be read: the file is damaged", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(CompressionMethod.None)]
    [InlineData(CompressionMethod.Snappy)]
    public async Task ChangedBytesInThePages_GiveRowsOrOneInputError_NeverAnotherException(CompressionMethod codec)
    {
        // A text column with nulls and a dictionary-encoded label column, in two row groups; each trial changes one to four
        // bytes among the column chunks (page headers, levels, lengths, values, or the compressed stream), never the footer.
        var path = _tmp[$"fuzz-{codec}.parquet"];
        var fields = new DataField[] { new DataField<string>("text"), new DataField<string>("label") };
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, new ParquetOptions { CompressionMethod = codec }))
            for (int g = 0; g < 2; g++)
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(fields[0], Enumerable.Range(0, 300).Select(i => i % 11 == 0 ? null : $"report {g} {i} on markets, goals and clinics").ToArray());
                await group.WriteAsync(fields[1], Enumerable.Range(0, 300).Select(i => $"topic{i % 3}").ToArray());
            }
        var (start, end) = await ChunkBytes(path);
        var original = await File.ReadAllBytesAsync(path);
        var random = new Random(11);
        var errors = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var bytes = (byte[])original.Clone();
            for (int k = 0, n = 1 + random.Next(4); k < n; k++) bytes[start + random.Next((int)(end - start))] = (byte)random.Next(256);
            var changed = _tmp[$"fuzz-{codec}-{trial}.parquet"];
            await File.WriteAllBytesAsync(changed, bytes);
            try
            {
                using var reader = new ParquetRecordReader(changed);
                Assert.Equal(600, reader.ReadAll().Count());
            }
            catch (InputException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                errors++;
            }
        }
        // Most changes land in values and go unseen (a changed letter is still text); some must be caught.
        Assert.InRange(errors, 1, 199);
    }

    /// <summary>Where the column chunks lie in the file: from the first one's start to the last one's end.</summary>
    private static async Task<(long Start, long End)> ChunkBytes(string path)
    {
        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file);
        var extents = reader.Metadata!.RowGroups.SelectMany(g => g.Columns).Select(TextColumnPages.Extent).ToList();
        return (extents.Min(e => e.Offset), extents.Max(e => e.Offset + e.Length));
    }

    private static async Task<long> SecondChunkOffset(string path)
    {
        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file);
        var chunk = reader.Metadata!.RowGroups[1].Columns[0];
        return TextColumnPages.Extent(chunk).Offset;
    }
}
