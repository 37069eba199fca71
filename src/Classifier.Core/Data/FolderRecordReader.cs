namespace Classifier.Core.Data;

/// <summary>
/// A folder of documents, one file each. Labelled (training): one sub-folder per label, every .txt file anywhere
/// below it a document of that label. Unlabelled (scoring): every .txt and .md file in the tree. Ids are paths
/// relative to the root with '/' separators, and files come in ordinal order of those ids, so that runs on different
/// machines see the same order.
/// </summary>
public sealed class FolderRecordReader : IRecordReader
{
    private static readonly string[] LabelledColumns = ["id", "text", "label"];
    private static readonly string[] UnlabelledColumns = ["id", "text"];

    // Hidden entries (.git, .DS_Store) are skipped by default; unreadable folders are skipped rather than failing
    // the walk, and a file that cannot be read is reported as a bad row instead.
    private static readonly EnumerationOptions Walk = new() { RecurseSubdirectories = true, IgnoreInaccessible = true };

    private readonly string _root;
    private readonly bool _labelled;
    private readonly Dictionary<string, int> _index;

    public string Source { get; }
    public IReadOnlyList<string> Columns { get; }

    public FolderRecordReader(string path, bool labelled)
    {
        if (!Directory.Exists(path))
            throw new InputException(File.Exists(path) ? "expected a folder, but this is a file" : "no such file or folder", path);
        Source = path;
        _root = Path.GetFullPath(path);
        _labelled = labelled;
        Columns = labelled ? LabelledColumns : UnlabelledColumns;
        _index = RecordReaders.IndexOf(Columns);
        if (labelled && !LabelFolders().Any())
            throw new InputException("folder has no label sub-folders (expected one sub-folder of .txt files per label)", path);
    }

    private IEnumerable<string> LabelFolders() =>
        Directory.EnumerateDirectories(_root, "*", new EnumerationOptions { IgnoreInaccessible = true });

    /// <summary>The documents as (relative id, full path, label), in ordinal order of the ids.</summary>
    private List<(string Id, string FullPath, string? Label)> ListFiles()
    {
        var files = new List<(string Id, string FullPath, string? Label)>();
        if (_labelled)
        {
            foreach (var dir in LabelFolders())
            {
                var label = Path.GetFileName(dir);
                foreach (var f in Directory.EnumerateFiles(dir, "*", Walk))
                    if (HasExtension(f, ".txt")) files.Add((RelativeId(f), f, label));
            }
        }
        else
        {
            foreach (var f in Directory.EnumerateFiles(_root, "*", Walk))
                if (HasExtension(f, ".txt") || HasExtension(f, ".md")) files.Add((RelativeId(f), f, null));
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return files;
    }

    private static bool HasExtension(string file, string ext) =>
        Path.GetExtension(file).Equals(ext, StringComparison.OrdinalIgnoreCase);

    private string RelativeId(string file) => Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Walks the folder anew on each call, so it can be read more than once.</summary>
    public IEnumerable<Record> ReadAll()
    {
        foreach (var (id, fullPath, label) in ListFiles())
        {
            var file = Path.Combine(Source, id);
            string?[] values = _labelled ? [id, "", label] : [id, ""];
            var problem = Load(fullPath, out var text, out var invalid);
            if (problem is null && _labelled && string.IsNullOrWhiteSpace(text)) problem = "empty file";
            if (problem is not null)
            {
                var kind = problem == "empty file" ? BadRowKind.EmptyText : BadRowKind.Unreadable;
                yield return Record.Bad(new BadRow(kind, problem, file, null), new RowFields(Columns, _index, values), file);
                continue;
            }
            values[1] = text;
            yield return new Record(1, new RowFields(Columns, _index, values))
            {
                File = file,
                InvalidBytes = invalid ? new BadRow(BadRowKind.InvalidUtf8, RecordReaders.InvalidUtf8, file, null, text) : null,
            };
        }
    }

    /// <summary>Reads one whole document; returns what went wrong, or null.</summary>
    private static string? Load(string path, out string text, out bool invalid)
    {
        text = "";
        invalid = false;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException) { return "permission denied"; }
        catch (FileNotFoundException) { return "the file disappeared while reading the folder"; }
        catch (IOException e) { return $"cannot read: {e.Message}"; }
        ReadOnlySpan<byte> body = bytes;
        if (body is [0xEF, 0xBB, 0xBF, ..]) body = body[3..];
        else if (body is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            // UTF-16 with a BOM (UTF-32 LE starts the same way): let the BOM choose the decoding.
            using var reader = new StreamReader(new MemoryStream(bytes), RecordReaders.Utf8, detectEncodingFromByteOrderMarks: true);
            text = RecordReaders.Clean(reader.ReadToEnd());
            return null;
        }
        invalid = !System.Text.Unicode.Utf8.IsValid(body);
        text = RecordReaders.Clean(RecordReaders.Utf8.GetString(body));
        return null;
    }

    public void Dispose()
    {
    }
}
