using System.Collections;
using Classifier.Core.Data;

namespace Classifier.Core.Training;

/// <summary>
/// The training texts of a dataset whose texts are on disk (<see cref="TextsOnDisk"/>), read from the file as the
/// counting pass asks for them: the pass takes documents in order, a chunk at a time, so only the chunk being counted
/// is in memory. The held-out rows met on the way are kept, in <see cref="Held"/>'s texts, for the evaluation.
/// </summary>
/// <remarks>Safe for the counting pass's threads: a text is read under a lock, by whichever thread first asks for a row not yet read.</remarks>
internal sealed class StreamedTexts : IReadOnlyList<string>, IDisposable
{
    private readonly IEnumerator<(int Row, string Text)> _rows;
    /// <summary>For each row of the file's dataset, its place among the training rows (≥ 0) or among the held-out ones (-1 - place).</summary>
    private readonly int[] _placeOf;
    private readonly string?[] _texts;
    private readonly object _lock = new();
    private int _read;

    /// <param name="train">The training rows of the dataset, in increasing order (null: all).</param>
    /// <param name="chars">The training texts' characters.</param>
    /// <param name="held">The held-out rows, in increasing order, whose texts <see cref="Held"/> receives; null: none.</param>
    public StreamedTexts(LabeledDataset all, IReadOnlyList<int>? train, LabeledDataset? held, IReadOnlyList<int>? heldRows, long chars,
        CancellationToken cancel)
    {
        var onDisk = all.OnDisk ?? throw new InvalidOperationException("the dataset holds its texts");
        _placeOf = new int[all.Count];
        if (train is null) for (int i = 0; i < _placeOf.Length; i++) _placeOf[i] = i;
        else
        {
            Array.Fill(_placeOf, int.MinValue);
            for (int i = 0; i < train.Count; i++) _placeOf[train[i]] = i;
        }
        if (heldRows is not null) for (int i = 0; i < heldRows.Count; i++) _placeOf[heldRows[i]] = -1 - i;
        _texts = new string?[train?.Count ?? all.Count];
        Held = held;
        Chars = chars;
        _rows = onDisk.Read(cancel).GetEnumerator();
    }

    public LabeledDataset? Held { get; }

    /// <summary>Characters of the training texts, known from the first read (the counting pass need not read them to know).</summary>
    public long Chars { get; }

    public int Count => _texts.Length;

    public string this[int index]
    {
        get
        {
            var text = _texts[index];
            if (text is not null) return text;
            lock (_lock)
            {
                while (_read <= index && Next()) { }
                return _texts[index] ?? throw new InvalidOperationException($"training text {index} was let go or never read");
            }
        }
    }

    /// <summary>Lets a counted text go.</summary>
    public void Release(int index) => _texts[index] = string.Empty;

    /// <summary>Reads what is left of the file (the held-out rows after the last training row), then closes it.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            while (Next()) { }
            _rows.Dispose();
        }
    }

    /// <summary>Reads one more row of the file into its place; false at the end.</summary>
    private bool Next()
    {
        if (!_rows.MoveNext()) return false;
        var (row, text) = _rows.Current;
        var place = _placeOf[row];
        if (place >= 0)
        {
            _texts[place] = text;
            _read = place + 1;
        }
        else if (place != int.MinValue && Held is not null) Held.Texts[-1 - place] = text;
        return true;
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => _rows.Dispose();
}
