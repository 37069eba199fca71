namespace Classifier.Core.Data.ParquetPages;

/// <summary>Parquet's page types (parquet.thrift, PageType).</summary>
internal enum PageKind
{
    Data = 0,
    Index = 1,
    Dictionary = 2,
    DataV2 = 3,
}

/// <summary>
/// What the text column reader needs of a Parquet page header (parquet.thrift, PageHeader and the headers inside it),
/// read from its Thrift compact encoding; every other field is skipped.
/// </summary>
/// <param name="Values">Values in the page, nulls included (a dictionary page: its entries).</param>
/// <param name="Encoding">The values' encoding (parquet.thrift, Encoding): 0 plain, 2 or 8 dictionary indices.</param>
/// <param name="DefinitionEncoding">Version 1 data pages: how the definition levels are encoded (3 = RLE).</param>
/// <param name="DefinitionBytes">Version 2 data pages: the byte length of the definition levels, stored uncompressed.</param>
/// <param name="RepetitionBytes">Version 2 data pages: the byte length of the repetition levels.</param>
/// <param name="Compressed">Version 2 data pages: whether the values are compressed (the default, true).</param>
internal sealed record PageHeader(PageKind Kind, int UncompressedSize, int CompressedSize, int Values, int Encoding,
    int DefinitionEncoding, int DefinitionBytes, int RepetitionBytes, bool Compressed)
{
    /// <summary>The header at the start of <paramref name="data"/>, and how many bytes it took.</summary>
    /// <exception cref="InvalidDataException">The bytes end before the header does, or are not a page header.</exception>
    public static (PageHeader Header, int Length) Read(ReadOnlySpan<byte> data)
    {
        var r = new CompactThrift(data);
        int kind = -1, uncompressed = -1, compressed = -1, values = -1, encoding = -1, definitionEncoding = 3, definitionBytes = 0,
            repetitionBytes = 0;
        var isCompressed = true;
        var subHeader = 0; // the id of the data, dictionary or version 2 header read (5, 7 or 8)
        r.ReadStruct((ref CompactThrift t, short id, byte type) =>
        {
            switch (id)
            {
                case 1 when type == CompactThrift.I32: kind = t.ReadInt(); break;
                case 2 when type == CompactThrift.I32: uncompressed = t.ReadInt(); break;
                case 3 when type == CompactThrift.I32: compressed = t.ReadInt(); break;
                // The data page, dictionary page and version 2 data page headers share the first two fields' meaning.
                case 5 or 7 or 8 when type == CompactThrift.Struct:
                    var v2 = id == 8;
                    subHeader = id;
                    t.ReadStruct((ref CompactThrift h, short hid, byte htype) =>
                    {
                        if (htype == CompactThrift.I32)
                            switch (hid)
                            {
                                case 1: values = h.ReadInt(); return;
                                case 2 when !v2: encoding = h.ReadInt(); return;
                                case 3 when !v2 && id == 5: definitionEncoding = h.ReadInt(); return;
                                case 4 when v2: encoding = h.ReadInt(); return;
                                case 5 when v2: definitionBytes = h.ReadInt(); return;
                                case 6 when v2: repetitionBytes = h.ReadInt(); return;
                            }
                        if (v2 && hid == 7 && htype is CompactThrift.True or CompactThrift.False)
                        {
                            isCompressed = htype == CompactThrift.True;
                            return;
                        }
                        h.Skip(htype);
                    });
                    break;
                default: t.Skip(type); break;
            }
        });
        if (kind < 0 || uncompressed < 0 || compressed < 0)
            throw new InvalidDataException("a page header without its type or sizes");
        var expected = kind switch { (int)PageKind.Data => 5, (int)PageKind.Dictionary => 7, (int)PageKind.DataV2 => 8, _ => 0 };
        if (expected != 0 && (subHeader != expected || values < 0 || encoding < 0))
            throw new InvalidDataException("a page header without its value count or encoding");
        if (definitionBytes < 0 || repetitionBytes < 0 || (long)definitionBytes + repetitionBytes > uncompressed)
            throw new InvalidDataException("a page header whose level lengths do not fit the page");
        return (new PageHeader((PageKind)kind, uncompressed, compressed, values, encoding, definitionEncoding, definitionBytes, repetitionBytes,
            isCompressed), r.Position);
    }
}
