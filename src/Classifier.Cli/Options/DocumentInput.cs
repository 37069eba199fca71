using System.Text;
using Classifier.Core;

namespace Classifier.Cli.Options;

/// <summary>Reads one whole document for `predict` and `explain`: from stdin ('-') or from a file.</summary>
public static class DocumentInput
{
    public static string ReadStdin(CliContext context)
    {
        using var reader = new StreamReader(context.OpenStdin(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static string ReadFile(string path)
    {
        if (Directory.Exists(path)) throw new InputException("expected a file but found a folder", path);
        if (!File.Exists(path)) throw new InputException("no such file", path);
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException("permission denied", path, inner: e);
        }
    }
}
