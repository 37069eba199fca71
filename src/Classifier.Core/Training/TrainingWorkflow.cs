using System.Diagnostics;
using Classifier.Core.Data;
using Classifier.Core.Models;

namespace Classifier.Core.Training;

/// <summary>
/// Load-split-fit-evaluate, once for every verb that trains (`train`, `cross-validate`, `tune`'s final model) and for
/// a .NET program: split the data as the plan says, say how much memory it will take, count the training texts once,
/// fit, and evaluate. Progress and warnings go to the caller's <see cref="IProgress{T}"/>; nothing is printed.
/// </summary>
public static class TrainingWorkflow
{
    public static TrainingResult Run(TrainingRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        request.Check();
        var all = request.Data;
        var (multi, trainer, featurizer) = (request.MultiLabel, request.Trainer, request.Featurizer);
        var clock = Stopwatch.StartNew();
        if (request.Evaluation is EvaluationPlan.FoldsPlan folds)
        {
            all.LoadTexts(cancel); // every fold counts every text: they are read once, into memory
            return multi is null
                ? new TrainingResult { Folds = CrossValidation.Run(all, folds.K, featurizer, trainer, progress, cancel), TrainSeconds = Seconds(clock) }
                : new TrainingResult { MultiLabelFolds = CrossValidation.RunMultiLabel(all, folds.K, featurizer, trainer, multi, progress, cancel), TrainSeconds = Seconds(clock) };
        }

        var (train, test) = Split(request);
        var description = new DataDescription(request.SourceName ?? all.Source, request.Sha256, all.Count + all.SkippedRows, all.SkippedRows,
            train.Count, test?.Count ?? 0);
        var chars = train.OnDisk?.Chars() ?? Features.CountingPass.Chars(train.Texts);
        var memory = MemoryEstimate.Report(chars, request.Memory, request.Trainer.Trainer == TrainerKind.Svm, textsInMemory: train.OnDisk is null, progress);
        // Above the limit the store goes to a file that has no name once opened: closed here, its space is given back.
        using var spill = memory.Spills ? SpillFile.Create(memory.SpillFolder!, (long)memory.DiskBytes) : null;
        // Texts left on disk are read again as they are counted; the held-out ones only once training is done.
        using var streamed = train.OnDisk is { } onDisk ? new StreamedTexts(onDisk, cancel) : null;
        // Training needs each text only until it is counted; a held-out part keeps its own references.
        if (request.ReleaseTexts && !ReferenceEquals(train, all)) all.ReleaseTexts();
        var model = multi is null
            ? ModelTrainer.Fit(train, featurizer, trainer, description, progress, cancel, request.ReleaseTexts, spill, streamed)
            : MultiLabelTrainer.Fit(train, featurizer, trainer, multi, description, progress, cancel, request.ReleaseTexts, spill, streamed);
        var trainSeconds = Seconds(clock);
        if (test is null) return new TrainingResult { Model = model, TrainSeconds = trainSeconds };
        // What training held (its vectors and solver state) is garbage now: given back before the test texts are featurized.
        if (request.ReleaseTexts) ModelTrainer.ReleaseCounting();

        if (test.OnDisk is not null) progress?.Report(new ProgressUpdate($"reading the {test.Count:N0} held-out documents again"));
        test.LoadTexts(cancel);
        progress?.Report(new ProgressUpdate($"evaluating on {test.Count:N0} held-out documents"));
        var evaluation = ModelEvaluation.Of(model, test, trainer.EffectiveThreads, cancel);
        return new TrainingResult
        {
            Model = model.WithManifest(evaluation.Record(model.Manifest)), Test = test, Evaluation = evaluation, TrainSeconds = trainSeconds,
        };
    }

    /// <summary>The rows to train on and those to evaluate on (null: none).</summary>
    private static (LabeledDataset Train, LabeledDataset? Test) Split(TrainingRequest request)
    {
        var all = request.Data;
        switch (request.Evaluation)
        {
            case EvaluationPlan.TestSetPlan t:
                return (all, t.Test);
            case EvaluationPlan.HoldoutPlan h:
                var seed = request.Trainer.Seed;
                var (trainRows, testRows) = request.MultiLabel is not null
                    ? Splits.RandomHoldout(all.Count, h.Fraction, seed)
                    : Splits.Holdout(all.Labels, h.Fraction, seed);
                return (all.Subset(trainRows), all.Subset(testRows));
            default:
                return (all, null);
        }
    }

    private static double Seconds(Stopwatch clock) => Math.Round(clock.Elapsed.TotalSeconds, 2);
}

/// <summary>What <see cref="TrainingWorkflow.Run"/> made: the model and its evaluation, or the folds' figures.</summary>
public sealed record TrainingResult
{
    /// <summary>The model trained (with its evaluation recorded in the manifest when it has one); null for k folds.</summary>
    public ClassifierModel? Model { get; init; }

    /// <summary>The documents evaluated on: the held-out part or the test set.</summary>
    public LabeledDataset? Test { get; init; }

    public ModelEvaluation? Evaluation { get; init; }

    /// <summary>The folds of a single-label k-fold plan.</summary>
    public CrossValidation.Result? Folds { get; init; }

    /// <summary>The folds of a multi-label k-fold plan.</summary>
    public CrossValidation.MultiLabelResult? MultiLabelFolds { get; init; }

    /// <summary>Wall seconds from the start to the model (or to the last fold), evaluation excluded.</summary>
    public double TrainSeconds { get; init; }
}
