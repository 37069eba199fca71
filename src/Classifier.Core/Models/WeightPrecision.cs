namespace Classifier.Core.Models;

/// <summary>How a compact model stores its weights: the --weights values.</summary>
public enum WeightPrecision
{
    /// <summary>One signed byte per weight, with one scale per feature: a quarter of the size of floats.</summary>
    Int8,
    /// <summary>Two bytes per weight, with one scale per feature.</summary>
    Int16,
    /// <summary>Plain 32-bit floats, as trained.</summary>
    Float32,
}

public static class WeightPrecisions
{
    public static string Name(this WeightPrecision p) => p switch
    {
        WeightPrecision.Int8 => "int8",
        WeightPrecision.Int16 => "int16",
        WeightPrecision.Float32 => "float32",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static WeightPrecision Parse(string name) =>
        Enum.GetValues<WeightPrecision>().FirstOrDefault(p => p.Name() == name.Trim().ToLowerInvariant(), (WeightPrecision)(-1)) is var p && (int)p >= 0
            ? p
            : throw new InputException($"unknown weight precision '{name}'; choose one of: int8, int16, float32");

    public static int Bytes(this WeightPrecision p) => p switch { WeightPrecision.Int8 => 1, WeightPrecision.Int16 => 2, _ => 4 };
}
