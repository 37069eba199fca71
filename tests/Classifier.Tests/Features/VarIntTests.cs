using Classifier.Core.Features;
using CsCheck;

namespace Classifier.Tests.Features;

/// <summary>The 7-bit coding of the word sequences that name word n-grams (TermNames): bytes worked out by hand.</summary>
public sealed class VarIntTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(1, new byte[] { 0x01 })]
    [InlineData(127, new byte[] { 0x7F })]
    [InlineData(128, new byte[] { 0x80, 0x01 })] // 128 = 0b1_0000000: low seven bits 0 with the "more" bit, then 1
    [InlineData(300, new byte[] { 0xAC, 0x02 })] // 300 = 0b10_0101100: 0101100 | 0x80 = 0xAC, then 0b10
    [InlineData(16_383, new byte[] { 0xFF, 0x7F })]
    [InlineData(16_384, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(2_097_151, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(int.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 })]
    public void Values_TakeTheBytesWorkedOutByHand(int value, byte[] expected)
    {
        Assert.Equal(expected.Length, VarInt.Size(value));
        var buffer = new byte[8];
        Assert.Equal(expected.Length, VarInt.Write(buffer, 0, value));
        Assert.Equal(expected, buffer[..expected.Length]);
        Assert.Equal(expected.Length, VarInt.Read(buffer, 0, out var back));
        Assert.Equal(value, back);
    }

    [Fact]
    public void Negative_IsRefused_AndSixBytes_AreNotAnInt()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VarInt.Size(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VarInt.Write(new byte[8], 0, -1));
        Assert.Throws<FormatException>(() => VarInt.Read([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 0, out _));
        Assert.Throws<FormatException>(() => VarInt.Read([0xFF, 0xFF, 0xFF, 0xFF, 0x08], 0, out _)); // 2^31: above int.MaxValue
    }

    [Fact]
    public void Sequences_ReadBack_AsWritten()
    {
        // Mostly small values, as token ids are (the frequent words first), with some of every size.
        Gen.Frequency((4, Gen.Int[0, 127]), (3, Gen.Int[128, 16_383]), (2, Gen.Int[16_384, 2_097_151]), (1, Gen.Int[0, int.MaxValue]))
            .Array[0, 200].Sample(values =>
        {
            var buffer = new byte[values.Sum(VarInt.Size)];
            var at = 0;
            foreach (var v in values) at = VarInt.Write(buffer, at, v);
            Assert.Equal(buffer.Length, at);
            var back = new List<int>();
            for (at = 0; at < buffer.Length;)
            {
                at = VarInt.Read(buffer, at, out var v);
                back.Add(v);
            }
            Assert.Equal(values, back);
        }, iter: 500);
    }
}
