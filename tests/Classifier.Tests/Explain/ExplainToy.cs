using System.Text;
using Classifier.Core.Data;

namespace Classifier.Tests.Explain;

/// <summary>
/// A toy problem whose decisive words are known: every sport document says "goal", every business document
/// "shares", every health document "vaccine"; all other words are shared filler drawn evenly across classes.
/// </summary>
public static class ExplainToy
{
    public static readonly (string Label, string Keyword)[] Classes = [("business", "shares"), ("health", "vaccine"), ("sport", "goal")];

    private static readonly string[] Filler =
        ["today", "report", "people", "city", "week", "new", "said", "year", "local", "news", "time", "group", "public", "plan", "after", "early"];

    public static LabeledDataset Dataset()
    {
        var texts = new List<string>();
        var labels = new List<string>();
        for (int d = 0; d < 12; d++)
        {
            foreach (var (label, keyword) in Classes)
            {
                var words = Enumerable.Range(0, 5).Select(j => Filler[(d * 5 + j * 3) % Filler.Length]).ToList();
                words.Insert(d % 6, keyword);
                texts.Add(string.Join(' ', words));
                labels.Add(label);
            }
        }
        return new LabeledDataset
        {
            Source = "toy", TextColumns = ["text"], LabelColumn = "label", Texts = texts, Labels = labels,
            Lines = Enumerable.Range(1, texts.Count).Select(i => (long)i).ToList(),
        };
    }

    public static string Csv()
    {
        var data = Dataset();
        var sb = new StringBuilder("text,label\n");
        for (int i = 0; i < data.Count; i++) sb.Append(data.Texts[i]).Append(',').Append(data.Labels[i]).Append('\n');
        return sb.ToString();
    }
}
