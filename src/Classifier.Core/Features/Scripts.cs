using System.Globalization;
using System.Text;

namespace Classifier.Core.Features;

/// <summary>
/// What the tokenizer needs to know about a character: whether it belongs in a word, and whether its script is
/// written without spaces between words (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar), where a run of
/// letters is a whole clause rather than a word.
/// </summary>
internal static class Scripts
{
    public enum Kind : byte
    {
        /// <summary>Not part of a word: spaces, punctuation, symbols.</summary>
        None,
        /// <summary>A letter or digit of a script written with spaces (Latin, Cyrillic, Arabic, Greek, Hangul…), or '_'.</summary>
        Spaced,
        /// <summary>A letter of a script written without spaces.</summary>
        Unspaced,
        /// <summary>A combining mark (Thai vowel signs, Arabic harakat, Devanagari matras): it belongs to the letter before it.</summary>
        Mark,
    }

    public static bool IsAsciiWordChar(char c) => (uint)((c | 32) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_';

    /// <summary>The kind of the character at <paramref name="i"/>; <paramref name="width"/> is 2 for a surrogate pair.</summary>
    public static Kind Of(string text, int i, out int width)
    {
        width = 1;
        var c = text[i];
        if (c < 128) return IsAsciiWordChar(c) ? Kind.Spaced : Kind.None;
        int cp = c;
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            cp = char.ConvertToUtf32(c, text[i + 1]);
            width = 2;
        }
        else if (char.IsSurrogate(c)) return Kind.None;
        switch (CharUnicodeInfo.GetUnicodeCategory(cp))
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
                return Kind.Mark;
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.LetterNumber:
                return IsUnspaced(cp) ? Kind.Unspaced : Kind.Spaced;
            case UnicodeCategory.DecimalDigitNumber:
                return Kind.Spaced;
            default:
                return Kind.None;
        }
    }

    /// <summary>Code points of the scripts written without spaces between words.</summary>
    public static bool IsUnspaced(int cp) =>
        cp is >= 0x0E00 and <= 0x0EFF                              // Thai, Lao
            or >= 0x1000 and <= 0x109F or >= 0xA9E0 and <= 0xA9FF or >= 0xAA60 and <= 0xAA7F // Myanmar
            or >= 0x1780 and <= 0x17FF or >= 0x19E0 and <= 0x19FF  // Khmer
            or >= 0x3005 and <= 0x3007                             // 々 〆 〇
            or >= 0x3040 and <= 0x30FF or >= 0x31F0 and <= 0x31FF  // Hiragana, Katakana
            or >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF // Han
            or >= 0x20000 and <= 0x3FFFF;                          // Han, supplementary planes

    /// <summary>
    /// NFKC (full-width Latin and digits become ASCII, half-width katakana full-width, ligatures letters), applied
    /// the same way when training and when scoring. ASCII text, nearly all English, is returned as it is at the cost
    /// of one vectorised check.
    /// </summary>
    public static string Normalize(string text)
    {
        if (Ascii.IsValid(text)) return text;
        try
        {
            return text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // A lone surrogate (from a JSON "\ud800" escape, say) cannot be normalised; it is no letter anyway.
            var clean = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) clean.Append(c).Append(text[++i]);
                else clean.Append(char.IsSurrogate(c) ? ' ' : c);
            }
            return clean.ToString().Normalize(NormalizationForm.FormKC);
        }
    }

    /// <summary>
    /// Lower case for matching: invariant lower-casing, plus the one folding that simple lower-casing misses in a
    /// common script: Greek final sigma (ς) matches σ.
    /// </summary>
    public static char Fold(char c) => c < 128 ? (c is >= 'A' and <= 'Z' ? (char)(c + 32) : c) : c == 'ς' ? 'σ' : char.ToLowerInvariant(c);

    /// <summary>
    /// A feature name as people read it: a word n-gram of characters of an unspaced script ("东 京", as the model
    /// stores it) is shown as written ("东京"); everything else is left as it is.
    /// </summary>
    public static string Readable(string name, bool isWord)
    {
        if (!isWord || !name.Contains(' ')) return name;
        foreach (var part in name.Split(' '))
            if (part.Length == 0 || Of(part, 0, out _) != Kind.Unspaced) return name;
        return name.Replace(" ", "");
    }
}
