using System.Security.Cryptography;

namespace Classifier.Core.Data;

/// <summary>SHA-256 of training data, recorded in the model so that anyone can check what it was trained on.</summary>
public static class DataHash
{
    public static string OfStream(Stream s) => Convert.ToHexStringLower(SHA256.HashData(s));

    /// <summary>A file's bytes, or for a folder every file's relative path and bytes in ordinal order.</summary>
    public static string OfPath(string path)
    {
        if (File.Exists(path))
        {
            using var f = File.OpenRead(path);
            return OfStream(f);
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file).Replace('\\', '/') + "\n"));
            sha.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
