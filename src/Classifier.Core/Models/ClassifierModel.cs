using Classifier.Core.Features;
using Classifier.Core.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Classifier.Core.Models;

/// <summary>
/// A trained model: our featurizer, the ML.NET model that maps its vectors to class scores, and the manifest.
/// Predictions go through <see cref="PredictionSession"/>s, one per thread, because ML.NET's
/// PredictionEngine is not thread-safe.
/// </summary>
public sealed class ClassifierModel
{
    public Manifest Manifest { get; }
    public TextFeaturizer Featurizer { get; }
    internal ITransformer Transformer { get; }
    internal MLContext Context { get; }

    public IReadOnlyList<string> Labels { get; }

    internal ClassifierModel(Manifest manifest, TextFeaturizer featurizer, ITransformer transformer, MLContext context)
    {
        Manifest = manifest;
        Featurizer = featurizer;
        Transformer = transformer;
        Context = context;
        Labels = manifest.Labels.Select(l => l.Label).ToList();
        Linear = LinearScorer.TryCreate(transformer, featurizer.Dimension);
    }

    /// <summary>The fast path for linear models; null for the others, which go through a PredictionEngine.</summary>
    internal LinearScorer? Linear { get; }

    public ClassifierModel WithManifest(Manifest manifest) => new(manifest, Featurizer, Transformer, Context);

    public bool IsMultiLabel => Manifest.MultiLabel is not null;

    /// <summary>
    /// The labels a multi-label model assigns, most probable first: those at or above their threshold, then
    /// topped up to the minimum or cut to the maximum count. For a single-label model, the most probable one.
    /// </summary>
    public int[] SelectLabels(float[] probabilities)
    {
        var ranked = Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).ThenBy(i => i).ToArray();
        if (Manifest.MultiLabel is not { } m) return ranked.Take(1).ToArray();
        var chosen = ranked.Where(i => probabilities[i] >= m.Thresholds[i]).ToList();
        foreach (var i in ranked)
        {
            if (chosen.Count >= m.MinLabels) break;
            if (!chosen.Contains(i)) chosen.Add(i);
        }
        if (m.MaxLabels > 0 && chosen.Count > m.MaxLabels) chosen = chosen.Take(m.MaxLabels).ToList();
        return chosen.OrderByDescending(i => probabilities[i]).ThenBy(i => i).ToArray();
    }

    public PredictionSession CreateSession() => new(this, useEngine: false);

    /// <summary>A session that always goes through ML.NET's PredictionEngine: the reference the fast path is tested against.</summary>
    internal PredictionSession CreateEngineSession() => new(this, useEngine: true);

    /// <summary>Class probabilities for many texts, using every core; results are in input order.</summary>
    public float[][] PredictAll(IReadOnlyList<string> texts, int threads = 0, CancellationToken cancel = default)
    {
        var result = new float[texts.Count][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount, CancellationToken = cancel };
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, texts.Count), options, CreateSession, (range, _, session) =>
        {
            for (int i = range.Item1; i < range.Item2; i++) result[i] = session.Predict(texts[i]);
            return session;
        }, _ => { });
        return result;
    }
}

/// <summary>One thread's predictor: its own PredictionEngine and featurizer scratch space.</summary>
public sealed class PredictionSession
{
    private readonly ClassifierModel _model;
    private readonly PredictionEngine<FeatureData.Input, FeatureData.Output>? _engine;
    private readonly TextFeaturizer.Workspace _workspace;
    private readonly FeatureData.Input _input = new();
    private FeatureData.Output _output = new();

    private readonly LinearScorer? _linear;

    internal PredictionSession(ClassifierModel model, bool useEngine)
    {
        _linear = useEngine ? null : model.Linear;
        _model = model;
        _workspace = model.Featurizer.CreateWorkspace();
        if (_linear is null)
            _engine = model.Context.Model.CreatePredictionEngine<FeatureData.Input, FeatureData.Output>(
                model.Transformer, inputSchemaDefinition: FeatureData.InputSchema(model.Featurizer.Dimension));
    }

    /// <summary>
    /// One probability per label, in <see cref="ClassifierModel.Labels"/> order: a distribution summing to 1
    /// for single-label models, independent per-label probabilities for multi-label ones.
    /// </summary>
    public float[] Predict(string text)
    {
        var vector = _model.Featurizer.Transform(text, _workspace);
        if (_model.Manifest.MultiLabel is { } m) return MultiLabelProbabilities(vector, m);
        if (_linear is not null) return _linear.Score(vector);
        _input.Features = FeatureData.ToVBuffer(vector, _model.Featurizer.Dimension);
        _engine!.Predict(_input, ref _output);
        var scores = new float[_model.Labels.Count];
        _output.Score.CopyTo(scores);
        return Probabilities.Normalize(scores);
    }

    private float[] MultiLabelProbabilities(SparseVector vector, MultiLabelSettings m)
    {
        float[] margins;
        if (_model.Linear is { } linear) margins = linear.Margins(vector);
        else
        {
            _input.Features = FeatureData.ToVBuffer(vector, _model.Featurizer.Dimension);
            _engine!.Predict(_input, ref _output);
            margins = new float[_model.Labels.Count];
            _output.Score.CopyTo(margins);
        }
        for (int i = 0; i < margins.Length; i++) margins[i] = (float)Calibration.Sigmoid(m.CalibrationA * margins[i] + m.CalibrationB);
        return margins;
    }
}
