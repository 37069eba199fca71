using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Classifier.Core.Training;

/// <summary>
/// A temporary file that holds the packed training store when it does not fit under --max-memory (see
/// <see cref="PackedBlocks"/>). Blocks are appended once, read back whole or in pieces, and rewritten in place, or
/// appended again when longer. The file has no name from the moment it is opened (on Unix it is unlinked at once, elsewhere it is deleted on
/// close), so that nothing is left behind on success, on error, on Ctrl-C or even when the process is killed: the
/// system frees its space when the last handle closes.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly object _appendLock = new();
    private readonly long _expected;
    private long _end;

    /// <summary>The folder the file lives in (--temp-dir).</summary>
    public string Folder { get; }

    /// <summary>Bytes written so far.</summary>
    public long Length => Interlocked.Read(ref _end);

    private SpillFile(SafeFileHandle handle, string folder, long expected)
    {
        _handle = handle;
        Folder = folder;
        _expected = expected;
    }

    /// <summary>
    /// A new spill file in <paramref name="folder"/>, refused (exit 2) when the folder does not exist or has less free
    /// space than the <paramref name="expectedBytes"/> the store is estimated to take.
    /// </summary>
    public static SpillFile Create(string folder, long expectedBytes)
    {
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder)) throw new InputException($"--temp-dir {folder}: no such folder");
        var free = FreeBytes(folder);
        if (free is { } f && f < expectedBytes)
            throw new InputException(NoSpace(folder, expectedBytes, f));
        var path = Path.Combine(folder, $"classifier-store-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
                OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--temp-dir {folder}: cannot create the training store's temporary file there ({e.Message})", inner: e);
        }
        // An open file keeps its data after its name is removed: no crash can leave it behind.
        try
        {
            if (!OperatingSystem.IsWindows()) File.Delete(path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return new SpillFile(handle, folder, expectedBytes);
    }

    /// <summary>Appends <paramref name="data"/> and returns where it starts.</summary>
    public long Append(ReadOnlySpan<byte> data)
    {
        long at;
        lock (_appendLock)
        {
            at = _end;
            Write(at, data);
            Interlocked.Exchange(ref _end, at + data.Length);
        }
        return at;
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> (within what was appended).</summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        try
        {
            RandomAccess.Write(_handle, data, offset);
        }
        catch (IOException e)
        {
            // A full disk is the user's to fix: one line that names the folder and the space the store needs.
            throw new InputException(NoSpace(Folder, _expected, FreeBytes(Folder)) + $" ({e.Message})", inner: e);
        }
    }

    /// <summary>Fills <paramref name="into"/> from <paramref name="offset"/>.</summary>
    public void Read(long offset, Span<byte> into)
    {
        while (into.Length > 0)
        {
            var n = RandomAccess.Read(_handle, into, offset);
            if (n <= 0) throw new IOException($"the training store's temporary file in {Folder} ended early");
            into = into[n..];
            offset += n;
        }
    }

    public void Dispose() => _handle.Dispose();

    private static long? FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string NoSpace(string folder, long need, long? free) =>
        $"--temp-dir {folder}: not enough free disk space for the training store spilled to disk: it needs about {Gb(need)}" +
        (free is { } f ? $", {Gb(f)} free" : "") + "; free some space, pass --temp-dir on a larger disk, or raise --max-memory";

    private static string Gb(long bytes) => (bytes / 1e9).ToString("0.0 GB", CultureInfo.InvariantCulture);
}
