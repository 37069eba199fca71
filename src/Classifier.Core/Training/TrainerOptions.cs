namespace Classifier.Core.Training;

/// <summary>Learning settings. The defaults are the tool's defaults and are shown in --help.</summary>
public sealed record TrainerOptions
{
    public TrainerKind Trainer { get; init; } = TrainerKind.Svm;

    /// <summary>Cost of a margin violation for the svm trainer (larger = less regularisation), as LIBLINEAR's C.</summary>
    public double C { get; init; } = 1.0;

    /// <summary>L2 regularisation strength (SDCA, L-BFGS, SVM lambda). 0 lets the trainer choose.</summary>
    public float L2 { get; init; } = 1e-4f;

    /// <summary>Passes over the data (at most, for svm and lbfgs-maxent, which stop once converged). 0 lets the trainer choose.</summary>
    public int Iterations { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>Per-class cost of margin violations (svm, single-label): none, or balanced by class size.</summary>
    public ClassWeighting ClassWeight { get; init; } = ClassWeighting.None;

    /// <summary>Worker threads; 0 means all cores. At most <see cref="ThreadCount.Max"/> are used.</summary>
    public int Threads { get; init; }

    /// <summary>How the model is laid out for scoring: the feature budget and the weight precision.</summary>
    public Models.CompactOptions Compact { get; init; } = new();

    public int EffectiveThreads => ThreadCount.Effective(Threads);

    public void Validate()
    {
        // Written so that NaN fails too (every comparison with NaN is false); the CLI rejects NaN at parsing already.
        if (!(C > 0 && double.IsFinite(C))) throw new InputException($"--c must be a finite number above 0 (got {C})");
        if (!(L2 >= 0 && float.IsFinite(L2))) throw new InputException($"--l2 must be a finite number, 0 or more (got {L2})");
        if (Iterations < 0) throw new InputException("--iterations must be 0 or more");
        if (Threads < 0) throw new InputException("--threads must be 0 (all cores) or more");
        if (ClassWeight != ClassWeighting.None && Trainer != TrainerKind.Svm)
            throw new InputException($"--class-weight {ClassWeight.Name()} needs the svm trainer (got --trainer {Trainer.Name()})");
        Compact.Validate();
    }
}
