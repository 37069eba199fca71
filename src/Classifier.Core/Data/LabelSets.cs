namespace Classifier.Core.Data;

/// <summary>Splits multi-label cells ("grain;wheat") into label sets, mapping and de-duplicating them.</summary>
public static class LabelSets
{
    public static string[] Parse(string cell, string separator, LabelMap? map = null)
    {
        var parts = cell.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new List<string>(parts.Length);
        foreach (var p in parts)
        {
            var label = map is null ? p : map.Apply(p);
            if (label is not null && !result.Contains(label)) result.Add(label);
        }
        return result.ToArray();
    }
}
