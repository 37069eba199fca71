using System.Globalization;

namespace Classifier.Core.Features.Places;

/// <summary>A word of the original text, as the place matcher sees it: where it is, its lower-case key, and its case.</summary>
internal struct PlaceToken
{
    public int Start, Length;
    public int KeyStart, KeyLength;
    public bool Capitalized, AllUpper, SentenceStart;
}

/// <summary>
/// Splits text into runs of letters (with their combining marks), keeping what the n-gram tokenizer folds away:
/// case and sentence starts, which decide whether "Nice" is a city. Dotted abbreviations ("U.S.", "U.S.S.R.") become
/// one token ("us", all capitals). Gazetteer names are split the same way, so "Côte d'Ivoire" is côte, d, ivoire
/// in both. Keys are written into one growing buffer, so tokenizing allocates nothing once warm.
/// </summary>
internal sealed class PlaceTokenizer
{
    private char[] _keys = new char[256];

    [ThreadStatic] private static PlaceTokenizer? _forNames;
    public readonly List<PlaceToken> Tokens = new();

    public ReadOnlySpan<char> Key(in PlaceToken t) => _keys.AsSpan(t.KeyStart, t.KeyLength);

    public void Tokenize(string text)
    {
        Tokens.Clear();
        if (_keys.Length < text.Length) _keys = new char[Math.Max(text.Length, _keys.Length * 2)];
        int k = 0;
        var sentenceStart = true;
        for (int i = 0; i < text.Length;)
        {
            var c = text[i];
            if (!IsLetter(c))
            {
                if (c is '.' or '!' or '?' or ':') sentenceStart = true;
                else if (!char.IsWhiteSpace(c) && c is not ('"' or '\'' or '(' or '«' or '“' or '‘' or '-' or '—')) sentenceStart = false;
                i++;
                continue;
            }
            var t = new PlaceToken { Start = i, KeyStart = k, SentenceStart = sentenceStart };
            if (IsAbbreviation(text, i, out var end))
            {
                for (int j = i; j < end; j += 2) _keys[k++] = char.ToLowerInvariant(text[j]);
                t.Capitalized = t.AllUpper = true;
                i = end;
                // The dot after the last letter ends the abbreviation, not (necessarily) the sentence.
                sentenceStart = false;
            }
            else
            {
                int upper = 0, letters = 0;
                while (i < text.Length)
                {
                    var ch = text[i];
                    if (ch < 128)
                    {
                        // ASCII, most of the text: no Unicode tables.
                        if ((uint)((ch | 32) - 'a') > 'z' - 'a') break;
                        if (ch <= 'Z') upper++;
                        letters++;
                        _keys[k++] = (char)(ch | 32);
                    }
                    else
                    {
                        var mark = IsMark(ch);
                        if (!mark && !char.IsLetter(ch)) break;
                        if (char.IsUpper(ch)) upper++;
                        if (!mark) letters++;
                        _keys[k++] = char.ToLowerInvariant(ch);
                    }
                    i++;
                }
                t.Capitalized = char.IsUpper(text[t.Start]);
                t.AllUpper = upper == letters && letters > 0;
                sentenceStart = false;
            }
            t.Length = i - t.Start;
            t.KeyLength = k - t.KeyStart;
            Tokens.Add(t);
        }
    }

    /// <summary>The lower-case keys of a gazetteer name, split as text is.</summary>
    public static string[] Keys(string name)
    {
        var t = _forNames ??= new PlaceTokenizer();
        t.Tokenize(name);
        return t.Tokens.Select(x => t.Key(x).ToString()).ToArray();
    }

    /// <summary>Two or more single capital letters, each followed by a dot ("U.S.", "U.K."): <paramref name="end"/> is after the last dot.</summary>
    private static bool IsAbbreviation(string text, int i, out int end)
    {
        end = i;
        if (i > 0 && IsLetter(text[i - 1])) return false;
        int j = i, pairs = 0;
        while (j + 1 < text.Length && char.IsUpper(text[j]) && text[j + 1] == '.')
        {
            j += 2;
            pairs++;
        }
        if (pairs < 2) return false;
        end = j;
        return true;
    }

    private static bool IsLetter(char c) => c < 128 ? (uint)((c | 32) - 'a') <= 'z' - 'a' : char.IsLetter(c);

    private static bool IsMark(char c) => c >= 128 && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}
