using System.Text.Json;
using Classifier.Core.Features;
using Classifier.Core.Training;

namespace Classifier.Core.Models;

/// <summary>
/// Reads the manifest and the featurizer's settings from JSON field by field. The serializer writes them
/// (<see cref="JsonDefaults"/>), but reading them with it cost a new process about 0.1 s, as much as the rest of
/// loading a model: it compiles hundreds of generic methods for these types the first time, even ahead of time.
/// This reader keeps the serializer's rules: snake_case names, case-sensitive; unknown fields ignored; a missing
/// required field, a null where a value type belongs, or a value of the wrong kind is a <see cref="JsonException"/>;
/// enums as the string-enum converter takes them; NaN and the infinities as strings.
/// ManifestJsonTests proves that every field the serializer writes is read back.
/// </summary>
internal static class ManifestJson
{
    public static Manifest ReadManifest(JsonElement e)
    {
        Object(e, "manifest");
        return new Manifest
        {
            SchemaVersion = Int(e, "schema_version", Manifest.CurrentSchemaVersion),
            Task = Str(e, "task", Manifest.MultiClassTask)!,
            ToolVersion = Str(Required(e, "tool_version"))!,
            MlNetVersion = Str(Required(e, "ml_net_version"))!,
            CreatedUtc = Required(e, "created_utc").GetDateTimeOffset(),
            TextColumns = List(Required(e, "text_columns"), Str)!,
            LabelColumn = Str(Required(e, "label_column"))!,
            Labels = List(Required(e, "labels"), LabelCount)!,
            Featurizer = Nullable(Required(e, "featurizer"), ReadFeaturizerOptions)!,
            Trainer = Nullable(Required(e, "trainer"), Trainer)!,
            FeatureCount = Int(Required(e, "feature_count")),
            Compact = Optional(e, "compact", CompactSettings),
            Data = Nullable(Required(e, "data"), Data)!,
            TrainSeconds = Double(e, "train_seconds", 0),
            Holdout = Optional(e, "holdout", Metrics),
            MultiLabel = Optional(e, "multi_label", MultiLabel),
            LabelMap = Str(e, "label_map", null),
            Tune = Optional(e, "tune", Tune),
        };
    }

    public static FeaturizerOptions ReadFeaturizerOptions(JsonElement e)
    {
        Object(e, "featurizer");
        var d = new FeaturizerOptions();
        return new FeaturizerOptions
        {
            WordNgrams = Int(e, "word_ngrams", d.WordNgrams),
            CharNgramMin = Int(e, "char_ngram_min", d.CharNgramMin),
            CharNgramMax = Int(e, "char_ngram_max", d.CharNgramMax),
            CharWeight = Double(e, "char_weight", d.CharWeight),
            Weighting = Enum(e, "weighting", d.Weighting),
            Places = Bool(e, "places", d.Places),
            PlaceWeight = Double(e, "place_weight", d.PlaceWeight),
            Gazetteer = Str(e, "gazetteer", d.Gazetteer),
            SublinearTf = Bool(e, "sublinear_tf", d.SublinearTf),
            RemoveStopWords = Bool(e, "remove_stop_words", d.RemoveStopWords),
            MinDocumentFrequency = Int(e, "min_document_frequency", d.MinDocumentFrequency),
            MaxFeatures = Int(e, "max_features", d.MaxFeatures),
        };
    }

    private static TrainerOptions Trainer(JsonElement e)
    {
        Object(e, "trainer");
        var d = new TrainerOptions();
        return new TrainerOptions
        {
            Trainer = Enum(e, "trainer", d.Trainer),
            C = Double(e, "c", d.C),
            L2 = (float)Double(e, "l2", d.L2),
            Iterations = Int(e, "iterations", d.Iterations),
            Seed = Int(e, "seed", d.Seed),
            ClassWeight = Enum(e, "class_weight", d.ClassWeight),
            Threads = Int(e, "threads", d.Threads),
            Compact = e.TryGetProperty("compact", out var c) ? Nullable(c, CompactOptions)! : d.Compact,
        };
    }

    private static CompactOptions CompactOptions(JsonElement e)
    {
        Object(e, "compact");
        var d = new CompactOptions();
        return new CompactOptions
        {
            FeatureBudget = Int(e, "feature_budget", d.FeatureBudget),
            Weights = Enum(e, "weights", d.Weights),
            MlNetExport = Bool(e, "ml_net_export", d.MlNetExport),
        };
    }

    private static CompactSettings CompactSettings(JsonElement e) => new(
        Int(e, "feature_budget", 0), Str(e, "weights", null)!, Bool(e, "ml_net_export", false), Int(e, "trained_features", 0), Int(e, "kept_features", 0));

    private static DataDescription Data(JsonElement e) => new(
        Str(e, "source", null)!, Str(e, "sha256", null)!, Int(e, "rows", 0), Int(e, "skipped_rows", 0), Int(e, "train_rows", 0), Int(e, "test_rows", 0));

    private static MetricsSummary Metrics(JsonElement e) => new(
        Int(e, "examples", 0), Double(e, "accuracy", 0), Double(e, "macro_precision", 0), Double(e, "macro_recall", 0),
        Double(e, "macro_f1", 0), Double(e, "log_loss", 0), Double(e, "top2_accuracy", 0));

    private static MultiLabelSettings MultiLabel(JsonElement e) => new(
        Str(e, "separator", null)!, Double(e, "calibration_a", 0), Double(e, "calibration_b", 0),
        e.TryGetProperty("thresholds", out var t) ? List(t, Double)! : null!,
        Int(e, "min_labels", 0), Int(e, "max_labels", 0), Int(e, "min_label_count", 0),
        e.TryGetProperty("excluded", out var x) ? List(x, LabelCount)! : null!,
        Optional(e, "holdout", MultiLabelSummary));

    private static MultiLabelSummary MultiLabelSummary(JsonElement e) => new(
        Int(e, "examples", 0), Double(e, "micro_f1", 0), Double(e, "macro_f1", 0), Double(e, "exact_match", 0), Double(e, "hamming_loss", 0));

    private static TuneRecord Tune(JsonElement e) => new(
        Str(e, "metric", null)!, Int(e, "folds", 0), Int(e, "trials", 0), Double(e, "cv_score", 0), Double(e, "cv_std", 0));

    private static LabelCount LabelCount(JsonElement e)
    {
        Object(e, "label");
        return new(Str(e, "label", null)!, Int(e, "count", 0));
    }

    // The serializer's rules, one value at a time.

    private static void Object(JsonElement e, string what)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new JsonException($"'{what}' is a JSON {Kind(e)}, not an object");
    }

    private static JsonElement Required(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v : throw new JsonException($"the required field '{name}' is missing");

    private static T? Nullable<T>(JsonElement e, Func<JsonElement, T> read) where T : class => e.ValueKind == JsonValueKind.Null ? null : read(e);

    private static T? Optional<T>(JsonElement e, string name, Func<JsonElement, T> read) where T : class =>
        e.TryGetProperty(name, out var v) ? Nullable(v, read) : null;

    private static IReadOnlyList<T>? List<T>(JsonElement e, Func<JsonElement, T> read)
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.Array) throw new JsonException($"expected a JSON array, found a {Kind(e)}");
        var list = new List<T>(e.GetArrayLength());
        foreach (var item in e.EnumerateArray()) list.Add(read(item));
        return list;
    }

    private static string? Str(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        _ => throw new JsonException($"expected a JSON string, found a {Kind(e)}"),
    };

    private static string? Str(JsonElement e, string name, string? absent) => e.TryGetProperty(name, out var v) ? Str(v) : absent;

    private static int Int(JsonElement e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var n) ? n
        : throw new JsonException($"expected a 32-bit integer, found {Shown(e)}");

    private static int Int(JsonElement e, string name, int absent) => e.TryGetProperty(name, out var v) ? Int(v) : absent;

    private static double Double(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var x)) return x;
        if (e.ValueKind == JsonValueKind.String)
            switch (e.GetString())
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }
        throw new JsonException($"expected a number, found {Shown(e)}");
    }

    private static double Double(JsonElement e, string name, double absent) => e.TryGetProperty(name, out var v) ? Double(v) : absent;

    private static bool Bool(JsonElement e, string name, bool absent)
    {
        if (!e.TryGetProperty(name, out var v)) return absent;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new JsonException($"'{name}' must be true or false, found {Shown(v)}"),
        };
    }

    /// <summary>
    /// An enum as the serializer's string-enum converter reads it: a number, or a string of names joined by commas, each
    /// its exact kebab-case name or what <see cref="System.Enum.TryParse{TEnum}(string, bool, out TEnum)"/> takes ignoring
    /// case (a C# name such as "TfIdf", or a number). ManifestJsonTests holds the serializer to it for names, numbers
    /// and comma lists; an empty name between commas (" , tf"), which the serializer refuses, is read here.
    /// </summary>
    private static T Enum<T>(JsonElement e, string name, T absent) where T : struct, System.Enum
    {
        if (!e.TryGetProperty(name, out var v)) return absent;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return (T)(object)n;
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { } text)
        {
            // Names joined by commas are or-ed together, each trimmed, as the converter reads flags.
            long bits = 0;
            int named = 0, unnamed = 0;
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (Named<T>(part) is { } one) (bits, named) = (bits | Convert.ToInt64(one), named + 1);
                else unnamed++;
            }
            if (named > 0 && unnamed == 0) return (T)System.Enum.ToObject(typeof(T), bits);
        }
        throw new JsonException($"'{name}' has an unknown value {Shown(v)}");
    }

    private static T? Named<T>(string text) where T : struct, System.Enum
    {
        // By name through typeof(T), not Enum.GetValues<T>(): a generic instantiation per enum is compiled in each new process.
        foreach (var name in System.Enum.GetNames(typeof(T)))
            if (JsonNamingPolicy.KebabCaseLower.ConvertName(name) == text) return (T)System.Enum.Parse(typeof(T), name);
        return text.Length > 0 && System.Enum.TryParse<T>(text, ignoreCase: true, out var parsed) ? parsed : null;
    }

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

    private static string Shown(JsonElement e) => e.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? $"a JSON {Kind(e)}" : e.GetRawText();
}
