namespace Classifier.Core;

/// <summary>
/// Writes a file under a temporary name in the target's folder and renames it into place only when the
/// write has succeeded. A failure or cancellation deletes the temporary file, so nothing half-written
/// is ever left where the user expects a result.
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

    public static void Write(string target, Action<Stream> write)
    {
        var temp = TempPathFor(target);
        Pending[temp] = 0;
        try
        {
            using (var stream = Open(temp, target))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
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

    private static FileStream Open(string temp, string target)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException("permission denied: cannot write here", target, inner: e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new InputException("the output folder does not exist", target, inner: e);
        }
    }

    /// <summary>
    /// Fails before expensive work, not after it, when <paramref name="target"/> could never be written: the path is a
    /// folder, a file stands where its folder should be, or creating a file there is refused. <paramref name="what"/>
    /// names the target in messages ("model", "output"); with <paramref name="foldersMayBeCreated"/> a missing folder
    /// is fine (the writer creates it) and the nearest existing ancestor is probed instead.
    /// </summary>
    public static void EnsureWritable(string target, string what, string example, bool foldersMayBeCreated)
    {
        if (Directory.Exists(target)) throw new InputException($"the {what} path is a folder; give a file name such as {example}", target);
        var folder = Path.GetDirectoryName(Path.GetFullPath(target))!;
        if (foldersMayBeCreated)
            while (!Directory.Exists(folder) && !File.Exists(folder)) folder = Path.GetDirectoryName(folder) ?? "/";
        if (File.Exists(folder)) throw new InputException($"a file stands where the {what} folder should be", folder);
        if (!Directory.Exists(folder)) throw new InputException($"the {what} folder does not exist", target);
        var probe = TempPathFor(Path.Combine(folder, Path.GetFileName(target)));
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

    /// <summary>Registers a temporary file written outside <see cref="Write"/>, so that <see cref="DeletePending"/> removes it too.</summary>
    public static void Track(string temp) => Pending[temp] = 0;

    public static void Untrack(string temp) => Pending.TryRemove(temp, out _);

    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
