using Classifier.Core.Data;
using Classifier.Core.Features;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Tests.Models;

/// <summary>The direct linear scorer must agree with ML.NET's own PredictionEngine on the same model.</summary>
public class LinearScorerTests
{
    private static LabeledDataset Toy() => new()
    {
        Source = "toy",
        TextColumns = new[] { "text" },
        LabelColumn = "label",
        Texts = new()
        {
            "goal match striker league", "coach match season goal", "league striker transfer",
            "shares bank profit market", "market shares inflation bank", "profit earnings market",
            "vaccine hospital doctors", "patients hospital clinic", "doctors vaccine patients trial",
        },
        Labels = new() { "sport", "sport", "sport", "business", "business", "business", "health", "health", "health" },
        Lines = Enumerable.Range(1, 9).Select(i => (long)i).ToList(),
    };

    [Theory]
    [InlineData(TrainerKind.Svm)]
    [InlineData(TrainerKind.SdcaMaxent)]
    public void FastPathMatchesPredictionEngine(TrainerKind trainer)
    {
        var data = Toy();
        var model = ModelTrainer.Fit(data, new FeaturizerOptions(), new TrainerOptions { Trainer = trainer, Threads = 1 },
            new DataDescription("toy", "", 9, 0, 9, 0));
        Assert.NotNull(model.Linear);
        var fast = model.CreateSession();
        var engine = model.CreateEngineSession();
        foreach (var text in data.Texts.Append("an unrelated sentence about markets and goals"))
        {
            var a = fast.Predict(text);
            var b = engine.Predict(text);
            Assert.Equal(b.Length, a.Length);
            for (int i = 0; i < a.Length; i++) Assert.Equal(b[i], a[i], 4);
            Assert.Equal(1.0, a.Sum(), 4);
        }
    }

    [Fact]
    public void SvmModelSurvivesSaveAndLoad()
    {
        var data = Toy();
        var model = ModelTrainer.Fit(data, new FeaturizerOptions(), new TrainerOptions { Threads = 1 }, new DataDescription("toy", "", 9, 0, 9, 0));
        using var stream = new MemoryStream();
        ModelFile.Write(model, stream);
        var path = Path.Combine(Path.GetTempPath(), $"svm-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(path, stream.ToArray());
        try
        {
            var loaded = ModelFile.Load(path);
            var text = "the striker scored in the league match";
            Assert.Equal(model.CreateSession().Predict(text), loaded.CreateSession().Predict(text));
            Assert.Equal("sport", loaded.Labels[Array.IndexOf(loaded.CreateSession().Predict(text), loaded.CreateSession().Predict(text).Max())]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
