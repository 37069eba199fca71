namespace Classifier.Core;

/// <summary>
/// Where a write to a path lands, and how; <see cref="AtomicFile"/> follows these rules for every file the tool
/// writes (models, scores, reports), and its pre-flight checks ask the same questions:
/// <list type="bullet">
/// <item>a symbolic link is followed to its final target, through a chain and also when it dangles, and the file is
/// written there, so the link stays a link;</item>
/// <item>a regular file, or nothing, at the final target is written under a temporary name beside it, then renamed
/// onto it;</item>
/// <item>anything else there (a FIFO, a device such as /dev/null) is written straight through, with no temporary
/// file: a rename would replace it with a plain file;</item>
/// <item>a name ending in ".gz" is gzip-compressed, as such names are decompressed when read.</item>
/// </list>
/// </summary>
/// <param name="Path">The path as given.</param>
/// <param name="Final">Its full path with symbolic links resolved.</param>
public sealed record WriteTarget(string Path, string Final, FileNodeKind Kind)
{
    public static WriteTarget Of(string path)
    {
        var final = Resolve(path);
        return new WriteTarget(path, final, FileNode.Of(final).Kind);
    }

    /// <summary>The full path of what <paramref name="path"/> finally points to; itself when it is not a symbolic link.</summary>
    public static string Resolve(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            // Nothing there yet, or a folder we may not look into: the write itself says what is wrong.
            return full;
        }
        catch (IOException e)
        {
            throw new InputException($"cannot follow the symbolic link: {e.Message}", path, inner: e);
        }
    }

    /// <summary>Written to a temporary file beside <see cref="Final"/> and renamed onto it (else straight through).</summary>
    public bool ViaTemporaryFile => Kind is FileNodeKind.Missing or FileNodeKind.Regular;

    /// <summary>The folder the file lands in.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Final)!;

    /// <summary>Whether the name asks for gzip: ".gz", as input files are read.</summary>
    public bool Gzip => IsGzip(Path);

    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>The extension that names the format: out.csv.gz => ".csv".</summary>
    public static string FormatExtension(string path) =>
        System.IO.Path.GetExtension(IsGzip(path) ? path[..^3] : path).ToLowerInvariant();
}
