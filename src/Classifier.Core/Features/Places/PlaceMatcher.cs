namespace Classifier.Core.Features.Places;

/// <summary>A place recognised in a document: where (in the NFKC form of the text), the name as written, what it is, its country, and how much it counts.</summary>
public readonly record struct PlaceMention(int Start, int Length, string Text, PlaceKind Kind, Country Country, int Weight);

/// <summary>
/// Finds the places a document names, and the clues that belong to a country (its currency, central bank, exchange,
/// legislature: see data/gazetteer/clues.tsv), over the tokens the n-gram tokenizer already made (so featurizing tokenizes
/// once) and the NFKC text they index, which keeps case. Longest names win ("New York" before "York"). Case decides
/// ambiguous names in text that has case: a place name must be capitalised, a name that is also a common word
/// (Nice, Mobile) must not start a sentence, a one-word name that is also a person's or often part of a firm's name
/// (Jordan, Stanley) must not stand beside a capitalised word that is not a place ("Michael Jordan", "Morgan
/// Stanley"), a word in capitals is an acronym, not a city, and US or UK count only in capitals. Text in capitals
/// only, or in lower case only, has no case to go by: there, common-word names are skipped. A name that is a
/// country's wins over cities and subdivisions of the same name; see <see cref="Better"/> for the rest. The title (a
/// first line of at most 300 characters) counts 3 times, the next 300 characters twice. One matcher per thread.
/// </summary>
public sealed class PlaceMatcher(Gazetteer gazetteer)
{
    public const int TitleWeight = 3, OpeningWeight = 2, BodyWeight = 1;
    private const int TitleMaxLength = 300, OpeningLength = 300;

    private readonly List<(int Token, int Count, GazetteerName Name)> _found = new();
    private readonly HashSet<int> _named = new();
    private readonly List<int> _hits = new();
    private readonly List<(int Token, int Count, Candidate Pick, int Weight)> _resolved = new();
    private NgramExtractor? _own;
    private string _text = "";
    private int _firstNewline = -1;
    private TokenBuffer _tokens = new();

    public Gazetteer Gazetteer { get; } = gazetteer;

    /// <summary>The places of <paramref name="text"/>, in order.</summary>
    public List<PlaceMention> Match(string text)
    {
        var ex = _own ??= new NgramExtractor(new FeaturizerOptions());
        ex.Tokenize(text);
        var mentions = new List<PlaceMention>();
        foreach (var (token, count, pick, weight) in Find(ex))
        {
            var start = _tokens[token].Start;
            var last = _tokens[token + count - 1];
            var length = last.Start + last.Length - start + (Gazetteer.IsDotted(_text, last) ? 1 : 0);
            mentions.Add(new PlaceMention(start, length, _text.Substring(start, length), pick.Kind, Gazetteer.Countries[pick.Country], weight));
        }
        return mentions;
    }

    /// <summary>The places among the tokens of the extractor's last <see cref="NgramExtractor.Tokenize"/>, without making strings.</summary>
    internal List<(int Token, int Count, Candidate Pick, int Weight)> Find(NgramExtractor ex)
    {
        _resolved.Clear();
        _text = ex.Normalized;
        _firstNewline = ex.FirstNewline;
        _tokens = ex.TokenList;
        var tokens = _tokens.AsSpan();
        if (tokens.Length == 0) return _resolved;
        var newline = ex.FirstNewline;
        var titleEnd = newline > 0 && newline <= TitleMaxLength ? newline : 0;
        var openingEnd = titleEnd + OpeningLength;

        // The tokenizer counted case on each side of the first line break and listed the capitalised tokens, which
        // are where names start in text with case.
        var (first, rest) = (ex.FirstLine, ex.Rest);
        if (titleEnd == 0) (first, rest) = (default, (first.Words + rest.Words, first.Capitalized + rest.Capitalized, first.Upper + rest.Upper));
        var (titleCased, bodyCased) = (Cased(first), Cased(rest));
        _hits.Clear();
        foreach (var i in ex.CapitalizedTokens)
            if (Gazetteer.MayStart(tokens[i].Hash, i + 1 < tokens.Length ? tokens[i + 1].Hash : 0)) _hits.Add(i);
        // Lower-case tokens may start names too: any name in text without case (all lower case), and names written in
        // lower case (currencies) everywhere.
        for (int i = 0; i < tokens.Length; i++)
        {
            ref readonly var t = ref tokens[i];
            if (t.Capitalized) continue;
            if (t.Start < titleEnd ? titleCased : bodyCased)
            {
                if (Gazetteer.MayStartLowerCase(t.Hash)) _hits.Add(i);
            }
            else if (Gazetteer.MayStart(t.Hash, i + 1 < tokens.Length ? tokens[i + 1].Hash : 0)) _hits.Add(i);
        }
        _hits.Sort();

        _found.Clear();
        var next = 0;
        foreach (var i in _hits)
        {
            if (i < next) continue;
            var cased = tokens[i].Start < titleEnd ? titleCased : bodyCased;
            if (!Gazetteer.TryStartingWith(tokens[i].Hash, out var names, out var shapes)) continue;
            var second = i + 1 < tokens.Length ? tokens[i + 1].Hash : 0;
            for (int k = 0; k < names.Length; k++)
            {
                var (length, hash) = shapes[k];
                if (length > 1 && (hash != second || i + length > tokens.Length)) continue;
                var name = names[k];
                if (!Matches(name, i) || !Accept(name, i, cased)) continue;
                _found.Add((i, name.Tokens.Length, name));
                next = i + name.Tokens.Length;
                break;
            }
        }
        if (_found.Count == 0) return _resolved;

        // Countries named outright, or through a place no other country has ("Sidney, Ohio"), settle the cities
        // that several countries share.
        _named.Clear();
        foreach (var (_, _, name) in _found)
            if (name.SingleCountry >= 0) _named.Add(name.SingleCountry);
        for (int j = 0; j < _found.Count; j++)
        {
            var (token, count, name) = _found[j];
            var start = tokens[token].Start;
            var weight = start < titleEnd ? TitleWeight : start < openingEnd ? OpeningWeight : BodyWeight;
            _resolved.Add((token, count, Resolve(name, QualifiedBy(j)), weight));
        }
        return _resolved;
    }

    /// <summary>
    /// The country of the place written right after found name <paramref name="j"/> with a comma between, when that
    /// place is in one country only: "London, Ontario" and "Sidney, Ohio" say which London and which Sidney. Else -1.
    /// </summary>
    private int QualifiedBy(int j)
    {
        if (j + 1 >= _found.Count) return -1;
        var (token, count, _) = _found[j];
        var (nextToken, _, next) = _found[j + 1];
        if (nextToken != token + count || next.SingleCountry < 0) return -1;
        var end = _tokens[token + count - 1].Start + _tokens[token + count - 1].Length;
        var gap = _text.AsSpan(end, _tokens[nextToken].Start - end);
        return gap is ", " or "," ? next.SingleCountry : -1;
    }

    /// <summary>
    /// Countries whose name is also a state of a much larger country that the news names far more often: Georgia is
    /// the US state beside Atlanta or the SEC. Kept to this one, written out: a general rule moved Taiwan to China,
    /// Luxembourg to Belgium and Martinique to France.
    /// </summary>
    private static readonly HashSet<string> CountriesNamedLikeStates = new(StringComparer.OrdinalIgnoreCase) { "Georgia" };

    private Candidate Resolve(GazetteerName name, int qualifier)
    {
        var candidates = name.Candidates;
        if (candidates.Length == 1) return candidates[0];
        var countryLevel = false;
        foreach (var c in candidates) countryLevel |= c.Kind is PlaceKind.Country or PlaceKind.Demonym;
        if (countryLevel && CountriesNamedLikeStates.Contains(name.Text))
        {
            // The state when the document names its country (Atlanta, the SEC) and nothing else of the first (Tbilisi, Georgian).
            var own = false;
            foreach (var c in candidates) own |= c.Kind is PlaceKind.Country or PlaceKind.Demonym && _named.Contains(c.Country);
            if (!own)
                foreach (var c in candidates)
                    if (c.Kind == PlaceKind.Subdivision && (_named.Contains(c.Country) || c.Country == qualifier))
                        return Best(candidates, c.Country);
        }
        if (!countryLevel && qualifier >= 0)
            foreach (var c in candidates)
                if (c.Country == qualifier) return Best(candidates, qualifier);
        return Best(candidates, countryLevel ? -2 : -1);
    }

    /// <summary>The best candidate: in country <paramref name="only"/> when it is 0 or more, of a country's own names when it is -2.</summary>
    private Candidate Best(Candidate[] candidates, int only)
    {
        Candidate best = default;
        var have = false;
        foreach (var c in candidates)
        {
            if (only == -2 && c.Kind is not (PlaceKind.Country or PlaceKind.Demonym)) continue;
            if (only >= 0 && c.Country != only) continue;
            if (!have || Better(c, best)) (best, have) = (c, true);
        }
        return best;
    }

    /// <summary>
    /// A place far larger than the other (20 times, and 100,000 people or more) first: Paris is in France even in an
    /// article that names the United States. Then a country the document names, then population, then the larger
    /// country (for subdivisions, which have no population), then capitals before cities before subdivisions.
    /// </summary>
    private bool Better(Candidate a, Candidate b)
    {
        if (Dominates(a, b)) return true;
        if (Dominates(b, a)) return false;
        bool na = _named.Contains(a.Country), nb = _named.Contains(b.Country);
        if (na != nb) return na;
        if (a.Population != b.Population) return a.Population > b.Population;
        long sa = Gazetteer.Countries[a.Country].Size, sb = Gazetteer.Countries[b.Country].Size;
        if (sa != sb) return sa > sb;
        return a.Kind < b.Kind;
    }

    private static bool Dominates(Candidate a, Candidate b) => a.Population >= 100_000 && a.Population / 20 >= b.Population && a.Population != int.MaxValue;

    private bool Matches(GazetteerName name, int i)
    {
        if (i + name.Tokens.Length > _tokens.Count) return false;
        for (int k = 1; k < name.Tokens.Length; k++)
            if (_tokens[i + k].Hash != name.Tokens[k]) return false;
        if (name.Dotted)
            for (int k = 0; k < name.Tokens.Length; k++)
                if (!Gazetteer.IsDotted(_text, _tokens[i + k]) || !char.IsUpper(_text[_tokens[i + k].Start])) return false;
        return true;
    }

    private bool Accept(GazetteerName name, int i, bool cased)
    {
        var t = _tokens[i];
        if (name.Dotted) return true;
        if ((name.Flags & NameFlags.UpperOnly) != 0) return t.AllUpper && t.Length > 1;
        if ((name.Flags & NameFlags.Amount) != 0 && !AfterAmount(i)) return false;
        // Without case, a word of three letters or fewer is as likely a symbol or an acronym (JOS, ICO) as a city.
        // Small towns are not worth the risk there either (FARAH, FAAA are company names and tickers in a headline).
        // Clues are no towns: their short names (yen, stg) are units, and their abbreviations count only in capitals.
        if (!cased) return (name.Flags & NameFlags.CommonWord) == 0 && (name.IsCountry || name.IsClue || name.Tokens.Length > 1 || t.Length > 3 && !name.SmallTown);
        if (!t.Capitalized && !name.LowerCase) return false;
        var sentenceStart = SentenceStart(i);
        // A unit written capitalised inside a sentence is part of a name: Sterling Drug, Dollar General.
        if (name.LowerCase && name.IsClue && t.Capitalized && !t.AllUpper && !sentenceStart) return false;
        // In text with case, a word in capitals is an acronym (ICO, BAA), not a city; a clue may be written so (NASDAQ).
        if (t.Length > 1 && name.Tokens.Length == 1 && !name.IsCountry && !name.IsClue && t.AllUpper) return false;
        if ((name.Flags & NameFlags.CommonWord) != 0 && sentenceStart) return false;
        if (name.MustStandAlone)
        {
            if (!sentenceStart && i > 0 && NextTo(_tokens[i - 1], t) && _tokens[i - 1].Capitalized && !IsPlaceAt(i - 1, 1)) return false;
            if (i + 1 < _tokens.Count && NextTo(t, _tokens[i + 1]) && _tokens[i + 1].Capitalized && !IsPlaceAt(i + 1, int.MaxValue)) return false;
        }
        return true;
    }

    /// <summary>Amount words, as the tokenizer hashes them: "5 mln marks", "two billion yen".</summary>
    private static readonly HashSet<ulong> AmountWords = new[] { "mln", "bln", "mn", "bn", "million", "billion", "trillion", "thousand", "hundred" }
        .Select(w => { var h = NgramHash.Offset; foreach (var c in w) h = NgramHash.Add(h, c); return h; }).ToHashSet();

    /// <summary>
    /// Right after a number ("1.80 marks": its last token starts with a digit) or an amount word ("5 mln marks"); not
    /// after a year ("1987 marks the end"), a lone number of four digits from 1800 to 2099 that no dot or comma joins
    /// to what comes before.
    /// </summary>
    private bool AfterAmount(int i)
    {
        if (i == 0) return false;
        var p = _tokens[i - 1];
        if (AmountWords.Contains(p.Hash)) return true;
        if (!char.IsAsciiDigit(_text[p.Start])) return false;
        var digits = _text.AsSpan(p.Start, p.Length);
        var joined = p.Start > 0 && _text[p.Start - 1] is '.' or ',';
        return !(digits.Length == 4 && !joined && int.TryParse(digits, out var year) && year is >= 1800 and <= 2099);
    }

    /// <summary>
    /// Nothing but spaces, quotes, brackets or dashes since the text's start, a '.', '!', '?' or ':', the end of the
    /// first line (the title and the body are joined by a line break, and titles seldom end with a full stop) or a
    /// blank line. Other line breaks are where wire copy wraps mid-sentence.
    /// </summary>
    private bool SentenceStart(int i)
    {
        var from = i > 0 ? _tokens[i - 1].Start + _tokens[i - 1].Length : 0;
        for (int k = _tokens[i].Start - 1; k >= from; k--)
        {
            var c = _text[k];
            if (c is '.' or '!' or '?' or ':') return true;
            if (c == '\n' && (k == _firstNewline || _text.AsSpan(0, k).TrimEnd(" \t\r").EndsWith('\n'))) return true;
            if (!char.IsWhiteSpace(c) && c is not ('"' or '\'' or '(' or '«' or '“' or '‘' or '-' or '—')) return false;
        }
        return i == 0;
    }

    /// <summary>One space between the two tokens: they may belong to one name ("Michael Jordan"; not "Jordan, Michael").</summary>
    private bool NextTo(NgramExtractor.Token a, NgramExtractor.Token b) => b.Start - (a.Start + a.Length) == 1 && _text[a.Start + a.Length] == ' ';

    /// <summary>Whether a name of at most <paramref name="maxTokens"/> tokens starts at token <paramref name="i"/> ("Paris, Texas"; "Lagos Nigeria").</summary>
    private bool IsPlaceAt(int i, int maxTokens)
    {
        foreach (var name in Gazetteer.StartingWith(_tokens[i].Hash))
            if (name.Tokens.Length <= maxTokens && Matches(name, i)) return true;
        return false;
    }

    /// <summary>
    /// Whether case tells names from words in a stretch of text: not when (almost) every word is in capitals or
    /// capitalised (headlines, telex copy), nor when none is.
    /// </summary>
    private static bool Cased((int Words, int Capitalized, int Upper) s) => s.Words < 3
        ? s.Words == 0 || s.Capitalized < s.Words
        : s.Capitalized > 0 && s.Upper * 10 < s.Words * 6 && s.Capitalized * 10 < s.Words * 7;
}
