using System.Collections;
using System.Runtime.ExceptionServices;
using Classifier.Core.Data;

namespace Classifier.Core.Training;

/// <summary>
/// The training texts of a dataset whose texts are on disk (<see cref="TextsOnDisk"/>), read from the file as the
/// counting pass asks for them: the pass takes documents in order, a chunk at a time, and lets each go once counted, so
/// only about a chunk's texts are in memory at once. Held-out rows are not kept on the way: they are read afterwards.
/// </summary>
/// <remarks>
/// Safe for the counting pass's threads: a text is read under a lock, by whichever thread first asks for a row not yet
/// read. A failure of the read (a changed file, a damaged .gz, a cancel) is thrown to every thread that asks after it,
/// so the pass fails with that error alone.
/// </remarks>
internal sealed class StreamedTexts : IReadOnlyList<string>, IDisposable
{
    /// <summary>In place of a text once it is counted: asked for again, it is an error rather than an empty document.</summary>
    private static readonly string Released = new('\0', 1);

    private readonly IEnumerator<(int Row, string Text)> _rows;
    private readonly string?[] _texts;
    private readonly object _lock = new();
    private int _read;
    private ExceptionDispatchInfo? _failure;

    /// <param name="texts">The training set's texts on disk, one per row, in order.</param>
    public StreamedTexts(TextsOnDisk texts, CancellationToken cancel)
    {
        _texts = new string?[texts.Count];
        Chars = texts.Chars();
        _rows = texts.Read(cancel).GetEnumerator();
    }

    /// <summary>Characters of the training texts, known from the first read (the counting pass need not read them to know).</summary>
    public long Chars { get; }

    public int Count => _texts.Length;

    public string this[int index]
    {
        get
        {
            var text = _texts[index];
            if (text is null)
                lock (_lock)
                {
                    while (_read <= index) Next();
                    text = _texts[index]!;
                }
            return ReferenceEquals(text, Released) ? throw new InvalidOperationException($"training text {index} was asked for after it was counted") : text;
        }
    }

    /// <summary>Lets a counted text go.</summary>
    public void Release(int index) => _texts[index] = Released;

    /// <summary>Reads one more row into its place (under the lock).</summary>
    private void Next()
    {
        _failure?.Throw();
        try
        {
            if (!_rows.MoveNext()) throw new InvalidOperationException($"the file ended after {_read:N0} of {Count:N0} training texts");
            var (row, text) = _rows.Current;
            _texts[row] = text;
            _read = row + 1;
            // The last text read: the file (and a decompressor's buffers) need not stay open through the solve.
            if (_read == Count) _rows.Dispose();
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        lock (_lock) _rows.Dispose();
    }
}
