using Classifier.Core.Data;
using Classifier.Core.Features;

namespace Classifier.Core.Training;

/// <summary>What to train, with what settings, and how to evaluate it: the input of <see cref="TrainingWorkflow.Run"/>.</summary>
public sealed record TrainingRequest
{
    /// <summary>The labelled documents (see <see cref="LabeledDataset.Of"/> for a list of pairs, <see cref="DatasetLoader"/> for a file).</summary>
    public required LabeledDataset Data { get; init; }

    public FeaturizerOptions Featurizer { get; init; } = new();

    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>Train a multi-label model with these settings (labels are sets, split by the separator); null: single-label.</summary>
    public MultiLabelOptions? MultiLabel { get; init; }

    public EvaluationPlan Evaluation { get; init; } = EvaluationPlan.None;

    /// <summary>How the data is named in the model's manifest (a path); by default the data's own source.</summary>
    public string? SourceName { get; init; }

    /// <summary>The SHA-256 of the data file, recorded in the manifest; empty when unknown.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>
    /// Let go of each training text once it is counted (it becomes an empty string in <see cref="Data"/>), so that the
    /// texts and their vectors are never all in memory together: for a caller that needs the texts no more.
    /// </summary>
    public bool ReleaseTexts { get; init; }

    /// <summary>
    /// How much memory training may take, and where its store goes above that (single models: not folds); null: the
    /// store stays in memory whatever its size, with a warning above the memory available (`cross-validate`, `tune`).
    /// </summary>
    public MemoryLimit? Memory { get; init; }

    /// <summary>Checks the settings (not the data): a caller may do so before reading anything.</summary>
    public void Check()
    {
        Memory?.Validate();
        Featurizer.Validate();
        Trainer.Validate();
        MultiLabel?.Validate();
        Evaluation.Validate();
    }
}
