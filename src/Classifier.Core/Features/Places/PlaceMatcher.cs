namespace Classifier.Core.Features.Places;

/// <summary>A place recognised in a document: where, the name as written, what it is, its country, and how much it counts.</summary>
public readonly record struct PlaceMention(int Start, int Length, string Text, PlaceKind Kind, Country Country, int Weight);

/// <summary>
/// Finds the places a document names. Longest names win ("New York" before "York"). Case decides ambiguous names in
/// text that has case: a place name must be capitalised, a name that is also a common word (Nice, Mobile) must not
/// start a sentence, a name that is also a person's name (Jordan, Chad) must not stand beside a capitalised word
/// that is not a place ("Michael Jordan"), and US or UK count only in capitals. Text in capitals only, or in lower
/// case only, has no case to go by: there, common-word names are skipped. A name that is a country's wins over
/// cities and subdivisions of the same name; a city name shared by several countries goes to a country the document
/// names elsewhere, else to the largest. The title (a first line of at most 300 characters) counts 3 times, the
/// next 300 characters twice. One matcher per thread.
/// </summary>
public sealed class PlaceMatcher(Gazetteer gazetteer)
{
    public const int TitleWeight = 3, OpeningWeight = 2, BodyWeight = 1;
    private const int TitleMaxLength = 300, OpeningLength = 300;

    private readonly PlaceTokenizer _tokenizer = new();
    private readonly List<(int Token, int Count, GazetteerName Name)> _found = new();
    private readonly HashSet<int> _named = new();
    private string _text = "";
    private readonly List<(int Token, int Count, Candidate Pick, int Weight)> _resolved = new();

    public Gazetteer Gazetteer { get; } = gazetteer;

    /// <summary>The places of <paramref name="text"/>, in order.</summary>
    public List<PlaceMention> Match(string text)
    {
        var mentions = new List<PlaceMention>();
        foreach (var (token, count, pick, weight) in Find(text))
        {
            var tokens = _tokenizer.Tokens;
            var start = tokens[token].Start;
            var last = tokens[token + count - 1];
            var length = last.Start + last.Length - start;
            mentions.Add(new PlaceMention(start, length, text.Substring(start, length), pick.Kind, Gazetteer.Countries[pick.Country], weight));
        }
        return mentions;
    }

    /// <summary>The country index and weight of each place of <paramref name="text"/>, without making strings.</summary>
    internal List<(int Token, int Count, Candidate Pick, int Weight)> Find(string text)
    {
        _resolved.Clear();
        _text = text;
        var tokens = _tokenizer.Tokens;
        _tokenizer.Tokenize(text);
        if (tokens.Count == 0) return _resolved;
        var newline = text.IndexOf('\n');
        var titleEnd = newline > 0 && newline <= TitleMaxLength ? newline : 0;
        var openingEnd = titleEnd + OpeningLength;
        var (titleCased, bodyCased) = (HasCase(0, titleEnd), HasCase(titleEnd, int.MaxValue));

        _found.Clear();
        for (int i = 0; i < tokens.Count;)
        {
            var cased = tokens[i].Start < titleEnd ? titleCased : bodyCased;
            // In text with case, a name starts with a capital: most tokens need no look-up at all.
            if (cased && !tokens[i].Capitalized)
            {
                i++;
                continue;
            }
            var matched = 0;
            foreach (var name in Gazetteer.StartingWith(_tokenizer.Key(tokens[i])))
            {
                if (!Matches(name, i) || !Accept(name, i, cased)) continue;
                _found.Add((i, name.Tokens.Length, name));
                matched = name.Tokens.Length;
                break;
            }
            i += Math.Max(1, matched);
        }
        if (_found.Count == 0) return _resolved;

        // Countries named outright settle the cities that several countries share.
        _named.Clear();
        foreach (var (_, _, name) in _found)
            if (name.Candidates.Length == 1 && name.Candidates[0].Kind is PlaceKind.Country or PlaceKind.Demonym) _named.Add(name.Candidates[0].Country);
        foreach (var (token, count, name) in _found)
        {
            var start = tokens[token].Start;
            var weight = start < titleEnd ? TitleWeight : start < openingEnd ? OpeningWeight : BodyWeight;
            _resolved.Add((token, count, Resolve(name.Candidates), weight));
        }
        return _resolved;
    }

    private Candidate Resolve(Candidate[] candidates)
    {
        if (candidates.Length == 1) return candidates[0];
        var countryLevel = false;
        foreach (var c in candidates) countryLevel |= c.Kind is PlaceKind.Country or PlaceKind.Demonym;
        Candidate best = default;
        var have = false;
        foreach (var c in candidates)
        {
            if (countryLevel && c.Kind is not (PlaceKind.Country or PlaceKind.Demonym)) continue;
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
        var tokens = _tokenizer.Tokens;
        if (i + name.Tokens.Length > tokens.Count) return false;
        for (int k = 1; k < name.Tokens.Length; k++)
            if (!_tokenizer.Key(tokens[i + k]).SequenceEqual(name.Tokens[k])) return false;
        return true;
    }

    private bool Accept(GazetteerName name, int i, bool cased)
    {
        var tokens = _tokenizer.Tokens;
        var t = tokens[i];
        if ((name.Flags & NameFlags.UpperOnly) != 0) return t.AllUpper && (name.Tokens.Length > 1 || t.KeyLength > 1);
        if (!cased) return (name.Flags & NameFlags.CommonWord) == 0;
        if (!t.Capitalized && char.IsUpper(name.Text[0])) return false;
        // In text with case, a word in capitals is an acronym (ICO, BAA), not a city.
        if (t.AllUpper && t.KeyLength > 1 && !name.IsCountry && name.Tokens.Length == 1) return false;
        if ((name.Flags & NameFlags.CommonWord) != 0 && t.SentenceStart) return false;
        if (name.MustStandAlone)
        {
            if (!t.SentenceStart && i > 0 && NextTo(tokens[i - 1], t) && tokens[i - 1].Capitalized && !IsPlaceAt(i - 1, 1)) return false;
            if (i + 1 < tokens.Count && NextTo(t, tokens[i + 1]) && tokens[i + 1].Capitalized && !IsPlaceAt(i + 1, int.MaxValue)) return false;
        }
        return true;
    }

    /// <summary>One space between the two tokens: they may belong to one name ("Michael Jordan"; not "Jordan, Michael").</summary>
    private bool NextTo(in PlaceToken a, in PlaceToken b) => b.Start - (a.Start + a.Length) == 1 && _text[a.Start + a.Length] == ' ';

    /// <summary>Whether a name of at most <paramref name="maxTokens"/> tokens starts at token <paramref name="i"/> ("Paris, Texas"; "Lagos Nigeria").</summary>
    private bool IsPlaceAt(int i, int maxTokens)
    {
        foreach (var name in Gazetteer.StartingWith(_tokenizer.Key(_tokenizer.Tokens[i])))
            if (name.Tokens.Length <= maxTokens && Matches(name, i)) return true;
        return false;
    }

    /// <summary>
    /// Whether case tells names from words in the text between the two offsets: not when (almost) every word is in
    /// capitals or capitalised (headlines, telex copy), nor when none is.
    /// </summary>
    private bool HasCase(int from, int to)
    {
        int words = 0, capitalized = 0, upper = 0;
        foreach (var t in _tokenizer.Tokens)
        {
            if (t.Start < from || t.Start >= to || t.Length < 2) continue;
            words++;
            if (t.Capitalized) capitalized++;
            if (t.AllUpper) upper++;
        }
        if (words < 3) return words == 0 || capitalized < words;
        return capitalized > 0 && upper * 10 < words * 6 && capitalized * 10 < words * 7;
    }
}
