using System.Text;
using System.Text.Unicode;

namespace Classifier.Core.Data;

/// <summary>
/// Physical lines of an input with their 1-based numbers (CR, LF and CRLF all end a line). Lines are cut from the
/// bytes and checked as UTF-8 before they are decoded, so that only real invalid bytes count as invalid: a literal
/// U+FFFD is text. A UTF-8 BOM is skipped; a UTF-16 or UTF-32 BOM switches to decoding that encoding. Read errors
/// (an unreadable stream, a truncated .gz) become <see cref="InputException"/>.
/// </summary>
internal sealed class LineSource : IDisposable
{
    private readonly string _source;
    private Stream? _stream;
    private TextReader? _text;
    private byte[] _buffer = Array.Empty<byte>();
    private int _start, _end, _scanned;
    private bool _eof, _started;
    private readonly bool _byteOrderMarks = true;

    public long LineNumber { get; private set; }

    /// <summary>Whether the line last returned held bytes that are not UTF-8 (they were replaced by U+FFFD).</summary>
    public bool LastLineHadInvalidBytes { get; private set; }

    /// <param name="byteOrderMarks">False for a part of a file that starts after its beginning, where no BOM can be.</param>
    public LineSource(Stream stream, string source, bool byteOrderMarks = true)
    {
        _stream = stream;
        _source = source;
        _byteOrderMarks = byteOrderMarks;
    }

    /// <summary>Already decoded text: invalid bytes, if there were any, were replaced before it got here.</summary>
    public LineSource(TextReader reader, string source)
    {
        _text = reader;
        _source = source;
    }

    /// <summary>The next line, or null at the end of the input.</summary>
    public string? Next()
    {
        try
        {
            var line = _text is null ? NextFromBytes() : NextFromText();
            if (line is not null) LineNumber++;
            return line;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InputException($"cannot read: {e.Message}", _source, LineNumber + 1, inner: e);
        }
    }

    /// <summary>Fails on input without a single character, which is almost always a wrong path or a failed export.</summary>
    public string FirstLine() => Next() ?? throw new InputException("file is empty", _source);

    private string? NextFromText()
    {
        LastLineHadInvalidBytes = false;
        return _text!.ReadLine();
    }

    private string? NextFromBytes()
    {
        if (!_started) Start();
        if (_text is not null) return NextFromText();
        return NextRange(out var start, out var length) ? Decode(_buffer.AsSpan(start, length)) : null;
    }

    /// <summary>
    /// The next line as UTF-8 bytes, valid until the next call (text that came decoded is encoded again), or false at
    /// the end. For a pass that only looks at the bytes, such as collecting the keys of JSON Lines.
    /// </summary>
    public bool NextBytes(out ReadOnlySpan<byte> line)
    {
        line = default;
        try
        {
            if (!_started) Start();
            if (_text is not null)
            {
                var text = NextFromText();
                if (text is null) return false;
                LineNumber++;
                line = Encoding.UTF8.GetBytes(text);
                return true;
            }
            if (!NextRange(out var start, out var length)) return false;
            LineNumber++;
            line = _buffer.AsSpan(start, length);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InputException($"cannot read: {e.Message}", _source, LineNumber + 1, inner: e);
        }
    }

    /// <summary>Finds the next line in the buffer, reading on as needed; its bytes stay put until the next call.</summary>
    private bool NextRange(out int start, out int length)
    {
        while (true)
        {
            var found = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOfAny((byte)'\n', (byte)'\r');
            if (found >= 0)
            {
                var at = _start + _scanned + found;
                // A CR at the end of the buffer may be the first half of a CRLF: read on before deciding.
                if (_buffer[at] == (byte)'\r' && at + 1 == _end && !_eof)
                {
                    _scanned = at - _start;
                    Fill();
                    continue;
                }
                (start, length) = (_start, at - _start);
                _start = at + (_buffer[at] == (byte)'\r' && at + 1 < _end && _buffer[at + 1] == (byte)'\n' ? 2 : 1);
                _scanned = 0;
                return true;
            }
            if (_eof)
            {
                (start, length) = (_start, _end - _start);
                _start = _end;
                _scanned = 0;
                return length > 0;
            }
            _scanned = _end - _start;
            Fill();
        }
    }

    private string Decode(ReadOnlySpan<byte> bytes)
    {
        LastLineHadInvalidBytes = !Utf8.IsValid(bytes);
        return RecordReaders.Utf8.GetString(bytes);
    }

    /// <summary>Moves what is left to the front, grows the buffer when a line fills it, and reads more.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= Array.MaxLength)
                throw new InputException($"a line is longer than {Array.MaxLength:N0} bytes, the most one line can hold", _source, LineNumber + 1);
            Array.Resize(ref _buffer, (int)Math.Clamp(2L * _buffer.Length, RecordReaders.BufferSize, Array.MaxLength));
        }
        var n = _stream!.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
    }

    /// <summary>Reads the first bytes and looks for a byte order mark.</summary>
    private void Start()
    {
        _started = true;
        _buffer = new byte[RecordReaders.BufferSize];
        if (!_byteOrderMarks) return;
        while (_end < 4 && !_eof) Fill();
        var head = _buffer.AsSpan(0, _end);
        Encoding? other = head switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: false),
            [0x00, 0x00, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
            [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: false),
            [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
            _ => null,
        };
        if (other is null)
        {
            if (head is [0xEF, 0xBB, 0xBF, ..]) _start = 3;
            return;
        }
        // Not UTF-8: let a StreamReader decode the rest, starting with the bytes already read (BOM included).
        var rest = new ConcatenatedStream(_buffer.AsMemory(0, _end).ToArray(), _stream!);
        _text = new StreamReader(rest, other, detectEncodingFromByteOrderMarks: true, RecordReaders.BufferSize);
        _stream = null;
        _buffer = Array.Empty<byte>();
    }

    public void Dispose()
    {
        _text?.Dispose();
        _stream?.Dispose();
    }

    /// <summary>Bytes already read, then the rest of a stream.</summary>
    private sealed class ConcatenatedStream(byte[] head, Stream rest) : ReadOnlyStream
    {
        private int _at;

        public override int Read(Span<byte> buffer)
        {
            if (_at < head.Length)
            {
                var n = Math.Min(buffer.Length, head.Length - _at);
                head.AsSpan(_at, n).CopyTo(buffer);
                _at += n;
                return n;
            }
            return rest.Read(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
