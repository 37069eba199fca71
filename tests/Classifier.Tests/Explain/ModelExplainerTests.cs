using Classifier.Core;
using Classifier.Core.Explain;
using Classifier.Core.Features;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Tests.Explain;

/// <summary>Explanations from linear weights, checked where the answer is known.</summary>
public class ModelExplainerTests
{
    private static ClassifierModel Train(TrainerKind trainer) =>
        ModelTrainer.Fit(ExplainToy.Dataset(), new FeaturizerOptions(), new TrainerOptions { Trainer = trainer, Threads = 1 }, new DataDescription("toy", "", 36, 0, 36, 0));

    [Theory]
    [InlineData(TrainerKind.Svm)]
    [InlineData(TrainerKind.SdcaMaxent)]
    [InlineData(TrainerKind.LbfgsMaxent)]
    public void TopTerms_PutEachClassKeywordFirst_AndAgainstTheOthers(TrainerKind trainer)
    {
        var classes = ModelExplainer.For(Train(trainer)).TopTerms(3);
        Assert.Equal(ExplainToy.Classes.Select(c => c.Label), classes.Select(c => c.Label));
        foreach (var (label, keyword) in ExplainToy.Classes)
        {
            var c = classes.Single(x => x.Label == label);
            Assert.Equal(keyword, c.For[0].Term);
            Assert.True(c.For[0].IsWord);
            Assert.True(c.For[0].Weight > 0);
            Assert.All(c.Against, t => Assert.True(t.Weight < 0));
            // The other classes' keywords are what count most against this one.
            var others = ExplainToy.Classes.Where(o => o.Label != label).Select(o => o.Keyword).ToHashSet();
            Assert.Subset(others, c.Against.Take(2).Select(t => t.Term).ToHashSet());
        }
    }

    [Fact]
    public void TopTerms_CanListCharacterNgrams_NamedInBrackets()
    {
        var chars = ModelExplainer.For(Train(TrainerKind.Svm)).TopTerms(5, TermFilter.Chars);
        Assert.All(chars.SelectMany(c => c.For.Concat(c.Against)), t =>
        {
            Assert.False(t.IsWord);
            Assert.StartsWith("[", t.Term);
            Assert.EndsWith("]", t.Term);
        });
        // "[goal ]"-like n-grams carry sport.
        Assert.Contains(chars.Single(c => c.Label == "sport").For, t => t.Term.Contains("goa"));
    }

    [Theory]
    [InlineData(TrainerKind.Svm, "a goal early today", "sport", "goal")]
    [InlineData(TrainerKind.Svm, "shares fell today", "business", "shares")]
    [InlineData(TrainerKind.SdcaMaxent, "new vaccine plan", "health", "vaccine")]
    public void Document_TheDecisiveWordPushesTowardsThePrediction(TrainerKind trainer, string text, string label, string keyword)
    {
        var model = Train(trainer);
        var e = ModelExplainer.For(model).Explain(text, 5);
        Assert.Equal(label, e.Label);
        Assert.NotEqual(label, e.RunnerUp);
        Assert.Equal(keyword, e.Towards[0].Term);
        Assert.True(e.Towards[0].Contribution > 0);
        Assert.True(e.Towards[0].Value > 0);
        Assert.DoesNotContain(e.Away, t => t.Term == keyword);
        Assert.True(e.Probability >= e.RunnerUpProbability);
    }

    [Theory]
    [InlineData(TrainerKind.Svm)]
    [InlineData(TrainerKind.LbfgsMaxent)]
    public void Document_ContributionsAddUpToTheLogOddsOfTheTwoLeaders(TrainerKind trainer)
    {
        var model = Train(trainer);
        var e = ModelExplainer.For(model).Explain("goal shares vaccine report city goal", 1000, TermFilter.All);
        Assert.True(e.IsLogOdds);
        var listed = e.Towards.Concat(e.Away).Sum(t => t.Contribution);
        Assert.Equal(e.WordTotal + e.CharTotal, listed, 4);
        Assert.Equal(Math.Log(e.Probability / e.RunnerUpProbability), e.Margin, 3);
        var p = model.CreateSession().Predict("goal shares vaccine report city goal");
        Assert.Equal(p.Max(), e.Probability, 5);
    }

    [Fact]
    public void Document_WithNoKnownNgram_RestsOnTheBiasAlone()
    {
        var e = ModelExplainer.For(Train(TrainerKind.Svm)).Explain("", 5);
        Assert.Equal(0, e.KnownFeatures);
        Assert.Empty(e.Towards);
        Assert.Empty(e.Away);
        Assert.Equal(e.Bias, e.Margin, 6);
    }

    [Theory]
    [InlineData(TrainerKind.NaiveBayes)]
    [InlineData(TrainerKind.OvaPerceptron)]
    public void NonLinearTrainers_AreRefusedInOneLine(TrainerKind trainer)
    {
        var model = Train(trainer);
        Assert.False(ModelExplainer.IsAvailable(model));
        var e = Assert.Throws<InputException>(() => ModelExplainer.For(model));
        Assert.Contains($"explanations are not available for the {trainer.Name()} trainer", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
