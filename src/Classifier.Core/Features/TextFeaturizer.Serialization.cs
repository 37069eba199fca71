using System.Text;
using System.Text.Json;

namespace Classifier.Core.Features;

public sealed partial class TextFeaturizer
{
    /// <summary>
    /// The vocabulary as the model file stores it: the settings, each feature's document frequency, and the names as
    /// one UTF-8 block (<see cref="FeatureNames"/>). A feature's hash is computed again from its name when the model
    /// loads, so hashes cost nothing in the file; the rare feature whose name does not give back its hash (a lone
    /// surrogate, say) is listed with its hash at the end.
    /// </summary>
    public void Write(BinaryWriter w)
    {
        w.Write(JsonSerializer.Serialize(Options, Models.JsonDefaults.Compact));
        w.Write(Documents);
        w.Write(WordFeatureCount);
        w.Write(Dimension);
        if (Options.Places) w.Write(PlaceFeatureCount);
        foreach (var d in _df) w.Write7BitEncodedInt(d);
        _names.Write(w);
        var hashes = _index.KeysInIndexOrder();
        var chars = new char[256];
        var explicitHashes = new List<int>();
        for (int i = 0; i < Dimension; i++)
            if (HashOfName(_names.Utf8(i), i < WordFeatureCount || i >= PlaceFeatureStart, ref chars) is not { } h || h != hashes[i]) explicitHashes.Add(i);
        w.Write(explicitHashes.Count);
        foreach (var i in explicitHashes)
        {
            w.Write(i);
            w.Write(hashes[i]);
        }
    }

    /// <summary>The hash of a feature from its UTF-8 name; null for a feature without a name.</summary>
    private static ulong? HashOfName(ReadOnlySpan<byte> utf8, bool isWord, ref char[] chars)
    {
        if (utf8.IsEmpty) return null;
        if (System.Text.Ascii.IsValid(utf8)) return NgramExtractor.HashOfAsciiName(utf8, isWord);
        if (chars.Length < utf8.Length) chars = new char[utf8.Length * 2];
        var n = Encoding.UTF8.GetChars(utf8, chars);
        return NgramExtractor.HashOfName(chars.AsSpan(0, n), isWord);
    }

    /// <exception cref="InvalidDataException">The data is not a vocabulary this version wrote.</exception>
    public static TextFeaturizer Read(BinaryReader r) => FromStored(ReadStored(r));

    /// <summary>
    /// The vocabulary as the file holds it, before its names are hashed and indexed: reading stops where the file's
    /// vocabulary ends, so that the model loader can read the weights after it on another thread while
    /// <see cref="FromStored"/> does the hashing here.
    /// </summary>
    internal sealed record StoredVocabulary(FeaturizerOptions Options, int Documents, int WordCount, int PlaceCount, int[] Df,
        FeatureNames Names, (int Feature, ulong Hash)[] ExplicitHashes);

    /// <exception cref="InvalidDataException">The data is not a vocabulary this version wrote.</exception>
    internal static StoredVocabulary ReadStored(BinaryReader r)
    {
        FeaturizerOptions options;
        try
        {
            using var json = JsonDocument.Parse(r.ReadString());
            options = Models.ManifestJson.ReadFeaturizerOptions(json.RootElement);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"featurizer settings are damaged: {e.Message}");
        }
        try
        {
            options.Validate();
        }
        catch (InputException e)
        {
            throw new InvalidDataException($"featurizer settings are invalid: {e.Message}");
        }
        var documents = r.ReadInt32();
        var wordCount = r.ReadInt32();
        var dim = r.ReadInt32();
        if (documents < 0 || dim < 0 || wordCount < 0 || wordCount > dim || dim > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException("featurizer sizes are inconsistent");
        var placeCount = options.Places ? r.ReadInt32() : 0;
        if (placeCount < 0 || placeCount > dim - wordCount) throw new InvalidDataException("featurizer sizes are inconsistent");
        var df = new int[dim];
        for (int i = 0; i < dim; i++)
            if ((df[i] = r.Read7BitEncodedInt()) < 0) throw new InvalidDataException("negative document frequency");
        var names = FeatureNames.Read(r, dim);
        var explicitCount = r.ReadInt32();
        if (explicitCount < 0 || explicitCount > dim) throw new InvalidDataException("featurizer hash list is inconsistent");
        var explicitHashes = new (int, ulong)[explicitCount];
        for (int k = 0; k < explicitCount; k++)
        {
            var i = r.ReadInt32();
            if (i < 0 || i >= dim) throw new InvalidDataException("featurizer hash list is inconsistent");
            explicitHashes[k] = (i, r.ReadUInt64());
        }
        return new StoredVocabulary(options, documents, wordCount, placeCount, df, names, explicitHashes);
    }

    /// <summary>The featurizer of a stored vocabulary: each feature's hash again from its name, and the index.</summary>
    /// <exception cref="InvalidDataException">The vocabulary is inconsistent.</exception>
    internal static TextFeaturizer FromStored(StoredVocabulary v)
    {
        var dim = v.Df.Length;
        var hashes = new ulong[dim];
        // Hashing the names is most of a load (about 20 ms of a 0.15 s `predict` for 200,000 features): a large
        // vocabulary is hashed in two halves, the second on another thread.
        if (dim < HashInHalvesFrom) HashNames(v, hashes, 0, dim);
        else
        {
            var half = dim / 2;
            var second = Task.Run(() => HashNames(v, hashes, half, dim));
            try
            {
                HashNames(v, hashes, 0, half);
            }
            catch
            {
                // This half's error is the one thrown; the other half must end first, its own error left unseen.
                TaskEnds.WaitQuietly(second);
                throw;
            }
            // Unwrapped: a damaged vocabulary gives the InvalidDataException that a load reports as a damaged file.
            second.GetAwaiter().GetResult();
        }
        foreach (var (i, hash) in v.ExplicitHashes) hashes[i] = hash;
        HashIndex index;
        try
        {
            index = new HashIndex(hashes);
        }
        catch (ArgumentException)
        {
            throw new InvalidDataException("featurizer holds the same n-gram twice");
        }
        return new TextFeaturizer(v.Options, index, v.Df, v.Names, v.WordCount, v.PlaceCount, v.Documents);
    }

    /// <summary>Vocabularies this large or larger are hashed in two halves on two threads (<see cref="FromStored"/>).</summary>
    internal const int HashInHalvesFrom = 50_000;

    /// <summary>The hashes of features [<paramref name="from"/>, <paramref name="to"/>) from their names.</summary>
    private static void HashNames(StoredVocabulary v, ulong[] hashes, int from, int to)
    {
        var placeStart = v.Df.Length - v.PlaceCount;
        var chars = new char[256];
        for (int i = from; i < to; i++)
        {
            var name = v.Names.Utf8(i);
            // Place features are named by their keys, and nothing else is: a count that disagrees is a damaged file.
            if (Places.PlaceFeatures.IsKey(name) != i >= placeStart) throw new InvalidDataException("featurizer place features are inconsistent");
            hashes[i] = HashOfName(name, i < v.WordCount || i >= placeStart, ref chars) ?? 0;
        }
    }
}
