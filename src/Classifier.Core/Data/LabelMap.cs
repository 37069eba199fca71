namespace Classifier.Core.Data;

/// <summary>
/// --label-map FILE: a two-column CSV (from,to) that renames raw labels to the labels to learn, such as
/// country codes to world regions. Several raw labels may map to one. Raw labels missing from the map are
/// counted so that the caller can report them; they are never silently kept under their raw name.
/// </summary>
public sealed class LabelMap
{
    private readonly Dictionary<string, string> _map;
    private readonly Dictionary<string, int> _unmapped = new();

    public string Source { get; }
    public int Count => _map.Count;

    /// <summary>Raw labels met that the map does not cover, with how often each was met.</summary>
    public IReadOnlyDictionary<string, int> Unmapped => _unmapped;

    public LabelMap(IReadOnlyDictionary<string, string> map, string source)
    {
        _map = new Dictionary<string, string>(map);
        Source = source;
    }

    public static LabelMap Load(string path)
    {
        using var reader = RecordReaders.Open(path, DataFormat.Csv);
        if (reader.Columns.Count < 2) throw new InputException("a label map needs two columns, from,to", path);
        var from = reader.Columns[0];
        var to = reader.Columns[1];
        var map = new Dictionary<string, string>();
        foreach (var r in reader.Read())
        {
            var key = LabelPolicy.Normalize(r[from]);
            var value = LabelPolicy.Normalize(r[to]);
            if (key.Length == 0 || value.Length == 0) throw new InputException("label map row has an empty value", path, r.Line);
            if (map.TryGetValue(key, out var existing) && existing != value)
                throw new InputException($"label map sends '{key}' to both '{existing}' and '{value}'", path, r.Line);
            map[key] = value;
        }
        if (map.Count == 0) throw new InputException("label map has no rows", path);
        return new LabelMap(map, path);
    }

    /// <summary>The mapped label, or null (and the raw label counted as unmapped) when the map lacks it.</summary>
    public string? Apply(string raw)
    {
        if (_map.TryGetValue(raw, out var mapped)) return mapped;
        _unmapped[raw] = _unmapped.GetValueOrDefault(raw) + 1;
        return null;
    }
}
