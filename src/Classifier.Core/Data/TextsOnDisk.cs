namespace Classifier.Core.Data;

/// <summary>
/// The texts of a dataset loaded without them (`train --max-memory` on a file larger than memory): where each kept row
/// lies among the file's records and how long its text is, so that the file can be read again and each text handed to
/// the counting pass as it comes, instead of all of them held at once (about 2 bytes a character: 6.8 GB for 3 GB of text).
/// </summary>
/// <remarks>
/// A row is found again by its position among the reader's records (bad ones included), not by its line: a folder's
/// files each count lines from 1. The second read takes only those positions, so a bad row skipped on the first read is
/// skipped again without being reported twice. A file that changed in between is refused: the command line checks its
/// size and time of last change when it opens it again, and a row whose text has another length, or that is missing,
/// is refused here too.
/// </remarks>
public sealed class TextsOnDisk
{
    private readonly Func<IRecordReader> _open;
    private readonly IReadOnlyList<string> _textColumns;
    private readonly IReadOnlySet<string> _columns;
    private readonly List<long> _records = new();
    private readonly List<int> _lengths = new();

    /// <param name="columns">The columns the first read used: the second uses the same, so that its records are the same.</param>
    internal TextsOnDisk(Func<IRecordReader> open, IReadOnlyList<string> textColumns, IReadOnlySet<string> columns)
    {
        _open = open;
        _textColumns = textColumns;
        _columns = columns;
    }

    /// <summary>Rows known (one per kept row of the dataset).</summary>
    public int Count => _records.Count;

    /// <summary>Notes a kept row: its record's position (from 0, in reading order) and its text's length.</summary>
    internal void Add(long record, int length)
    {
        _records.Add(record);
        _lengths.Add(length);
    }

    /// <summary>The texts of <paramref name="rows"/> (increasing) of this dataset: those of its <see cref="LabeledDataset.Subset"/>.</summary>
    internal TextsOnDisk Subset(IReadOnlyList<int> rows)
    {
        var part = new TextsOnDisk(_open, _textColumns, _columns);
        var last = -1;
        foreach (var r in rows)
        {
            // Read back in file order, a subset must keep it: any other order would read as a changed file.
            if (r <= last) throw new ArgumentException("the rows of a dataset whose texts are on disk must be increasing", nameof(rows));
            last = r;
            part.Add(_records[r], _lengths[r]);
        }
        return part;
    }

    /// <summary>Characters of text in all the rows.</summary>
    public long Chars()
    {
        long chars = 0;
        foreach (var n in _lengths) chars += n;
        return chars;
    }

    /// <summary>
    /// Reads the file again and yields each kept row's text with its row number, in order. Throws an
    /// <see cref="InputException"/> when the file no longer holds those rows (it changed since the first read).
    /// </summary>
    public IEnumerable<(int Row, string Text)> Read(CancellationToken cancel = default)
    {
        using var reader = _open();
        reader.UseColumns(_columns);
        long position = 0;
        var row = 0;
        foreach (var record in reader.ReadAll())
        {
            if (row == _records.Count) break;
            if (position++ != _records[row]) continue;
            cancel.ThrowIfCancellationRequested();
            var text = ColumnSelection.JoinText(record, _textColumns);
            if (record.Issue is not null || text.Length != _lengths[row]) throw Changed(reader.Source, record.Line);
            yield return (row++, text);
        }
        if (row < _records.Count) throw Changed(reader.Source, null);
    }

    /// <summary>The one line for a file that changed between its reads (here, or when it is opened again).</summary>
    public static InputException Changed(string source, long? line = null) =>
        new("the file changed while it was read: training reads it more than once (the labels, then the texts); leave it unchanged until training ends",
            source, line);
}
