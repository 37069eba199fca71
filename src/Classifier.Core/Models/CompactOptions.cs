namespace Classifier.Core.Models;

/// <summary>
/// How a trained model is laid out for scoring. The defaults here are the tool's defaults (the CLI prints them in
/// --help); they were chosen by measurement on 20 Newsgroups, BBC and Reuters (docs/benchmarks.md, "Compact models").
/// </summary>
public sealed record CompactOptions
{
    /// <summary>
    /// Features the model keeps: those with the largest weights across classes, after which the weights are fitted
    /// again on them alone. 0 keeps every feature.
    /// </summary>
    public int FeatureBudget { get; init; } = DefaultFeatureBudget;

    public const int DefaultFeatureBudget = 200_000;

    public WeightPrecision Weights { get; init; } = WeightPrecision.Int8;

    /// <summary>Also store an ML.NET model (mlnet-model.zip) with the same weights, for use with ML.NET alone (it still needs our featurizer's vectors).</summary>
    public bool MlNetExport { get; init; }

    public void Validate()
    {
        if (FeatureBudget < 0) throw new InputException("--feature-budget must be 0 (keep every feature) or more");
        if (FeatureBudget is > 0 and < 100) throw new InputException($"--feature-budget must be 0 or at least 100 (got {FeatureBudget})");
    }
}

/// <summary>What the manifest records of the compact layout: the settings and how many features were kept.</summary>
public sealed record CompactSettings(int FeatureBudget, string Weights, bool MlNetExport, int TrainedFeatures, int KeptFeatures);
