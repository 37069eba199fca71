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
        var names = Gen.OneOf(Gen.Char[' ', '~'], Gen.Const(' '), Gen.Const('['), Gen.Const(']')).Array[0, 24].Select(c => new string(c));
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
