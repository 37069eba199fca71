namespace Classifier.Core.Scoring;

/// <summary>
/// --shard I/N: this run scores the documents whose 0-based position p in the input has p mod N = I - 1.
/// Positions count every record in input order, so the N shards are disjoint and together cover the input
/// on any machine, whatever the scheduler.
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static readonly ShardSpec All = new(1, 1);

    public bool Owns(long position) => Count == 1 || position % Count == Index - 1;

    public static ShardSpec Parse(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return All;
        var parts = spec.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out var i) && int.TryParse(parts[1], out var n) && n >= 1 && i >= 1 && i <= n)
            return new ShardSpec(i, n);
        throw new InputException($"--shard takes I/N with 1 <= I <= N, for example 2/8 (got '{spec}')");
    }

    public override string ToString() => $"{Index}/{Count}";
}
