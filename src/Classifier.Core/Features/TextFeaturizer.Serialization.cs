using System.Text;
using System.Text.Json;

namespace Classifier.Core.Features;

public sealed partial class TextFeaturizer
{
    /// <summary>
    /// The vocabulary as the model file stores it: the settings, then per feature its document frequency and its name.
    /// A feature's hash is computed again from its name when the model loads, so hashes cost nothing in the file; the
    /// rare feature whose name does not give back its hash (a lone surrogate, say) is listed with its hash at the end.
    /// </summary>
    public void Write(BinaryWriter w)
    {
        w.Write(JsonSerializer.Serialize(Options));
        w.Write(Documents);
        w.Write(WordFeatureCount);
        w.Write(Dimension);
        var hashes = _index.KeysInIndexOrder();
        var explicitHashes = new List<int>();
        for (int i = 0; i < Dimension; i++)
        {
            w.Write7BitEncodedInt(_df[i]);
            var name = _names[i] ?? "";
            w.Write(name);
            if (name.Length == 0 || NgramExtractor.HashOfName(Roundtrip(name), i < WordFeatureCount) != hashes[i]) explicitHashes.Add(i);
        }
        w.Write(explicitHashes.Count);
        foreach (var i in explicitHashes)
        {
            w.Write(i);
            w.Write(hashes[i]);
        }
    }

    /// <summary>What a string becomes after a trip through UTF-8 (lone surrogates turn into U+FFFD).</summary>
    private static string Roundtrip(string s) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s));

    /// <exception cref="InvalidDataException">The data is not a vocabulary this version wrote.</exception>
    public static TextFeaturizer Read(BinaryReader r)
    {
        var options = JsonSerializer.Deserialize<FeaturizerOptions>(r.ReadString()) ?? throw new InvalidDataException("featurizer options missing");
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
        var hashes = new ulong[dim];
        var df = new int[dim];
        var names = new string?[dim];
        for (int i = 0; i < dim; i++)
        {
            df[i] = r.Read7BitEncodedInt();
            if (df[i] < 0) throw new InvalidDataException("negative document frequency");
            var name = r.ReadString();
            names[i] = name.Length == 0 ? null : name;
            hashes[i] = name.Length == 0 ? 0 : NgramExtractor.HashOfName(name, i < wordCount);
        }
        var explicitCount = r.ReadInt32();
        if (explicitCount < 0 || explicitCount > dim) throw new InvalidDataException("featurizer hash list is inconsistent");
        for (int k = 0; k < explicitCount; k++)
        {
            var i = r.ReadInt32();
            if (i < 0 || i >= dim) throw new InvalidDataException("featurizer hash list is inconsistent");
            hashes[i] = r.ReadUInt64();
        }
        HashIndex index;
        try
        {
            index = new HashIndex(hashes);
        }
        catch (ArgumentException)
        {
            throw new InvalidDataException("featurizer holds the same n-gram twice");
        }
        return new TextFeaturizer(options, index, df, names, wordCount, documents);
    }
}
