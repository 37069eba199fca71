namespace Classifier.Core.Data;

/// <summary>The bytes of a seekable stream from one offset up to another; disposes the stream.</summary>
internal sealed class SliceStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private long _left;

    public SliceStream(Stream inner, long from, long to)
    {
        _inner = inner;
        _inner.Position = from;
        _left = to - from;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_left <= 0) return 0;
        var n = _inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
