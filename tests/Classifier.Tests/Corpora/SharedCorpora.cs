namespace Classifier.Tests.Corpora;

/// <summary>
/// Locates ../shared/datasets beside the repository. The real corpora are research-only and live outside
/// the repository, so tests that use them are opt-in: they run only when CLASSIFIER_CORPUS_TESTS=1 and the
/// folder exists, and skip cleanly otherwise.
/// </summary>
internal static class SharedCorpora
{
    public const string OptInVariable = "CLASSIFIER_CORPUS_TESTS";

    public static string? Root { get; } = Find();

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Classifier.sln"))) continue;
            var datasets = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "datasets"));
            return Directory.Exists(datasets) ? datasets : null;
        }
        return null;
    }

    /// <summary>Skips the calling test unless the corpus tests were asked for and the file is there.</summary>
    public static string Require(string relativePath)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable(OptInVariable) == "1", $"set {OptInVariable}=1 to run the corpus tests");
        Skip.If(Root is null, "../shared/datasets is absent");
        var path = Path.Combine(Root!, relativePath);
        Skip.IfNot(File.Exists(path), $"{path} is absent");
        return path;
    }
}
