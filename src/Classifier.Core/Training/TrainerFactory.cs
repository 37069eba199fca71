using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using static Classifier.Core.Training.FeatureData;

namespace Classifier.Core.Training;

/// <summary>Builds the ML.NET estimator for a <see cref="TrainerOptions"/>.</summary>
public static class TrainerFactory
{
    public static IEstimator<ITransformer> Create(MLContext ml, TrainerOptions o)
    {
        var threads = o.EffectiveThreads;
        float? l2 = o.L2 > 0 ? o.L2 : null;
        int? iterations = o.Iterations > 0 ? o.Iterations : null;
        var multi = ml.MulticlassClassification.Trainers;
        var binary = ml.BinaryClassification.Trainers;
        return o.Trainer switch
        {
            TrainerKind.SdcaMaxent => multi.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn,
                FeatureColumnName = FeaturesColumn,
                L2Regularization = l2,
                MaximumNumberOfIterations = iterations,
                NumberOfThreads = threads,
            }),
            TrainerKind.LbfgsMaxent => multi.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn,
                FeatureColumnName = FeaturesColumn,
                // ML.NET's default L1 weight is 1, against a loss summed over documents. Our features are L2-normalised
                // TF-IDF (values about 0.1), so nearly every feature's gradient is below 1 and OWL-QN zeroes it: on the
                // embedded corpus 3 weights of 363,300 survived and held-out accuracy was 0.39, whatever --iterations
                // said (it converged in a few steps). No L1: --l2 alone regularises, as for sdca-maxent.
                L1Regularization = 0,
                L2Regularization = o.L2,
                MaximumNumberOfIterations = iterations ?? 100,
                NumberOfThreads = threads,
            }),
            TrainerKind.OvaPerceptron => multi.OneVersusAll(binary.AveragedPerceptron(new AveragedPerceptronTrainer.Options
            {
                FeatureColumnName = FeaturesColumn,
                NumberOfIterations = iterations ?? 10,
            }), LabelColumn),
            TrainerKind.OvaSvm => multi.OneVersusAll(binary.LinearSvm(new LinearSvmTrainer.Options
            {
                FeatureColumnName = FeaturesColumn,
                Lambda = o.L2 > 0 ? o.L2 : 1e-4f,
                NumberOfIterations = iterations ?? 30,
            }), LabelColumn),
            TrainerKind.OvaLogistic => multi.OneVersusAll(binary.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                FeatureColumnName = FeaturesColumn,
                L2Regularization = l2,
                MaximumNumberOfIterations = iterations,
                NumberOfThreads = threads,
            }), LabelColumn),
            TrainerKind.NaiveBayes => multi.NaiveBayes(LabelColumn, FeaturesColumn),
            TrainerKind.LightGbm => multi.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn,
                FeatureColumnName = FeaturesColumn,
                NumberOfIterations = iterations ?? 100,
                NumberOfThreads = threads,
                Seed = o.Seed,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(o), $"{o.Trainer.Name()} is not an ML.NET estimator"),
        };
    }
}
