namespace Classifier.Core.Data.ParquetPages;

/// <summary>
/// One text column's working arrays (<see cref="TextColumnPages"/>): its column chunk's bytes, one decompressed page, and
/// the page's definition levels and dictionary indices. They grow to the largest seen and are reused from one page and
/// one row group to the next, so that reading allocates little more than the strings it returns.
/// </summary>
internal sealed class PageBuffers : IDisposable
{
    private ZstdSharp.Decompressor? _zstd;

    /// <summary>A Zstandard decoder for the column's pages (it holds native memory: disposed with the buffers).</summary>
    public ZstdSharp.Decompressor Zstd => _zstd ??= new ZstdSharp.Decompressor();

    public void Dispose()
    {
        _zstd?.Dispose();
        _zstd = null;
    }

    /// <summary>A byte array that grows as needed.</summary>
    public sealed class Bytes
    {
        public byte[] Array { get; private set; } = [];

        public Span<byte> For(int length)
        {
            if (Array.Length < length) Array = new byte[Grown(Array.Length, length)];
            return Array.AsSpan(0, length);
        }
    }

    public Bytes Chunk { get; } = new();
    public Bytes Page { get; } = new();
    public int[] Levels { get; private set; } = [];
    public int[] Indices { get; private set; } = [];

    public Span<int> LevelsFor(int count)
    {
        if (Levels.Length < count) Levels = new int[Grown(Levels.Length, count)];
        return Levels.AsSpan(0, count);
    }

    public Span<int> IndicesFor(int count)
    {
        if (Indices.Length < count) Indices = new int[Grown(Indices.Length, count)];
        return Indices.AsSpan(0, count);
    }

    /// <summary>At least <paramref name="need"/>, and a quarter more than before, so that slowly growing pages do not reallocate each time.</summary>
    private static int Grown(int had, int need) => (int)Math.Min(Array.MaxLength, Math.Max(need, had + had / 4L));
}
