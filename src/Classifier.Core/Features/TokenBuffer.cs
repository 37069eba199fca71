namespace Classifier.Core.Features;

/// <summary>
/// The tokens of one text, in an array that grows and is reused. Not a List&lt;Token&gt;: ReadyToRun cannot hold a
/// framework generic instantiated over this library's struct, so each new process compiled List&lt;Token&gt;'s methods
/// again, and `predict` is a new process per call.
/// </summary>
internal sealed class TokenBuffer
{
    private NgramExtractor.Token[] _items = new NgramExtractor.Token[64];

    public int Count { get; private set; }

    public ref readonly NgramExtractor.Token this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return ref _items[index];
        }
    }

    /// <summary>The tokens in order; valid until the next <see cref="Add"/> or <see cref="Clear"/>.</summary>
    public ReadOnlySpan<NgramExtractor.Token> AsSpan() => new(_items, 0, Count);

    public void Add(in NgramExtractor.Token token)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = token;
    }

    public void Clear() => Count = 0;
}
