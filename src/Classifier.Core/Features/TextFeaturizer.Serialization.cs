using System.Text;
using System.Text.Json;

namespace Classifier.Core.Features;

public sealed partial class TextFeaturizer
{
    private const string Magic = "classifier-featurizer";
    private const int FormatVersion = 1;

    public void Write(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(JsonSerializer.Serialize(Options));
        w.Write(WordFeatureCount);
        w.Write(Dimension);
        var hashes = _index.KeysInIndexOrder();
        for (int i = 0; i < Dimension; i++)
        {
            w.Write(hashes[i]);
            w.Write(_idf[i]);
            w.Write(_names[i] ?? "");
        }
    }

    public static TextFeaturizer Read(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (r.ReadString() != Magic) throw new InvalidDataException("featurizer data has the wrong header");
        var version = r.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"featurizer format {version} is not supported (this tool reads {FormatVersion})");
        var options = JsonSerializer.Deserialize<FeaturizerOptions>(r.ReadString()) ?? throw new InvalidDataException("featurizer options missing");
        var wordCount = r.ReadInt32();
        var dim = r.ReadInt32();
        if (dim < 0 || wordCount < 0 || wordCount > dim) throw new InvalidDataException("featurizer sizes are inconsistent");
        var hashes = new ulong[dim];
        var idf = new float[dim];
        var names = new string?[dim];
        for (int i = 0; i < dim; i++)
        {
            hashes[i] = r.ReadUInt64();
            idf[i] = r.ReadSingle();
            var name = r.ReadString();
            names[i] = name.Length == 0 ? null : name;
        }
        return new TextFeaturizer(options, new HashIndex(hashes), idf, names, wordCount);
    }
}
