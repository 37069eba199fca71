namespace Classifier.Core.Features.Places;

/// <summary>
/// The features a place mention adds: its country, the country's finest M49 area (Western Africa), its M49 region
/// (Africa) and its default region among the seven of the embedded corpus. A country never seen in training still
/// carries the signal of its subregion and region, which the SVM learns from the countries it did see.
/// Feature names are keys such as "Place:ML" or "Area:africa": the capitals keep them apart from the n-grams of
/// text, which are always folded to lower case, and the codes keep them stable when the gazetteer's names change.
/// </summary>
public static class PlaceFeatures
{
    private const string CountryPrefix = "Place:", SubregionPrefix = "Subregion:", RegionPrefix = "Region:", AreaPrefix = "Area:";

    private sealed class Table
    {
        public readonly ulong[][] HashesOfCountry;
        public readonly Dictionary<ulong, string> KeyOfHash = new();
        public readonly Dictionary<string, string> Readable = new(StringComparer.Ordinal);

        public Table(Gazetteer g)
        {
            HashesOfCountry = new ulong[g.Countries.Count][];
            for (int i = 0; i < g.Countries.Count; i++)
            {
                var c = g.Countries[i];
                var keys = new[] { CountryPrefix + c.Code, SubregionPrefix + c.SubregionCode, RegionPrefix + c.RegionCode, AreaPrefix + c.Area };
                HashesOfCountry[i] = keys.Select(HashOf).ToArray();
                foreach (var k in keys) KeyOfHash[HashOf(k)] = k;
                Readable[keys[0]] = $"place: {c.Name} ({c.Subregion})";
                Readable[keys[1]] = $"subregion: {c.Subregion}";
                Readable[keys[2]] = $"region: {c.Region}";
                Readable[keys[3]] = $"area: {c.Area}";
            }
        }
    }

    private static readonly Lazy<Table> Default = new(() => new Table(Gazetteer.Default));

    /// <summary>The feature hash of a key, computed as the model file computes a word feature's hash from its name.</summary>
    public static ulong HashOf(string key) => NgramExtractor.HashOfName(key, isWord: true);

    /// <summary>The four feature hashes of a country of the built-in gazetteer.</summary>
    internal static ulong[] HashesOf(int country) => Default.Value.HashesOfCountry[country];

    /// <summary>The key of a place feature hash, or null when it is not one.</summary>
    internal static string? KeyOf(ulong hash) => Default.Value.KeyOfHash.GetValueOrDefault(hash);

    /// <summary>Whether a feature's UTF-8 name is a place feature's key.</summary>
    internal static bool IsKey(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith("Place:"u8) || utf8.StartsWith("Subregion:"u8) || utf8.StartsWith("Region:"u8) || utf8.StartsWith("Area:"u8);

    /// <summary>"place: Mali (Western Africa)" for "Place:ML"; other names unchanged.</summary>
    public static string Readable(string key) => Default.Value.Readable.GetValueOrDefault(key) ?? key;
}
