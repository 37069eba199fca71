using System.Runtime.InteropServices;

namespace Classifier.Core;

/// <summary>What a path is on disk: a regular file, a folder, or something else (a FIFO, a device, a socket).</summary>
public enum FileNodeKind { Missing, Regular, Folder, Special }

/// <summary>
/// The type and identity (device and inode) of the file a path leads to, symbolic links followed. .NET 10 has no public
/// API for either (SafeFileHandle.Type comes in .NET 11), so on Unix this calls the runtime's own stat shim,
/// SystemNative_Stat in libSystem.Native: its FileStatus struct has fixed-width fields, the same on every Unix and
/// architecture, unlike libc's struct stat. The layout is checked once against FileSystemInfo; where the shim is
/// missing or disagrees (Windows, a future runtime), <see cref="Of"/> falls back to what public APIs tell
/// (a file is taken to be regular) and <see cref="Identity"/> is null.
/// </summary>
/// <param name="Identity">
/// Device and inode, with the size and modification time: should the inode ever be read from the wrong place, two
/// different files would still have to agree on all the rest to be taken for one.
/// </param>
public readonly record struct FileNode(FileNodeKind Kind, (long Device, long Inode, long Size, long MTime, long MTimeNsec)? Identity)
{
    public static FileNode Of(string path)
    {
        if (StatUsable.Value)
        {
            if (NativeStat(path, out var s) != 0) return Fallback(path);
            var kind = (s.Mode & TypeMask) switch { RegularType => FileNodeKind.Regular, FolderType => FileNodeKind.Folder, _ => FileNodeKind.Special };
            return new FileNode(kind, (s.Dev, s.Ino, s.Size, s.MTime, s.MTimeNsec));
        }
        return Fallback(path);
    }

    /// <summary>
    /// Whether two paths lead to the same file: by device and inode where known (this sees through hard links and
    /// linked folders too), else by their full paths once symbolic links are resolved.
    /// </summary>
    public static bool Same(string a, string b)
    {
        var (x, y) = (Of(a), Of(b));
        if (x.Kind == FileNodeKind.Missing || y.Kind == FileNodeKind.Missing) return false;
        if (x.Identity is { } i && y.Identity is { } j) return i == j;
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return string.Equals(WriteTarget.Resolve(a), WriteTarget.Resolve(b), comparison);
    }

    private static FileNode Fallback(string path) =>
        new(Directory.Exists(path) ? FileNodeKind.Folder : File.Exists(path) ? FileNodeKind.Regular : FileNodeKind.Missing, null);

    private const int TypeMask = 0xF000, RegularType = 0x8000, FolderType = 0x4000;

    /// <summary>
    /// The shim works and its layout is the one declared below: on this program's own folder it must say "folder" and
    /// give the modification time that FileSystemInfo gives.
    /// </summary>
    private static readonly Lazy<bool> StatUsable = new(() =>
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            var folder = AppContext.BaseDirectory;
            return NativeStat(folder, out var s) == 0 && (s.Mode & TypeMask) == FolderType && s.Ino != 0
                && s.MTime == new DateTimeOffset(Directory.GetLastWriteTimeUtc(folder)).ToUnixTimeSeconds();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    });

    /// <summary>src/native/libs/System.Native/pal_io.h in dotnet/runtime. Size leaves room should a later runtime add fields.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags, Mode;
        public uint Uid, Gid;
        public long Size, ATime, ATimeNsec, MTime, MTimeNsec, CTime, CTimeNsec, BirthTime, BirthTimeNsec, Dev, RDev, Ino;
        public uint UserFlags;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int NativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);
}
