using System.CommandLine;
using Classifier.Core;
using Classifier.Core.Features;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Cli.Options;

/// <summary>
/// Featurizer and trainer options for `train` and `cross-validate`. Their defaults come from
/// <see cref="FeaturizerOptions"/> and <see cref="TrainerOptions"/>, the one place they are set.
/// </summary>
public sealed class ModelingOptions
{
    private static readonly FeaturizerOptions F = new();
    private static readonly TrainerOptions T = new();

    public Option<string> Trainer { get; } = new("--trainer")
    {
        Description = $"Learning algorithm: {string.Join(", ", TrainerKinds.All.Select(k => k.Name()))}",
        DefaultValueFactory = _ => T.Trainer.Name(),
    };
    public Option<double> C { get; } = new("--c")
    {
        Description = "svm: cost of margin violations (larger fits the training data more closely)",
        DefaultValueFactory = _ => T.C,
    };
    public Option<string> ClassWeight { get; } = new("--class-weight")
    {
        Description = "svm: none, or balanced (a document of class k costs n / (classes x n_k); multi-label: a document with a label costs n_without / n_with in that label's problem; so small classes and rare labels are not given up)",
        DefaultValueFactory = _ => T.ClassWeight.Name(),
    };
    public Option<float> L2 { get; } = new("--l2")
    {
        Description = "ML.NET trainers: L2 regularisation (lambda for ova-svm); 0 lets the trainer pick",
        DefaultValueFactory = _ => T.L2,
    };
    public Option<int> Iterations { get; } = new("--iterations")
    {
        Description = "Passes over the training data (svm, lbfgs-maxent: at most, they stop once converged); 0 = the trainer's own default (svm and lbfgs-maxent 100)",
        DefaultValueFactory = _ => T.Iterations,
    };
    public Option<int> WordNgrams { get; } = new("--word-ngrams")
    {
        Description = "Longest word n-gram (1 = words only)",
        DefaultValueFactory = _ => F.WordNgrams,
    };
    public Option<string> CharNgrams { get; } = new("--char-ngrams")
    {
        Description = "Character n-gram lengths MIN-MAX inside words, or 0 for none",
        DefaultValueFactory = _ => F.CharNgramsEnabled ? $"{F.CharNgramMin}-{F.CharNgramMax}" : "0",
    };
    public Option<double> CharWeight { get; } = new("--char-weight")
    {
        Description = "Weight of the character n-grams relative to the word n-grams",
        DefaultValueFactory = _ => F.CharWeight,
    };
    public Option<bool> Places { get; } = new("--places")
    {
        Description = "Add features for the places the text names (built-in gazetteer: country, UN M49 subregion and region, and one of the seven regions); see 'classifier places'. On by default for the embedded corpus's region label",
        DefaultValueFactory = _ => F.Places,
    };
    public Option<double> PlaceWeight { get; } = new("--place-weight")
    {
        Description = $"Weight of the place features relative to the word n-grams (with --places); {FeaturizerOptions.EmbeddedRegionPlaceWeight} for the embedded corpus's region label",
        DefaultValueFactory = _ => F.PlaceWeight,
    };
    public Option<string> Weighting { get; } = new("--weighting")
    {
        Description = "Feature weights: tf, idf or tf-idf",
        DefaultValueFactory = _ => WeightingName(F.Weighting),
    };
    public Option<bool> SublinearTf { get; } = new("--sublinear-tf")
    {
        Description = "Use 1 + ln(count) as term frequency",
        DefaultValueFactory = _ => F.SublinearTf,
    };
    public Option<bool> StopWords { get; } = new("--stop-words")
    {
        Description = "Remove English stop words before making word n-grams",
        DefaultValueFactory = _ => F.RemoveStopWords,
    };
    public Option<int> MinDf { get; } = new("--min-df")
    {
        Description = "Drop n-grams seen in fewer documents; 0 = automatic (keep every word n-gram; character n-grams need 2 documents from 5,000 documents up)",
        DefaultValueFactory = _ => F.MinDocumentFrequency,
    };
    public Option<int> MaxFeatures { get; } = new("--max-features")
    {
        Description = "Keep at most this many n-grams, the most frequent; 0 = no bound",
        DefaultValueFactory = _ => F.MaxFeatures,
    };

    public Option<int> FeatureBudget { get; } = new("--feature-budget")
    {
        Description = "Features the model keeps, those with the largest weights, fitted again on them alone (linear trainers); 0 = keep all",
        DefaultValueFactory = _ => T.Compact.FeatureBudget,
    };
    public Option<string> Weights { get; } = new("--weights")
    {
        Description = "Precision of the stored weights: int8, int16 or float32 (linear trainers)",
        DefaultValueFactory = _ => T.Compact.Weights.Name(),
    };
    public Option<bool> ExportMlNet { get; } = new("--export-mlnet")
    {
        Description = "Also store the weights as an ML.NET model (mlnet-model.zip in the model file) for ML.NET programs",
        DefaultValueFactory = _ => T.Compact.MlNetExport,
    };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Trainer, C, ClassWeight, L2, Iterations, WordNgrams, CharNgrams, CharWeight, Places, PlaceWeight, Weighting, SublinearTf, StopWords, MinDf, MaxFeatures,
                     FeatureBudget, Weights, ExportMlNet })
            command.Options.Add(o);
    }

    /// <param name="placesByDefault">
    /// Turn --places on unless the command line says otherwise: the region model of the embedded corpus, whose few
    /// hundred articles name only some of the world's places, needs the gazetteer to label the rest.
    /// </param>
    private static bool IsImplicit(ParseResult p, Option option) => p.GetResult(option) is null or { Implicit: true };

    public FeaturizerOptions Featurizer(ParseResult p, bool placesByDefault = false)
    {
        var (min, max) = ParseRange(p.GetValue(CharNgrams)!);
        var options = new FeaturizerOptions
        {
            WordNgrams = p.GetValue(WordNgrams),
            CharNgramMin = min,
            CharNgramMax = max,
            CharWeight = p.GetValue(CharWeight),
            Places = placesByDefault && IsImplicit(p, Places) || p.GetValue(Places),
            PlaceWeight = placesByDefault && IsImplicit(p, PlaceWeight) ? FeaturizerOptions.EmbeddedRegionPlaceWeight : p.GetValue(PlaceWeight),
            Weighting = ParseWeighting(p.GetValue(Weighting)!),
            SublinearTf = p.GetValue(SublinearTf),
            RemoveStopWords = p.GetValue(StopWords),
            MinDocumentFrequency = p.GetValue(MinDf),
            MaxFeatures = p.GetValue(MaxFeatures),
        };
        options.Validate();
        return options;
    }

    public TrainerOptions TrainerSettings(ParseResult p, int seed, int threads)
    {
        var options = new TrainerOptions
        {
            Trainer = TrainerKinds.Parse(p.GetValue(Trainer)!),
            C = p.GetValue(C),
            ClassWeight = ClassWeightings.Parse(p.GetValue(ClassWeight)!),
            L2 = p.GetValue(L2),
            Iterations = p.GetValue(Iterations),
            Seed = seed,
            Threads = threads,
            Compact = new CompactOptions
            {
                FeatureBudget = p.GetValue(FeatureBudget),
                Weights = WeightPrecisions.Parse(p.GetValue(Weights)!),
                MlNetExport = p.GetValue(ExportMlNet),
            },
        };
        options.Validate();
        return options;
    }

    internal static (int Min, int Max) ParseRange(string spec)
    {
        spec = spec.Trim();
        if (spec == "0") return (0, 0);
        var parts = spec.Split('-');
        if (parts.Length == 1 && int.TryParse(parts[0], out var n)) return (n, n);
        if (parts.Length == 2 && int.TryParse(parts[0], out var a) && int.TryParse(parts[1], out var b)) return (a, b);
        throw new InputException($"--char-ngrams takes MIN-MAX (for example 2-5) or 0, not '{spec}'");
    }

    internal static string WeightingName(Weighting w) => w switch
    {
        Core.Features.Weighting.Tf => "tf",
        Core.Features.Weighting.Idf => "idf",
        _ => "tf-idf",
    };

    private static Weighting ParseWeighting(string value) => value.Trim().ToLowerInvariant() switch
    {
        "tf" => Core.Features.Weighting.Tf,
        "idf" => Core.Features.Weighting.Idf,
        "tf-idf" or "tfidf" => Core.Features.Weighting.TfIdf,
        _ => throw new InputException($"--weighting takes tf, idf or tf-idf, not '{value}'"),
    };
}
