using System.Text;
using Classifier.Core.Features;
using CsCheck;

namespace Classifier.Tests.Features;

/// <summary>A name in ASCII hashes from its bytes exactly as from its characters: a model load relies on it for most names.</summary>
public sealed class AsciiNameHashTests
{
    [Fact]
    public void AsciiBytes_HashAsTheirCharacters_ForWordAndCharacterNames()
    {
        // Spaces often, and brackets, so that empty words, lone brackets and n-gram shapes all come up.
        var names = Gen.OneOf(Gen.Char['\0', '\x7f'], Gen.Const(' '), Gen.Const('['), Gen.Const(']')).Array[0, 24].Select(c => new string(c));
        names.Sample(name =>
        {
            var bytes = Encoding.ASCII.GetBytes(name);
            Assert.Equal(NgramExtractor.HashOfName(name, isWord: true), NgramExtractor.HashOfAsciiName(bytes, isWord: true));
            Assert.Equal(NgramExtractor.HashOfName(name, isWord: false), NgramExtractor.HashOfAsciiName(bytes, isWord: false));
            var bracketed = "[" + name + "]";
            Assert.Equal(NgramExtractor.HashOfName(bracketed, isWord: false), NgramExtractor.HashOfAsciiName(Encoding.ASCII.GetBytes(bracketed), isWord: false));
        }, iter: 5_000);
    }

    [Theory]
    [InlineData("new york")]
    [InlineData("the")]
    [InlineData("[ ne]")]
    [InlineData("a  b")]
    [InlineData(" lead")]
    public void KnownNames_HashAlike(string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name);
        foreach (var isWord in new[] { true, false })
            Assert.Equal(NgramExtractor.HashOfName(name, isWord), NgramExtractor.HashOfAsciiName(bytes, isWord));
    }
}

/// <summary>A large vocabulary is hashed in two halves on two threads: an error in either half comes out as the one error a load reports.</summary>
public sealed class TwoHalvesHashingTests
{
    private const int Size = TextFeaturizer.HashInHalvesFrom + 10_000;

    [Theory]
    [InlineData(10)]
    [InlineData(Size - 10)]
    public void APlaceNameWhereNoPlaceShouldBe_IsADamagedVocabulary_InEitherHalf(int at)
    {
        // A vocabulary this large hashes in two halves; a place key among the word features is a damaged file wherever it sits.
        var names = Enumerable.Range(0, Size).Select(i => (string?)$"word{i}").ToArray();
        names[at] = "Place:xx";
        var vocabulary = new TextFeaturizer.StoredVocabulary(new FeaturizerOptions(), 10, names.Length, 0,
            Enumerable.Repeat(1, names.Length).ToArray(), FeatureNames.From(names), []);
        var e = Assert.Throws<InvalidDataException>(() => TextFeaturizer.FromStored(vocabulary));
        Assert.Contains("place features are inconsistent", e.Message);
    }

    [Fact]
    public void ALargeVocabulary_HashesAsOneThreadWould()
    {
        var names = Enumerable.Range(0, Size).Select(i => (string?)(i % 3 == 0 ? $"w{i} w{i + 1}" : $"word{i}")).ToArray();
        var vocabulary = new TextFeaturizer.StoredVocabulary(new FeaturizerOptions(), 10, names.Length, 0,
            Enumerable.Repeat(1, names.Length).ToArray(), FeatureNames.From(names), []);
        var featurizer = TextFeaturizer.FromStored(vocabulary);
        // Each name's own hash finds its feature: the halves wrote the right slots.
        for (int i = 0; i < names.Length; i += 997)
        {
            Assert.True(featurizer.TryGetFeature(NgramExtractor.HashOfName(names[i], isWord: true), out var feature));
            Assert.Equal(i, feature);
        }
    }
}
