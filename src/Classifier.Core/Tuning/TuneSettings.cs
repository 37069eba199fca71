using System.Globalization;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Core.Tuning;

/// <summary>
/// The settings `tune` searches: the svm's C and class weighting, the featurizer's n-gram lengths, character weight,
/// sublinear tf and minimum document frequency, and the feature budget (0: every feature). Everything else comes from
/// the command line unchanged.
/// </summary>
public sealed record TuneSettings(double C, int WordNgrams, int CharMin, int CharMax, double CharWeight, bool SublinearTf, int MinDf,
    ClassWeighting ClassWeight, int FeatureBudget = 0, double? MinValidationF1 = null, int? MinLabelCount = null)
{
    /// <summary>Multi-label settings: the threshold policy (a label whose out-of-fold F1 stays below this gets the conservative threshold) and the fewest documents a label needs.</summary>
    public bool IsMultiLabel => MinValidationF1 is not null;

    public static TuneSettings From(FeaturizerOptions f, TrainerOptions t, MultiLabelOptions? m) =>
        From(f, t) with { MinValidationF1 = m?.MinValidationF1, MinLabelCount = m?.MinLabelCount };

    /// <summary>The multi-label options with this trial's threshold policy and minimum label count.</summary>
    public MultiLabelOptions Apply(MultiLabelOptions m) =>
        m with { MinValidationF1 = MinValidationF1 ?? m.MinValidationF1, MinLabelCount = MinLabelCount ?? m.MinLabelCount };

    public static TuneSettings From(FeaturizerOptions f, TrainerOptions t) =>
        new(t.C, f.WordNgrams, f.CharNgramMin, f.CharNgramMax, f.CharWeight, f.SublinearTf, f.MinDocumentFrequency, t.ClassWeight, t.Compact.FeatureBudget);

    public (FeaturizerOptions Featurizer, TrainerOptions Trainer) Apply(FeaturizerOptions f, TrainerOptions t) =>
        (f with { WordNgrams = WordNgrams, CharNgramMin = CharMin, CharNgramMax = CharMax, CharWeight = CharWeight, SublinearTf = SublinearTf,
                  MinDocumentFrequency = MinDf },
         t with { C = C, ClassWeight = ClassWeight, Compact = t.Compact with { FeatureBudget = FeatureBudget } });

    private static string N(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    private string CharRange => CharMax == 0 ? "0" : $"{CharMin}-{CharMax}";

    /// <summary>The `train` options that set these values, in a fixed order.</summary>
    public IReadOnlyList<string> TrainArguments() =>
    [
        "--c", N(C), "--word-ngrams", WordNgrams.ToString(CultureInfo.InvariantCulture), "--char-ngrams", CharRange,
        "--char-weight", N(CharWeight), "--sublinear-tf", SublinearTf ? "true" : "false", "--min-df", MinDf.ToString(CultureInfo.InvariantCulture),
        "--class-weight", ClassWeight.Name(), "--feature-budget", FeatureBudget.ToString(CultureInfo.InvariantCulture),
        .. IsMultiLabel ? (string[])["--min-validation-f1", N(MinValidationF1!.Value), "--min-label-count", MinLabelCount!.Value.ToString(CultureInfo.InvariantCulture)] : [],
    ];

    /// <summary>One line for a table: "c 1, words 1-2, chars 2-5 x1, sublinear, min-df auto, class weight none, budget 200,000".</summary>
    public override string ToString() =>
        $"c {N(C)}, words 1-{WordNgrams}, chars {(CharMax == 0 ? "none" : $"{CharRange} x{N(CharWeight)}")}, {(SublinearTf ? "sublinear" : "raw tf")}, " +
        $"min-df {(MinDf == 0 ? "auto" : MinDf.ToString(CultureInfo.InvariantCulture))}, class weight {ClassWeight.Name()}, " +
        (FeatureBudget == 0 ? "all features" : string.Create(CultureInfo.InvariantCulture, $"budget {FeatureBudget:N0}")) +
        (IsMultiLabel ? $", min-validation-f1 {N(MinValidationF1!.Value)}, min-label-count {MinLabelCount}" : "");

    public Dictionary<string, object?> ToJson() => new()
    {
        ["c"] = C, ["word_ngrams"] = WordNgrams, ["char_ngrams"] = CharRange, ["char_weight"] = CharWeight, ["sublinear_tf"] = SublinearTf,
        ["min_df"] = MinDf, ["class_weight"] = ClassWeight.Name(), ["feature_budget"] = FeatureBudget,
        ["min_validation_f1"] = MinValidationF1, ["min_label_count"] = MinLabelCount,
    };
}
