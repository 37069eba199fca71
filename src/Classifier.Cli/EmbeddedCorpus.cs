namespace Classifier.Cli;

/// <summary>
/// The sample news corpus compiled into the tool (data/news-sample.csv), so that `classifier train` works
/// from any folder with no data at hand.
/// </summary>
public static class EmbeddedCorpus
{
    public const string Name = "news-sample.csv (embedded)";
    private const string Resource = "Classifier.news-sample.csv";
    public const string DefaultLabel = "topic";
    public static readonly IReadOnlyList<string> DefaultText = new[] { "title", "text" };

    /// <summary>The embedded corpus's region label, whose model turns place features on by default.</summary>
    public static bool IsRegionLabel(Options.DataSource source, string label) => source.IsEmbedded && label == "region";

    public static Stream Open() =>
        typeof(EmbeddedCorpus).Assembly.GetManifestResourceStream(Resource)
        ?? throw new InvalidOperationException($"resource {Resource} is missing from the build");
}
