namespace Classifier.Core.Training;

/// <summary>The learning algorithms on offer. Names are the --trainer values.</summary>
public enum TrainerKind
{
    /// <summary>One-versus-rest linear SVMs by dual coordinate descent (LIBLINEAR's method), softmax-calibrated. The default.</summary>
    Svm,
    /// <summary>Multiclass logistic regression (maximum entropy) by stochastic dual coordinate ascent.</summary>
    SdcaMaxent,
    /// <summary>Multiclass logistic regression by L-BFGS: accurate on small data, slow and memory-hungry on large.</summary>
    LbfgsMaxent,
    /// <summary>One-versus-all averaged perceptrons, calibrated to probabilities.</summary>
    OvaPerceptron,
    /// <summary>One-versus-all linear SVMs (Pegasos), calibrated to probabilities.</summary>
    OvaSvm,
    /// <summary>One-versus-all SDCA logistic regressions.</summary>
    OvaLogistic,
    /// <summary>Multiclass naive Bayes.</summary>
    NaiveBayes,
    /// <summary>Gradient-boosted trees (LightGBM): slow on large sparse text features.</summary>
    LightGbm,
}

public static class TrainerKinds
{
    public static string Name(this TrainerKind kind) => kind switch
    {
        TrainerKind.Svm => "svm",
        TrainerKind.SdcaMaxent => "sdca-maxent",
        TrainerKind.LbfgsMaxent => "lbfgs-maxent",
        TrainerKind.OvaPerceptron => "ova-perceptron",
        TrainerKind.OvaSvm => "ova-svm",
        TrainerKind.OvaLogistic => "ova-logistic",
        TrainerKind.NaiveBayes => "naive-bayes",
        TrainerKind.LightGbm => "lightgbm",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static IEnumerable<TrainerKind> All => Enum.GetValues<TrainerKind>();

    public static TrainerKind Parse(string name) =>
        All.FirstOrDefault(k => k.Name() == name.Trim().ToLowerInvariant(), (TrainerKind)(-1)) is var k && (int)k >= 0
            ? k
            : throw new InputException($"unknown trainer '{name}'; choose one of: {string.Join(", ", All.Select(Name))}");

    /// <summary>Trainers whose result can change from run to run when they use more than one thread.</summary>
    public static bool NondeterministicWithThreads(this TrainerKind kind) =>
        kind is TrainerKind.SdcaMaxent or TrainerKind.OvaLogistic or TrainerKind.LbfgsMaxent or TrainerKind.LightGbm;
}
