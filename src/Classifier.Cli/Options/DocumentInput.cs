using System.Text;
using System.Text.Unicode;
using Classifier.Core;

namespace Classifier.Cli.Options;

/// <summary>
/// Reads one whole document for `predict`, `explain` and `places`: from stdin ('-') or from a file. Bytes that are not
/// UTF-8 are replaced by U+FFFD, and said (<c>invalid</c>), by the same rule as the batch readers: found in the bytes,
/// so that a literal U+FFFD is text.
/// </summary>
public static class DocumentInput
{
    public static string ReadStdin(CliContext context) => ReadStdin(context, out _);

    public static string ReadStdin(CliContext context, out bool invalid)
    {
        using var stdin = context.OpenStdin();
        using var bytes = new MemoryStream();
        stdin.CopyTo(bytes);
        return Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), out invalid);
    }

    public static string ReadFile(string path) => ReadFile(path, out _);

    public static string ReadFile(string path, out bool invalid)
    {
        if (Directory.Exists(path)) throw new InputException("expected a file but found a folder", path);
        if (!File.Exists(path)) throw new InputException("no such file", path);
        try
        {
            return Decode(File.ReadAllBytes(path), out invalid);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException("permission denied", path, inner: e);
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes, out bool invalid)
    {
        invalid = false;
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0x00, 0x00, 0xFE, 0xFF, ..])
        {
            // UTF-16 or UTF-32 with a BOM, as the readers honour it: the BOM chooses the decoding.
            using var reader = new StreamReader(new MemoryStream(bytes.ToArray()), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        if (bytes is [0xEF, 0xBB, 0xBF, ..]) bytes = bytes[3..];
        invalid = !Utf8.IsValid(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
