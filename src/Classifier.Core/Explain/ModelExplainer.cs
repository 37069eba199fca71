using Classifier.Core.Evaluation;
using Classifier.Core.Features;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Core.Explain;

/// <summary>
/// Explains linear models (svm, sdca-maxent, lbfgs-maxent) from their weights and the featurizer's n-gram
/// names. Other trainers have no per-term weights, so <see cref="For"/> refuses them. Thread-safe.
/// </summary>
public sealed class ModelExplainer
{
    private readonly ClassifierModel _model;
    private readonly LinearScorer _linear;
    private readonly TextFeaturizer _featurizer;

    private ModelExplainer(ClassifierModel model, LinearScorer linear)
    {
        _model = model;
        _linear = linear;
        _featurizer = model.Featurizer;
    }

    public static bool IsAvailable(ClassifierModel model) => model.Linear is not null;

    /// <summary>Why a model cannot be explained, as one line for the user.</summary>
    public static string UnavailableMessage(ClassifierModel model) =>
        $"explanations are not available for the {model.Manifest.Trainer.Trainer.Name()} trainer: it has no per-term weights " +
        $"(only {TrainerKind.Svm.Name()}, {TrainerKind.SdcaMaxent.Name()} and {TrainerKind.LbfgsMaxent.Name()} models can be explained)";

    /// <exception cref="InputException">The model is not linear.</exception>
    public static ModelExplainer For(ClassifierModel model) =>
        model.Linear is { } linear ? new ModelExplainer(model, linear) : throw new InputException(UnavailableMessage(model));

    public IReadOnlyList<string> Labels => _model.Labels;

    /// <summary>True when <see cref="TopTerms"/> weights are relative to the term's mean over classes (single-label models).</summary>
    public bool CentredWeights => !_model.IsMultiLabel;

    /// <summary>
    /// Per class, the n-grams with the largest and the most negative weights. For single-label models weights are
    /// taken relative to the term's mean over all classes: a softmax model is unchanged when the same amount is
    /// added to every class's weight for a term, so only the difference from the other classes carries meaning.
    /// Multi-label models score each label on its own, so their raw weights are used.
    /// </summary>
    public IReadOnlyList<ClassTerms> TopTerms(int top, TermFilter filter = TermFilter.Words)
    {
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top));
        var k = _linear.Classes;
        var w = _linear.Weights;
        var row = new float[k];
        var best = new TopK[k];
        var worst = new TopK[k];
        for (int c = 0; c < k; c++) { best[c] = new TopK(top); worst[c] = new TopK(top); }
        for (int f = 0; f < _featurizer.Dimension; f++)
        {
            if (!Shown(f, filter)) continue;
            for (int c = 0; c < k; c++) row[c] = w[f, c];
            float mean = 0;
            if (CentredWeights)
            {
                for (int c = 0; c < k; c++) mean += row[c];
                mean /= k;
            }
            for (int c = 0; c < k; c++)
            {
                var centred = row[c] - mean;
                if (centred > 0) best[c].Offer(f, centred);
                else if (centred < 0) worst[c].Offer(f, -centred);
            }
        }
        return Enumerable.Range(0, k).Select(c => new ClassTerms(_model.Labels[c],
            best[c].Descending().Select(x => Term(x.Feature, x.Score)).ToList(),
            worst[c].Descending().Select(x => Term(x.Feature, -x.Score)).ToList())).ToList();
    }

    /// <summary>The n-grams of <paramref name="text"/> that push it towards its predicted label and away from the runner-up.</summary>
    public DocumentExplanation Explain(string text, int top, TermFilter filter = TermFilter.Words)
    {
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top));
        var x = _featurizer.Transform(text, _featurizer.CreateWorkspace());
        // Through a session, so probabilities are the ones predict reports (calibrated per label for multi-label models).
        var p = _model.CreateSession().Predict(text);
        var (pred, runner) = MulticlassEvaluator.TopTwo(p);
        var w = _linear.Weights;
        var towards = new TopK(top);
        var away = new TopK(top);
        var contributions = new double[x.Count];
        double words = 0, chars = 0, places = 0;
        for (int i = 0; i < x.Count; i++)
        {
            var f = x.Indices[i];
            var c = (double)x.Values[i] * (w[f, pred] - w[f, runner]);
            contributions[i] = c;
            if (IsPlace(f)) places += c; else if (IsWordLike(f)) words += c; else chars += c;
            if (!Shown(f, filter)) continue;
            if (c > 0) towards.Offer(i, c);
            else if (c < 0) away.Offer(i, -c);
        }
        TermContribution Contribution(int i) =>
            new(Name(x.Indices[i]), IsWordLike(x.Indices[i]), x.Values[i], contributions[i], IsPlace(x.Indices[i]));
        var noClue = _model.Fallback is { } fallback && !fallback.Names(x.Indices);
        return new DocumentExplanation
        {
            Label = _model.Labels[pred],
            Probability = p[pred],
            RunnerUp = _model.Labels[runner],
            RunnerUpProbability = p[runner],
            Towards = towards.Descending().Select(t => Contribution(t.Feature)).ToList(),
            Away = away.Descending().Select(t => Contribution(t.Feature)).ToList(),
            WordTotal = words,
            CharTotal = chars,
            PlaceTotal = places,
            Bias = (double)_linear.Biases[pred] - _linear.Biases[runner],
            IsLogOdds = _linear.IsSoftmax && !_model.IsMultiLabel && !noClue,
            KnownFeatures = x.Count,
            Places = _featurizer.PlaceFeatureCount > 0 ? new Features.Places.PlaceMatcher(Features.Places.Gazetteer.Default).Match(text) : [],
            NoClue = noClue,
        };
    }

    /// <summary>
    /// Word features come first in the featurizer's index, character features after them, place features last. Place
    /// features read like words ("place: Mali (Western Africa)"), so they are listed with the words.
    /// </summary>
    private bool Shown(int feature, TermFilter filter) => filter switch
    {
        TermFilter.Words => IsWordLike(feature),
        TermFilter.Chars => !IsWordLike(feature),
        _ => true,
    };

    private bool IsPlace(int feature) => feature >= _featurizer.PlaceFeatureStart;

    private TermWeight Term(int feature, double weight) => new(Name(feature), IsWordLike(feature), weight, IsPlace(feature));

    /// <summary>Place features read as words ("place: Mali (Western Africa)"), not as character n-grams.</summary>
    private bool IsWordLike(int feature) => feature < _featurizer.WordFeatureCount || feature >= _featurizer.PlaceFeatureStart;

    /// <summary>Models saved before names were kept have none; the index at least tells features apart.</summary>
    private string Name(int feature) =>
        _featurizer.FeatureNames[feature] is not { } name ? $"#{feature}"
        : feature >= _featurizer.PlaceFeatureStart ? Features.Places.PlaceFeatures.Readable(name)
        : Scripts.Readable(name, feature < _featurizer.WordFeatureCount);

    /// <summary>The <c>size</c> largest scores seen, ties going to the lower id so output is stable.</summary>
    private sealed class TopK(int size)
    {
        private readonly PriorityQueue<int, (double Score, int NegId)> _heap = new();

        public void Offer(int id, double score)
        {
            if (_heap.Count < size) { _heap.Enqueue(id, (score, -id)); return; }
            _heap.TryPeek(out _, out var min);
            if (score > min.Score || (score == min.Score && -id > min.NegId)) _heap.EnqueueDequeue(id, (score, -id));
        }

        public IEnumerable<(int Feature, double Score)> Descending() =>
            _heap.UnorderedItems.OrderByDescending(e => e.Priority.Score).ThenBy(e => e.Element).Select(e => (e.Element, e.Priority.Score));
    }
}
