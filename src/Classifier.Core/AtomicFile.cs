using System.IO.Compression;

namespace Classifier.Core;

/// <summary>
/// Writes a file by the rules of <see cref="WriteTarget"/>: under a temporary name in the final target's folder,
/// renamed into place only when the write has succeeded. A failure or cancellation deletes the temporary file, so
/// nothing half-written is ever left where the user expects a result. FIFOs and devices are written straight
/// through, and a ".gz" name is gzip-compressed.
/// </summary>
public static class AtomicFile
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Pending = new();

    /// <summary>
    /// Deletes temporary files of writes still in progress. For a process that must exit at once (a second
    /// Ctrl-C, or work that cannot be interrupted) so that it still leaves nothing half-written.
    /// </summary>
    public static void DeletePending()
    {
        foreach (var path in Pending.Keys) TryDelete(path);
    }

    public static string TempPathFor(string target) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <param name="gzipByName">Compress when the name ends in ".gz"; false for a format that is compressed already (a model is a zip).</param>
    public static void Write(string target, Action<Stream> write, bool gzipByName = true)
    {
        var to = WriteTarget.Of(target);
        if (to.Kind == FileNodeKind.Folder) throw new InputException("is a folder; give a file name", target);
        var gzip = gzipByName && to.Gzip;
        if (!to.ViaTemporaryFile)
        {
            using var device = Open(to.Final, FileMode.Open, target);
            Encode(device, gzip, write);
            device.Flush();
            return;
        }
        var temp = TempPathFor(to.Final);
        Pending[temp] = 0;
        try
        {
            using (var stream = Open(temp, FileMode.CreateNew, target))
            {
                Encode(stream, gzip, write);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, to.Final, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            Pending.TryRemove(temp, out _);
        }
    }

    private static void Encode(Stream stream, bool gzip, Action<Stream> write)
    {
        if (!gzip)
        {
            write(stream);
            return;
        }
        // Fastest: a score output is written by one thread, which compression must not turn into the bottleneck.
        using var compressed = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
        write(compressed);
    }

    private static FileStream Open(string path, FileMode mode, string target)
    {
        try
        {
            return new FileStream(path, mode, FileAccess.Write, mode == FileMode.CreateNew ? FileShare.None : FileShare.ReadWrite, 1 << 16);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException("permission denied: cannot write here", target, inner: e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new InputException("the output folder does not exist", target, inner: e);
        }
        catch (IOException e) when (mode == FileMode.Open)
        {
            throw new InputException($"cannot open for writing: {e.Message}", target, inner: e);
        }
    }

    /// <summary>
    /// Fails before expensive work, not after it, when <paramref name="target"/> could never be written: the path is a
    /// folder, a file stands where its folder should be, or creating a file there is refused. <paramref name="what"/>
    /// names the target in messages ("model", "output"); with <paramref name="foldersMayBeCreated"/> a missing folder
    /// is fine (the writer creates it) and the nearest existing ancestor is probed instead. The folder probed is the
    /// final target's, where the temporary file will go; a FIFO or a device needs none.
    /// </summary>
    public static void EnsureWritable(string target, string what, string example, bool foldersMayBeCreated)
    {
        var to = WriteTarget.Of(target);
        if (to.Kind == FileNodeKind.Folder) throw new InputException($"the {what} path is a folder; give a file name such as {example}", target);
        if (to.ViaTemporaryFile) EnsureCanCreateIn(to, target, what, foldersMayBeCreated);
    }

    /// <summary>
    /// The same for a folder that a verb fills with <paramref name="fileNames"/> (--report DIR), created if missing:
    /// nothing but a folder may stand at <paramref name="folder"/>, none of the files may be a folder, and files must
    /// be creatable where each of them lands.
    /// </summary>
    public static void EnsureFolderWritable(string folder, string what, IEnumerable<string> fileNames)
    {
        if (File.Exists(folder) && !Directory.Exists(folder)) throw new InputException($"a file stands where the {what} folder should be", folder);
        foreach (var name in fileNames)
        {
            var to = WriteTarget.Of(Path.Combine(folder, name));
            if (to.Kind == FileNodeKind.Folder) throw new InputException($"a folder stands where the {what} file {name} should be", to.Path);
            if (to.ViaTemporaryFile) EnsureCanCreateIn(to, folder, what, foldersMayBeCreated: true);
        }
    }

    /// <summary>
    /// Refuses, before any work, to write <paramref name="target"/> over <paramref name="input"/>, which is read while
    /// the target is written ('-' is neither). Compared by <see cref="FileNode.Same"/>: the same file under another
    /// spelling, through symbolic links, and on Unix through hard links and linked folders.
    /// </summary>
    public static void EnsureNotInput(string target, string input, string message)
    {
        if (target != "-" && input != "-" && FileNode.Same(target, input)) throw new InputException(message, target);
    }

    private static void EnsureCanCreateIn(WriteTarget to, string target, string what, bool foldersMayBeCreated)
    {
        var folder = to.Folder;
        if (foldersMayBeCreated)
            while (!Directory.Exists(folder) && !File.Exists(folder)) folder = Path.GetDirectoryName(folder) ?? "/";
        if (File.Exists(folder)) throw new InputException($"a file stands where the {what} folder should be", folder);
        if (!Directory.Exists(folder)) throw new InputException($"the {what} folder does not exist", target);
        var probe = TempPathFor(Path.Combine(folder, Path.GetFileName(to.Final)));
        try
        {
            using (File.Create(probe)) { }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InputException($"cannot write the {what} here: {e.Message}", target, inner: e);
        }
        finally
        {
            TryDelete(probe);
        }
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
