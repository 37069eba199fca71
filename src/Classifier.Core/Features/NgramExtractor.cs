namespace Classifier.Core.Features;

/// <summary>
/// Turns text into tokens and n-gram hashes: lower-cased word n-grams and character n-grams taken inside word
/// boundaries (a word padded with a space on each side, as scikit-learn's char_wb does). It allocates nothing per
/// document, which is what makes featurizing fast; one instance per thread.
/// </summary>
internal sealed class NgramExtractor
{
    /// <summary>Receives readable n-gram names, but only for the hashes it wants.</summary>
    public abstract class NameSink
    {
        public abstract bool Wants(ulong hash);
        public abstract void Name(ulong hash, string name);
    }

    /// <summary>
    /// A token of the last <see cref="Tokenize"/>: its span in the lower-cased text, its hash, whether it is a word
    /// (feeds word n-grams) and whether it gets character n-grams of its own; and, for the place matcher, whether it
    /// began with a capital and whether it had capitals and no lower-case letter.
    /// </summary>
    public readonly record struct Token(int Start, int Length, ulong Hash, bool IsWord, bool CharGrams, bool Capitalized = false, bool AllUpper = false);

    /// <summary>
    /// Tokens of two or more characters starting with a letter, before the text's first line break and after it, and
    /// how many of them are capitalised or in capitals: whether a title and a body have case, for the place matcher.
    /// </summary>
    public (int Words, int Capitalized, int Upper) FirstLine, Rest;

    /// <summary>Where the first line of the last text ends (its first '\n'), or -1.</summary>
    public int FirstNewline { get; private set; }

    /// <summary>Indices of the tokens of the last text that begin with a capital, in order.</summary>
    public List<int> CapitalizedTokens { get; } = new();

    private readonly FeaturizerOptions _options;
    private readonly TokenBuffer _tokens = new();
    private readonly List<ulong> _wordHashes = new();
    private readonly List<int> _wordTokens = new();
    private char[] _lower = new char[4096];
    private char[] _padded = new char[MaxCharNgramWord + 2];

    public NgramExtractor(FeaturizerOptions options) => _options = options;

    /// <summary>Longest word that gets character n-grams; longer runs (URLs, base64) add noise, not signal.</summary>
    public const int MaxCharNgramWord = 128;

    /// <summary>Every token of the last <see cref="Tokenize"/>, in order (the list itself, for a loop without an enumerator object).</summary>
    public TokenBuffer TokenList => _tokens;

    /// <summary>Hashes of the word tokens (two characters or more, not a dropped stop word), in order.</summary>
    public IReadOnlyList<ulong> WordHashes => _wordHashes;

    public ReadOnlySpan<char> Text(Token t) => new(_lower, t.Start, t.Length);

    /// <summary>
    /// Splits text, after NFKC normalisation, into lower-cased tokens. In scripts written with spaces a token is a run of
    /// letters, digits and '_' (with the combining marks that belong to them). In scripts written without spaces
    /// (see <see cref="Scripts"/>) a run is a clause, not a word: each character (with its marks) is a word of its own,
    /// so word bigrams become character bigrams, and the whole run gets character n-grams however long it is. Mixed
    /// text ("iPhone 销量", "東京Olympics") is cut where the kind of script changes.
    /// </summary>
    /// <summary>The text of the last <see cref="Tokenize"/> after NFKC, case kept: token offsets index into it.</summary>
    public string Normalized { get; private set; } = "";

    public void Tokenize(string text)
    {
        text = Scripts.Normalize(text);
        Normalized = text;
        FirstNewline = text.IndexOf('\n');
        FirstLine = Rest = default;
        CapitalizedTokens.Clear();
        if (_lower.Length < text.Length) _lower = new char[Math.Max(text.Length, _lower.Length * 2)];
        _tokens.Clear();
        _wordHashes.Clear();
        _wordTokens.Clear();
        int i = 0, n = text.Length;
        while (i < n)
        {
            var c = text[i];
            // ASCII punctuation and spaces, most of what lies between words, without a call.
            if (c < 128 && !Scripts.IsAsciiWordChar(c))
            {
                i++;
                continue;
            }
            var kind = Scripts.Of(text, i, out var width);
            if (kind is Scripts.Kind.None or Scripts.Kind.Mark)
            {
                i += width;
                continue;
            }
            i = kind == Scripts.Kind.Spaced ? SpacedRun(text, i) : UnspacedRun(text, i);
        }
    }

    /// <summary>One token of a spaced script starting at <paramref name="i"/>; returns the index after it.</summary>
    private int SpacedRun(string text, int i)
    {
        var lower = _lower;
        var start = i;
        var h = NgramHash.Offset;
        int upper = 0, lowerCase = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c < 128)
            {
                // The common case, inline: an ASCII letter, digit or '_' continues the word, anything else ends it.
                if (!Scripts.IsAsciiWordChar(c)) break;
                if ((uint)(c - 'A') <= 'Z' - 'A')
                {
                    c = (char)(c + 32);
                    upper++;
                }
                else if ((uint)(c - 'a') <= 'z' - 'a') lowerCase++;
                lower[i++] = c;
                h = NgramHash.Add(h, c);
                continue;
            }
            var kind = Scripts.Of(text, i, out var width);
            if (kind is not (Scripts.Kind.Spaced or Scripts.Kind.Mark)) break;
            for (int k = 0; k < width; k++, i++)
            {
                if (char.IsUpper(text[i])) upper++;
                else if (char.IsLower(text[i])) lowerCase++;
                c = Scripts.Fold(text[i]);
                lower[i] = c;
                h = NgramHash.Add(h, c);
            }
        }
        var len = i - start;
        // Single characters carry little meaning as words (scikit-learn drops them too); they still feed char n-grams.
        var isWord = len >= 2 && !(_options.RemoveStopWords && StopWords.Contains(new ReadOnlySpan<char>(lower, start, len)));
        var capitalized = upper > 0 && char.IsUpper(text[start]);
        var allUpper = upper > 0 && lowerCase == 0;
        if (len >= 2 && char.IsLetter(text[start]))
        {
            ref var side = ref FirstNewline < 0 || start < FirstNewline ? ref FirstLine : ref Rest;
            side.Words++;
            if (capitalized) side.Capitalized++;
            if (allUpper) side.Upper++;
        }
        if (capitalized) CapitalizedTokens.Add(_tokens.Count);
        AddToken(new Token(start, len, h, isWord, CharGrams: len <= MaxCharNgramWord, capitalized, allUpper));
        return i;
    }

    /// <summary>A run of an unspaced script: the run for character n-grams, then each character as a word.</summary>
    private int UnspacedRun(string text, int i)
    {
        var lower = _lower;
        var start = i;
        var units = _units;
        units.Clear();
        var h = NgramHash.Offset;
        while (i < text.Length)
        {
            var kind = Scripts.Of(text, i, out var width);
            if (kind == Scripts.Kind.Unspaced) units.Add(i);
            else if (kind != Scripts.Kind.Mark) break;
            for (int k = 0; k < width; k++, i++)
            {
                lower[i] = text[i];
                h = NgramHash.Add(h, text[i]);
            }
        }
        AddToken(new Token(start, i - start, h, IsWord: false, CharGrams: true));
        for (int u = 0; u < units.Count; u++)
        {
            var s = units[u];
            var e = u + 1 < units.Count ? units[u + 1] : i;
            AddToken(new Token(s, e - s, NgramHash.Of(new ReadOnlySpan<char>(lower, s, e - s)), IsWord: true, CharGrams: false));
        }
        return i;
    }

    private readonly List<int> _units = new();

    private void AddToken(Token t)
    {
        if (t.IsWord)
        {
            _wordHashes.Add(t.Hash);
            _wordTokens.Add(_tokens.Count);
        }
        _tokens.Add(t);
    }

    /// <summary>
    /// Appends the word n-gram hashes to <paramref name="words"/> and the character n-gram hashes to
    /// <paramref name="chars"/>. With <paramref name="names"/>, also reports the readable form of each n-gram
    /// for which it returns true from its first call (readable forms cost an allocation, so it is asked first).
    /// </summary>
    public void Extract(string text, List<ulong> words, List<ulong> chars, NameSink? names = null)
    {
        Tokenize(text);
        if (_options.CharNgramsEnabled)
            foreach (var t in _tokens.AsSpan())
                if (t.CharGrams) CharNgrams(Text(t), chars, names);
        WordNgrams(words, names);
    }

    /// <summary>The hash of word unigram feature of a token with hash <paramref name="tokenHash"/>.</summary>
    public static ulong UnigramHash(ulong tokenHash) => NgramHash.Mix(tokenHash ^ (NgramHash.WordSeed + 1));

    /// <summary>Word n-grams of 1..WordNgrams tokens over the word tokens of the last <see cref="Tokenize"/>.</summary>
    public void WordNgrams(List<ulong> words, NameSink? names, int fromLength = 1)
    {
        var t = _wordHashes;
        for (int i = 0; i < t.Count; i++)
        {
            var g = t[i];
            for (int n = 1; n <= _options.WordNgrams && i + n <= t.Count; n++)
            {
                if (n > 1) g = NgramHash.Combine(g, t[i + n - 1]);
                if (n < fromLength) continue;
                var h = NgramHash.Mix(g ^ (NgramHash.WordSeed + (ulong)n));
                words.Add(h);
                if (names is not null && names.Wants(h)) names.Name(h, WordName(i, n));
            }
        }
    }

    private string WordName(int first, int n)
    {
        var parts = new string[n];
        for (int k = 0; k < n; k++) parts[k] = Text(_tokens[_wordTokens[first + k]]).ToString();
        return string.Join(' ', parts);
    }

    /// <summary>The character n-gram hashes of one token, padded with a space on each side.</summary>
    public void CharNgrams(ReadOnlySpan<char> token, List<ulong> chars, NameSink? names = null)
    {
        if (_padded.Length < token.Length + 2) _padded = new char[token.Length * 2 + 2];
        var p = _padded;
        p[0] = ' ';
        token.CopyTo(p.AsSpan(1));
        var len = token.Length + 2;
        p[len - 1] = ' ';
        int min = _options.CharNgramMin, max = _options.CharNgramMax;
        if (len < min)
        {
            var whole = CharGramHash(p.AsSpan(0, len));
            chars.Add(whole);
            if (names is not null && names.Wants(whole)) names.Name(whole, "[" + new string(p, 0, len) + "]");
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

    /// <summary>The hash of one character n-gram (padding spaces included), as <see cref="CharNgrams"/> computes it.</summary>
    public static ulong CharGramHash(ReadOnlySpan<char> gram)
    {
        var h = NgramHash.Offset ^ NgramHash.CharSeed;
        foreach (var c in gram) h = NgramHash.Add(h, c);
        return NgramHash.Mix(h + (ulong)gram.Length);
    }

    /// <summary>
    /// The hash of a feature from its readable name, as the model file stores it: "new york" for a word n-gram,
    /// "[ ne]" for a character n-gram.
    /// </summary>
    public static ulong HashOfName(ReadOnlySpan<char> name, bool isWord)
    {
        if (!isWord) return name.Length >= 2 && name[0] == '[' && name[^1] == ']' ? CharGramHash(name[1..^1]) : 0;
        ulong g = 0;
        int n = 0;
        foreach (var range in name.Split(' '))
        {
            var h = NgramHash.Of(name[range]);
            g = n == 0 ? h : NgramHash.Combine(g, h);
            n++;
        }
        return NgramHash.Mix(g ^ (NgramHash.WordSeed + (ulong)n));
    }

    /// <summary>
    /// <see cref="HashOfName"/> of a name in ASCII, straight from its UTF-8 bytes (the same arithmetic, without decoding
    /// or splitting): most of a vocabulary, hashed again at each model load.
    /// </summary>
    public static ulong HashOfAsciiName(ReadOnlySpan<byte> name, bool isWord)
    {
        if (!isWord)
        {
            if (name.Length < 2 || name[0] != (byte)'[' || name[^1] != (byte)']') return 0;
            var inner = name[1..^1];
            var c = NgramHash.Offset ^ NgramHash.CharSeed;
            foreach (var b in inner) c = NgramHash.Add(c, (char)b);
            return NgramHash.Mix(c + (ulong)inner.Length);
        }
        ulong g = 0;
        int n = 0;
        var h = NgramHash.Offset;
        foreach (var b in name)
        {
            if (b != (byte)' ')
            {
                h = NgramHash.Add(h, (char)b);
                continue;
            }
            g = n == 0 ? h : NgramHash.Combine(g, h);
            n++;
            h = NgramHash.Offset;
        }
        g = n == 0 ? h : NgramHash.Combine(g, h);
        return NgramHash.Mix(g ^ (NgramHash.WordSeed + (ulong)(n + 1)));
    }
}
