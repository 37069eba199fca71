namespace Classifier.Core.Features;

/// <summary>
/// Turns text into n-gram hashes: lower-cased word n-grams and character n-grams taken inside word boundaries
/// (a word padded with a space on each side, as scikit-learn's char_wb does). It allocates nothing per document,
/// which is what makes featurizing fast; one instance per thread.
/// </summary>
internal sealed class NgramExtractor
{
    /// <summary>Receives readable n-gram names, but only for the hashes it wants.</summary>
    public abstract class NameSink
    {
        public abstract bool Wants(ulong hash);
        public abstract void Name(ulong hash, string name);
    }

    private readonly FeaturizerOptions _options;
    private readonly List<ulong> _tokenHashes = new();
    private readonly List<(int Start, int Length)> _tokenSpans = new();
    private char[] _lower = new char[4096];
    private readonly char[] _padded = new char[130];

    public NgramExtractor(FeaturizerOptions options) => _options = options;

    /// <summary>Longest word that gets character n-grams; longer runs (URLs, base64) add noise, not signal.</summary>
    private const int MaxCharNgramWord = 128;

    /// <summary>
    /// Appends the word n-gram hashes to <paramref name="words"/> and the character n-gram hashes to
    /// <paramref name="chars"/>. With <paramref name="names"/>, also reports the readable form of each n-gram
    /// for which it returns true from its first call (readable forms cost an allocation, so it is asked first).
    /// </summary>
    public void Extract(string text, List<ulong> words, List<ulong> chars, NameSink? names = null)
    {
        if (_lower.Length < text.Length) _lower = new char[Math.Max(text.Length, _lower.Length * 2)];
        var lower = _lower;
        _tokenHashes.Clear();
        _tokenSpans.Clear();
        var charsOn = _options.CharNgramsEnabled;
        int i = 0, n = text.Length;
        while (i < n)
        {
            while (i < n && !IsWordChar(text[i])) i++;
            var start = i;
            while (i < n && IsWordChar(text[i])) { lower[i] = char.ToLowerInvariant(text[i]); i++; }
            var len = i - start;
            if (len == 0) break;
            var token = new ReadOnlySpan<char>(lower, start, len);
            if (charsOn && len <= MaxCharNgramWord) AddCharNgrams(token, chars, names);
            // Single characters carry little meaning as words (scikit-learn drops them too); they still feed char n-grams.
            if (len < 2) continue;
            if (_options.RemoveStopWords && StopWords.Contains(token)) continue;
            _tokenHashes.Add(NgramHash.Of(token));
            _tokenSpans.Add((start, len));
        }
        AddWordNgrams(words, names);
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private void AddWordNgrams(List<ulong> words, NameSink? names)
    {
        var t = _tokenHashes;
        for (int i = 0; i < t.Count; i++)
        {
            var g = t[i];
            for (int n = 1; n <= _options.WordNgrams && i + n <= t.Count; n++)
            {
                if (n > 1) g = NgramHash.Combine(g, t[i + n - 1]);
                var h = NgramHash.Mix(g ^ (NgramHash.WordSeed + (ulong)n));
                words.Add(h);
                if (names is not null && names.Wants(h)) names.Name(h, WordName(i, n));
            }
        }
    }

    private string WordName(int first, int n)
    {
        var parts = new string[n];
        for (int k = 0; k < n; k++)
        {
            var (s, l) = _tokenSpans[first + k];
            parts[k] = new string(_lower, s, l);
        }
        return string.Join(' ', parts);
    }

    private void AddCharNgrams(ReadOnlySpan<char> token, List<ulong> chars, NameSink? names)
    {
        var p = _padded;
        p[0] = ' ';
        token.CopyTo(p.AsSpan(1));
        var len = token.Length + 2;
        p[len - 1] = ' ';
        int min = _options.CharNgramMin, max = _options.CharNgramMax;
        if (len < min)
        {
            Emit(p.AsSpan(0, len), chars, names);
            return;
        }
        for (int s = 0; s + min <= len; s++)
        {
            var h = NgramHash.Offset ^ NgramHash.CharSeed;
            var end = Math.Min(len, s + max);
            for (int e = s; e < end; e++)
            {
                h = NgramHash.Add(h, p[e]);
                var size = e - s + 1;
                if (size < min) continue;
                var final = NgramHash.Mix(h + (ulong)size);
                chars.Add(final);
                if (names is not null && names.Wants(final)) names.Name(final, "[" + new string(p, s, size) + "]");
            }
        }
    }

    private static void Emit(ReadOnlySpan<char> gram, List<ulong> chars, NameSink? names)
    {
        var h = NgramHash.Offset ^ NgramHash.CharSeed;
        foreach (var c in gram) h = NgramHash.Add(h, c);
        var final = NgramHash.Mix(h + (ulong)gram.Length);
        chars.Add(final);
        if (names is not null && names.Wants(final)) names.Name(final, "[" + gram.ToString() + "]");
    }
}
