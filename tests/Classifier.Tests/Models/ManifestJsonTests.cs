using System.Collections;
using System.Reflection;
using System.Text.Json;
using Classifier.Core.Features;
using Classifier.Core.Models;
using Classifier.Core.Training;

namespace Classifier.Tests.Models;

/// <summary>The manifest's own reader gives back every field that the serializer writes, and keeps its rules.</summary>
public sealed class ManifestJsonTests
{
    /// <summary>A manifest with every field set away from its default, nested records included.</summary>
    private static Manifest Full() => new()
    {
        SchemaVersion = 2,
        Task = Manifest.MultiLabelTask,
        ToolVersion = "9.8.7",
        MlNetVersion = "5.0.1",
        CreatedUtc = new DateTimeOffset(2026, 12, 6, 15, 4, 5, 123, TimeSpan.FromHours(2)),
        TextColumns = ["title", "text"],
        LabelColumn = "labels",
        Labels = [new LabelCount("sport", 12), new LabelCount("économie", 7)],
        Featurizer = new FeaturizerOptions
        {
            WordNgrams = 3, CharNgramMin = 1, CharNgramMax = 6, CharWeight = 0.5, Weighting = Weighting.Idf, Places = true,
            PlaceWeight = 4, Gazetteer = "digest", SublinearTf = false, RemoveStopWords = true, MinDocumentFrequency = 3, MaxFeatures = 1000,
        },
        Trainer = new TrainerOptions
        {
            Trainer = TrainerKind.LbfgsMaxent, C = 0.25, L2 = 0.5f, Iterations = 7, Seed = 42, ClassWeight = ClassWeighting.Balanced, Threads = 3,
            Compact = new CompactOptions { FeatureBudget = 5000, Weights = WeightPrecision.Int16, MlNetExport = true },
        },
        FeatureCount = 4321,
        Compact = new CompactSettings(5000, "int16", true, 9000, 4321),
        Data = new DataDescription("in.csv", "abc123", 100, 2, 80, 18),
        TrainSeconds = 1.25,
        Holdout = new MetricsSummary(18, 0.9, 0.8, 0.7, 0.75, double.NaN, 0.95),
        MultiLabel = new MultiLabelSettings(";", -1.5, 0.25, [0.3, double.PositiveInfinity], 1, 4, 2, [new LabelCount("rare", 1)],
            new MultiLabelSummary(18, 0.8, 0.6, 0.5, 0.1)),
        LabelMap = "map.csv",
        Tune = new TuneRecord("macro-f1", 3, 25, 0.81, 0.02),
    };

    [Fact]
    public void Every_field_the_serializer_writes_is_read_back()
    {
        var full = Full();
        var json = JsonSerializer.Serialize(full, JsonDefaults.Options);
        using var doc = JsonDocument.Parse(json);
        var read = ManifestJson.ReadManifest(doc.RootElement);
        Assert.Equal(json, JsonSerializer.Serialize(read, JsonDefaults.Options));
    }

    [Fact]
    public void The_sample_sets_every_property_away_from_its_default()
    {
        // So that a field added to a record without a line in the reader fails the round trip above.
        var unset = new List<string>();
        Walk(Full(), typeof(Manifest).Name, unset);
        Assert.Empty(unset);
    }

    private static void Walk(object value, string path, List<string> unset)
    {
        var type = value.GetType();
        // A record with a parameterless constructor and no required members shows its defaults by being made empty.
        object? fresh = type.GetConstructor(Type.EmptyTypes) is { } ctor && type.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is null
            ? ctor.Invoke(null) : null;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.SetMethod is null && !IsPositional(type, p)) continue;
            var v = p.GetValue(value);
            var defaultValue = fresh is not null ? p.GetValue(fresh) : p.PropertyType.IsValueType ? Activator.CreateInstance(p.PropertyType) : null;
            if (v is null || Equals(v, defaultValue) && p.Name != nameof(Manifest.SchemaVersion)) unset.Add($"{path}.{p.Name}");
            if (v is null || v is string || p.PropertyType.IsPrimitive || p.PropertyType.IsEnum || v is DateTimeOffset) continue;
            if (v is IEnumerable items)
            {
                foreach (var item in items)
                    if (item is not null && item.GetType().Namespace?.StartsWith("Classifier", StringComparison.Ordinal) == true) Walk(item, $"{path}.{p.Name}[]", unset);
                continue;
            }
            if (v.GetType().Namespace?.StartsWith("Classifier", StringComparison.Ordinal) == true) Walk(v, $"{path}.{p.Name}", unset);
        }
    }

    private static bool IsPositional(Type type, PropertyInfo p) =>
        type.GetConstructors().Any(c => c.GetParameters().Any(a => string.Equals(a.Name, p.Name, StringComparison.Ordinal)));

    [Fact]
    public void Featurizer_settings_as_model_bin_stores_them_are_read_back()
    {
        var options = Full().Featurizer;
        var json = JsonSerializer.Serialize(options, JsonDefaults.Compact);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(options, ManifestJson.ReadFeaturizerOptions(doc.RootElement));
    }

    [Fact]
    public void Absent_optional_fields_take_the_defaults_and_unknown_fields_are_ignored()
    {
        using var doc = JsonDocument.Parse("""{"word_ngrams": 1, "weighting": 0, "some_future_field": [1, 2]}""");
        var read = ManifestJson.ReadFeaturizerOptions(doc.RootElement);
        Assert.Equal(new FeaturizerOptions { WordNgrams = 1, Weighting = Weighting.Tf }, read);
    }

    [Theory]
    [InlineData("tool_version", "the required field 'tool_version' is missing")]
    [InlineData("labels", "the required field 'labels' is missing")]
    public void A_missing_required_field_is_an_error(string field, string message)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(Full(), JsonDefaults.Options))!.AsObject();
        node.Remove(field);
        using var doc = JsonDocument.Parse(node.ToJsonString());
        Assert.Equal(message, Assert.Throws<JsonException>(() => ManifestJson.ReadManifest(doc.RootElement)).Message);
    }

    [Theory]
    [InlineData("""{"word_ngrams": null}""")]
    [InlineData("""{"word_ngrams": 1.5}""")]
    [InlineData("""{"word_ngrams": "2"}""")]
    [InlineData("""{"char_weight": "lots"}""")]
    [InlineData("""{"places": 1}""")]
    [InlineData("""{"weighting": "bm25"}""")]
    [InlineData("""{"gazetteer": 3}""")]
    [InlineData("""[1, 2]""")]
    public void A_value_of_the_wrong_kind_is_an_error(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Throws<JsonException>(() => ManifestJson.ReadFeaturizerOptions(doc.RootElement));
    }

    [Fact]
    public void Field_names_are_matched_with_their_case_as_the_serializer_does()
    {
        using var doc = JsonDocument.Parse("""{"Word_Ngrams": 4}""");
        Assert.Equal(2, ManifestJson.ReadFeaturizerOptions(doc.RootElement).WordNgrams);
    }

    [Theory]
    [InlineData("\"tf-idf\"")]
    [InlineData("\"TF-IDF\"")]
    [InlineData("\"TfIdf\"")]
    [InlineData("\"tfidf\"")]
    [InlineData("\"2\"")]
    [InlineData("\" tf-idf\"")]
    [InlineData("\"tf, idf\"")]
    [InlineData("\"tf,tf-idf\"")]
    [InlineData("\"Tf, \"")]
    [InlineData("\" TfIdf \"")]
    [InlineData("\"-1\"")]
    [InlineData("\",\"")]
    [InlineData("\"bm25\"")]
    [InlineData("\"\"")]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData("1.5")]
    public void Enums_are_read_as_the_serializer_reads_them(string value)
    {
        // The serializer itself is the reference: the same value, or an error from both.
        var json = $$"""{"weighting": {{value}}}""";
        FeaturizerOptions? expected = null;
        try
        {
            expected = JsonSerializer.Deserialize<FeaturizerOptions>(json, JsonDefaults.Options);
        }
        catch (JsonException)
        {
        }
        using var doc = JsonDocument.Parse(json);
        if (expected is null) Assert.Throws<JsonException>(() => ManifestJson.ReadFeaturizerOptions(doc.RootElement));
        else Assert.Equal(expected.Weighting, ManifestJson.ReadFeaturizerOptions(doc.RootElement).Weighting);
    }
}
