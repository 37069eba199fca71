using System.Diagnostics;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Core.Models;

/// <summary>
/// A trained model: the manifest, the featurizer (a pruned vocabulary) and the weights, laid out the way scoring uses
/// them. Linear models (every trainer that has weights) score through <see cref="LinearScorer"/>; the others keep the
/// ML.NET model they were trained as. Use it from any .NET program:
/// <code>var model = ClassifierModel.Load("topic.zip"); var p = model.Predict(text);</code>
/// </summary>
public sealed class ClassifierModel
{
    public Manifest Manifest { get; }
    public TextFeaturizer Featurizer { get; }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>The weights of a linear model; null for the trainers that have none (naive Bayes, LightGBM, one-versus-all).</summary>
    internal LinearScorer? Linear { get; }

    /// <summary>The ML.NET model of a non-linear trainer, or an ML.NET model kept beside the weights for export.</summary>
    internal MlNetModel? MlNet { get; }

    private readonly ThreadLocal<PredictionSession> _sessions;

    internal ClassifierModel(Manifest manifest, TextFeaturizer featurizer, LinearScorer? linear, MlNetModel? mlNet)
    {
        if (linear is null && mlNet is null) throw new ArgumentException("a model needs weights or an ML.NET model");
        Manifest = manifest;
        Featurizer = featurizer;
        Linear = linear;
        MlNet = mlNet;
        Labels = manifest.Labels.Select(l => l.Label).ToList();
        _sessions = new ThreadLocal<PredictionSession>(CreateSession);
        // Made on first need, as it reads the gazetteer's regions.
        _fallback = new Lazy<NoClueFallback?>(() => NoClueFallback.For(manifest, featurizer));
    }

    private readonly Lazy<NoClueFallback?> _fallback;

    /// <summary>For a region model, what a document with no place and no clue gets (see <see cref="NoClueFallback"/>); else null.</summary>
    internal NoClueFallback? Fallback => Featurizer.PlaceFeatureCount > 0 ? _fallback.Value : null;

    /// <summary>Loads a model file written by `classifier train`.</summary>
    /// <exception cref="InputException">The file is missing, damaged, or not a model of this version.</exception>
    public static ClassifierModel Load(string path) => ModelFile.Load(path);

    public ClassifierModel WithManifest(Manifest manifest) => new(manifest, Featurizer, Linear, MlNet);

    public bool IsMultiLabel => Manifest.MultiLabel is not null;

    /// <summary>The most probable label of <paramref name="text"/> (the label set, for multi-label models), with every label's probability. Thread-safe.</summary>
    public Prediction Predict(string text)
    {
        var p = _sessions.Value!.Predict(text);
        var ranked = Ranking.ByFallingScore(p).Select(i => new LabelScore(Labels[i], p[i])).ToList();
        var chosen = SelectLabels(p).Select(i => new LabelScore(Labels[i], p[i])).ToList();
        return new Prediction(ranked[0].Label, ranked[0].Score, chosen, ranked);
    }

    /// <summary>
    /// The labels a multi-label model assigns, most probable first: those at or above their threshold, then
    /// topped up to the minimum or cut to the maximum count. For a single-label model, the most probable one.
    /// </summary>
    public int[] SelectLabels(float[] probabilities)
    {
        var ranked = Ranking.ByFallingScore(probabilities);
        if (Manifest.MultiLabel is not { } m) return [ranked[0]];
        var chosen = ranked.Where(i => probabilities[i] >= m.Thresholds[i]).ToList();
        foreach (var i in ranked)
        {
            if (chosen.Count >= m.MinLabels) break;
            if (!chosen.Contains(i)) chosen.Add(i);
        }
        if (m.MaxLabels > 0 && chosen.Count > m.MaxLabels) chosen.RemoveRange(m.MaxLabels, chosen.Count - m.MaxLabels);
        // Most probable first, ties in model order: the order of the ranking.
        var position = new int[ranked.Length];
        for (int k = 0; k < ranked.Length; k++) position[ranked[k]] = k;
        chosen.Sort((a, b) => position[a].CompareTo(position[b]));
        return chosen.ToArray();
    }

    public PredictionSession CreateSession() => new(this, useEngine: false);

    /// <summary>A session for a batch scorer's worker, which lives the whole run: its token cache is four times as large.</summary>
    internal PredictionSession CreateBatchSession() => new(this, useEngine: false, TokenCache.LargeMaxIds);

    /// <summary>A session that goes through an ML.NET PredictionEngine over the same weights: the reference the compact path is tested against.</summary>
    internal PredictionSession CreateEngineSession() => new(this, useEngine: true);

    /// <summary>Class probabilities for many texts, using every core; results are in input order.</summary>
    public float[][] PredictAll(IReadOnlyList<string> texts, int threads = 0, CancellationToken cancel = default)
    {
        var result = new float[texts.Count][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = ThreadCount.Effective(threads), CancellationToken = cancel };
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, texts.Count), options, CreateSession, (range, _, session) =>
        {
            for (int i = range.Item1; i < range.Item2; i++) result[i] = session.Predict(texts[i]);
            return session;
        }, _ => { });
        return result;
    }

    /// <summary>As <see cref="PredictAll(IReadOnlyList{string}, int, CancellationToken)"/>, for documents already featurized by this model's featurizer.</summary>
    internal float[][] PredictAll(Training.SparseMatrix x, int threads = 0, CancellationToken cancel = default)
    {
        var result = new float[x.Rows][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = ThreadCount.Effective(threads), CancellationToken = cancel };
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, x.Rows), options, CreateSession, (range, _, session) =>
        {
            for (int i = range.Item1; i < range.Item2; i++) result[i] = session.Predict(x, i);
            return session;
        }, _ => { });
        return result;
    }
}

/// <summary>A label and its probability.</summary>
public sealed record LabelScore(string Label, float Score);

/// <summary>
/// What <see cref="ClassifierModel.Predict"/> returns: the most probable label and its probability, the labels the
/// model assigns (one for single-label models; the label set for multi-label ones), and every label, most probable first.
/// </summary>
public sealed record Prediction(string Label, float Score, IReadOnlyList<LabelScore> Labels, IReadOnlyList<LabelScore> All);

/// <summary>One thread's predictor: featurizer scratch space and, for non-linear models, an ML.NET PredictionEngine.</summary>
public sealed class PredictionSession
{
    private readonly ClassifierModel _model;
    private readonly TextFeaturizer.Workspace _workspace;
    private readonly LinearScorer? _linear;
    private readonly MlNetModel.Session? _engine;

    internal PredictionSession(ClassifierModel model, bool useEngine, int cacheIds = TokenCache.DefaultMaxIds)
    {
        _model = model;
        _workspace = model.Featurizer.CreateWorkspace(cacheIds);
        _linear = useEngine ? null : model.Linear;
        if (_linear is null) _engine = (model.MlNet ?? MlNetModel.FromLinear(model.Linear!, model.Manifest.Trainer.Seed)).CreateSession();
    }

    /// <summary>How many character n-gram ids this session's token cache may hold.</summary>
    internal int CacheIds => _workspace.CacheIds;

    /// <summary>Stopwatch ticks this session spent featurizing, and computing scores from the features.</summary>
    public long FeaturizeTicks { get; private set; }
    public long ScoreTicks { get; private set; }

    /// <summary>
    /// One probability per label, in <see cref="ClassifierModel.Labels"/> order: a distribution summing to 1
    /// for single-label models, independent per-label probabilities for multi-label ones.
    /// </summary>
    public float[] Predict(string text)
    {
        float[] scores;
        var start = Stopwatch.GetTimestamp();
        long featurized;
        var noClue = false;
        if (_linear is not null)
        {
            var count = 0;
            try
            {
                count = _model.Featurizer.Accumulate(text, _workspace);
                featurized = Stopwatch.GetTimestamp();
                scores = _linear.Margins(_workspace, count);
                noClue = _model.Fallback is { } f && !f.Names(_workspace.Touched.AsSpan(0, count));
            }
            finally
            {
                // Also after a failure (cancellation, out of memory): the session's counts must be zero for the next text.
                _workspace.Clear(count);
            }
        }
        else
        {
            var x = _model.Featurizer.Transform(text, _workspace);
            featurized = Stopwatch.GetTimestamp();
            scores = _engine!.Scores(x, _model.Labels.Count);
            noClue = _model.Fallback is { } f && !f.Names(x.Indices);
        }
        FeaturizeTicks += featurized - start;
        ScoreTicks += Stopwatch.GetTimestamp() - featurized;
        return Finish(scores, noClue);
    }

    /// <summary>As <see cref="Predict(string)"/>, for a document already featurized by this model's featurizer (row <paramref name="row"/> of <paramref name="x"/>).</summary>
    internal float[] Predict(Training.SparseMatrix x, int row)
    {
        var v = x.Row(row);
        return Finish(_linear is not null ? _linear.Margins(v) : _engine!.Scores(v, _model.Labels.Count), _model.Fallback is { } f && !f.Names(v.Indices));
    }

    private float[] Finish(float[] scores, bool noClue)
    {
        if (_model.Manifest.MultiLabel is { } m)
        {
            for (int i = 0; i < scores.Length; i++) scores[i] = (float)Calibration.Sigmoid(m.CalibrationA * scores[i] + m.CalibrationB);
            return scores;
        }
        var p = _linear is not null ? _linear.Probabilities(scores) : Probabilities.Normalize(scores);
        if (noClue) _model.Fallback!.Apply(p);
        return p;
    }
}
