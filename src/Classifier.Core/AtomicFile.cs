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
        using var pending = Begin(target, gzipByName);
        write(pending.Stream);
        pending.Commit();
    }

    /// <summary>
    /// Starts a write that outlives one call (a file filled as a run goes, such as the bad-rows file):
    /// <see cref="PendingWrite.Commit"/> puts it in place; disposed without it, it leaves nothing.
    /// </summary>
    public static PendingWrite Begin(string target, bool gzipByName = true)
    {
        var to = WriteTarget.Of(target);
        if (to.Kind == FileNodeKind.Folder) throw new InputException("is a folder; give a file name", target);
        var gzip = gzipByName && to.Gzip;
        if (!to.ViaTemporaryFile) return new PendingWrite(Open(to.Final, FileMode.Open, target), gzip, null, to.Final);
        var temp = TempPathFor(to.Final);
        Pending[temp] = 0;
        try
        {
            return new PendingWrite(Open(temp, FileMode.CreateNew, target), gzip, temp, to.Final);
        }
        catch
        {
            Pending.TryRemove(temp, out _);
            throw;
        }
    }

    /// <summary>A write under way: its <see cref="Stream"/>, put in place by <see cref="Commit"/> or thrown away by Dispose.</summary>
    public sealed class PendingWrite : IDisposable
    {
        private readonly FileStream _file;
        // Fastest: a score output is written by one thread, which compression must not turn into the bottleneck.
        private readonly GZipStream? _gzip;
        private readonly string? _temp;
        private readonly string _final;
        private bool _done;

        internal PendingWrite(FileStream file, bool gzip, string? temp, string final)
        {
            _file = file;
            _gzip = gzip ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : null;
            _temp = temp;
            _final = final;
        }

        public Stream Stream => (Stream?)_gzip ?? _file;

        public void Commit()
        {
            if (_done) return;
            try
            {
                _gzip?.Dispose();
                _file.Flush(flushToDisk: _temp is not null);
                _file.Dispose();
                if (_temp is not null) File.Move(_temp, _final, overwrite: true);
                _done = true;
            }
            finally
            {
                if (!_done) Dispose();
                else if (_temp is not null) Pending.TryRemove(_temp, out _);
            }
        }

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _gzip?.Dispose();
            _file.Dispose();
            if (_temp is null) return;
            TryDelete(_temp);
            Pending.TryRemove(_temp, out _);
        }
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
        if (target == "-" || input == "-") return;
        // The same file through any link, or the same name for one not written yet (an output named twice).
        if (WriteTarget.Resolve(target) == WriteTarget.Resolve(input) || FileNode.Same(target, input)) throw new InputException(message, target);
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
