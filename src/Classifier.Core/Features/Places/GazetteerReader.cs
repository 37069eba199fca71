using System.Globalization;
using System.Runtime.InteropServices;

namespace Classifier.Core.Features.Places;

/// <summary>
/// Builds the matcher's index from the gazetteer file in one pass, as each row is read: every name is tokenized and
/// hashed as the n-gram tokenizer does for text (so names fold and split exactly as what they are matched against),
/// and names that share their tokens become one entry with several candidates. The file lists the flags (F) first,
/// the M49 areas (M) and countries (C) before the places (P) that refer to them. Fields are read as spans, so only
/// the names the index keeps become strings: reading takes about a tenth of a second.
/// </summary>
internal static class GazetteerReader
{
    private sealed class Entry(string text, ulong[] tokens, bool dotted, bool clue)
    {
        public readonly bool Clue = clue;
        public readonly string Text = text;
        public readonly ulong[] Tokens = tokens;
        public readonly bool Dotted = dotted;
        public readonly List<Candidate> Candidates = new(1);
    }

    public static Gazetteer Read(Stream stream, Stream? clues = null)
    {
        // Nearly everything allocated here lives as long as the process: collections during the build would only copy
        // it from generation to generation, which was most of the time it took.
        var noGc = false;
        try
        {
            noGc = GC.TryStartNoGCRegion(NoGcBytes);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
        }
        try
        {
            return Build(stream, clues);
        }
        finally
        {
            try
            {
                if (noGc && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // The runtime left the region on its own (another thread allocated past it): nothing to end.
            }
        }
    }

    /// <summary>What building the index allocates, with room to spare (measured: about 40 MB).</summary>
    private const long NoGcBytes = 96L << 20;

    private static Gazetteer Build(Stream stream, Stream? clues)
    {
        string all;
        using (var reader = new StreamReader(stream)) all = reader.ReadToEnd();
        string clueRows = "";
        if (clues is not null)
            using (var reader = new StreamReader(clues)) clueRows = reader.ReadToEnd();
        var m49 = new Dictionary<string, (string Name, string Parent)>();
        var countries = new List<Country>();
        var countryIndex = new Dictionary<string, int>().GetAlternateLookup<ReadOnlySpan<char>>();
        // Keys are lower case; ignoring case spares a lower-cased copy of every name.
        var flags = new Dictionary<string, NameFlags>(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        // Clues are names of their own, never merged with a place of the same spelling (Pula, Croatia and the pula of
        // Botswana; Dax, France and the DAX): each keeps its own flags, case and candidates, and the matcher tries both.
        var clueFlags = new Dictionary<string, NameFlags>(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        var entries = new Dictionary<(ulong First, ulong All, bool Dotted, bool Clue), Entry>(50_000);
        var tokenizer = new NgramExtractor(new FeaturizerOptions());
        var hashes = new List<ulong>();
        Span<Range> f = stackalloc Range[8];

        void Add(ReadOnlySpan<char> name, Candidate candidate)
        {
            Tokenize(name, tokenizer, hashes);
            if (hashes.Count == 0) return;
            AddTokens(name, CollectionsMarshal.AsSpan(hashes), candidate, dotted: false);
            // "US" is also written "U.S.": one token per letter, each followed by a dot.
            if ((candidate.IsClue ? clueFlags : flags).TryGetValue(name, out var fl) && (fl & NameFlags.UpperOnly) != 0 && hashes.Count == 1 && !name.ContainsAnyExcept(Letters))
            {
                Span<ulong> letters = stackalloc ulong[name.Length];
                for (int i = 0; i < name.Length; i++) letters[i] = NgramHash.Add(NgramHash.Offset, char.ToLowerInvariant(name[i]));
                AddTokens(name, letters, candidate, dotted: true);
            }
        }

        void AddTokens(ReadOnlySpan<char> name, ReadOnlySpan<ulong> tokens, Candidate candidate, bool dotted)
        {
            var key = tokens[0];
            for (int i = 1; i < tokens.Length; i++) key = NgramHash.Combine(key, tokens[i]);
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(entries, (tokens[0], key, dotted, candidate.IsClue), out var exists);
            entry ??= new Entry(name.ToString(), tokens.ToArray(), dotted, candidate.IsClue);
            if (!entry.Candidates.Contains(candidate)) entry.Candidates.Add(candidate);
        }

        void AddAll(ReadOnlySpan<char> names, Candidate candidate)
        {
            foreach (var r in names.Split('|'))
                if (!names[r].IsEmpty) Add(names[r], candidate);
        }

        foreach (var line in all.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#') continue;
            var n = line.Split(f, '\t');
            switch (line[0])
            {
                case 'M':
                    m49[Field(line, f, n, 1).ToString()] = (Field(line, f, n, 4).ToString(), Field(line, f, n, 3).ToString());
                    break;
                case 'F':
                    var fs = Field(line, f, n, 2);
                    flags[Field(line, f, n, 1)] = (fs.Contains('w') ? NameFlags.CommonWord : 0) | (fs.Contains('n') ? NameFlags.PersonName : 0) | (fs.Contains('u') ? NameFlags.UpperOnly : 0);
                    break;
                case 'C':
                {
                    var sub = Field(line, f, n, 2).ToString();
                    var region = sub;
                    while (m49.TryGetValue(region, out var up) && up.Parent != "001") region = up.Parent;
                    var code = Field(line, f, n, 1).ToString();
                    countryIndex[code] = countries.Count;
                    countries.Add(new Country(code, Field(line, f, n, 4).ToString(), sub, m49.GetValueOrDefault(sub).Name ?? sub, region,
                        m49.GetValueOrDefault(region).Name ?? region, Field(line, f, n, 3).ToString(), long.Parse(Field(line, f, n, 7), CultureInfo.InvariantCulture)));
                    AddAll(Field(line, f, n, 5), new Candidate(countries.Count - 1, PlaceKind.Country, int.MaxValue));
                    AddAll(Field(line, f, n, 6), new Candidate(countries.Count - 1, PlaceKind.Demonym, int.MaxValue));
                    break;
                }
                case 'P':
                {
                    if (!countryIndex.TryGetValue(Field(line, f, n, 1), out var c)) throw new InvalidDataException($"gazetteer place of unknown country {Field(line, f, n, 1)}");
                    var kind = Field(line, f, n, 2) switch { "c" => PlaceKind.Capital, "a" => PlaceKind.Subdivision, _ => PlaceKind.City };
                    AddAll(Field(line, f, n, 4), new Candidate(c, kind, int.Parse(Field(line, f, n, 3), CultureInfo.InvariantCulture)));
                    break;
                }
                default:
                    throw new InvalidDataException($"gazetteer row of unknown kind '{line[0]}'");
            }
        }

        foreach (var line in clueRows.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#') continue;
            var n = line.Split(f, '\t');
            var kind = Field(line, f, n, 0) switch
            {
                "currency" => PlaceKind.Currency,
                "authority" => PlaceKind.Authority,
                "exchange" => PlaceKind.Exchange,
                "government" => PlaceKind.Government,
                var k => throw new InvalidDataException($"clue of unknown kind '{k}'"),
            };
            var fs = Field(line, f, n, 1);
            var rowFlags = (fs.Contains('a') ? NameFlags.Amount : 0) | (fs.Contains('w') ? NameFlags.CommonWord : 0) |
                           (fs.Contains('n') ? NameFlags.PersonName : 0) | (fs.Contains('u') ? NameFlags.UpperOnly : 0);
            var names = Field(line, f, n, 3);
            foreach (var r in names.Split('|'))
                if (!names[r].IsEmpty && rowFlags != 0)
                {
                    ref var fl = ref CollectionsMarshal.GetValueRefOrAddDefault(clueFlags, names[r], out _);
                    fl |= rowFlags;
                }
            var rank = 0;
            foreach (var r in Field(line, f, n, 2).Split(','))
            {
                var code = Field(line, f, n, 2)[r];
                if (!countryIndex.TryGetValue(code, out var c)) throw new InvalidDataException($"clue of unknown country {code}");
                AddAll(names, new Candidate(c, kind, Candidate.ClueSize(rank++)));
            }
        }

        var groups = new Dictionary<ulong, List<GazetteerName>>();
        foreach (var (key, e) in entries)
        {
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, key.First, out _);
            list ??= new List<GazetteerName>(1);
            list.Add(new GazetteerName(e.Text, e.Tokens, (e.Clue ? clueFlags : flags).TryGetValue(e.Text, out var fl) ? fl : NameFlags.None, e.Candidates.ToArray(), e.Dotted));
        }
        var byFirst = new Dictionary<ulong, GazetteerName[]>(groups.Count);
        foreach (var (first, list) in groups)
        {
            // Longest first, so the matcher takes "New York City" before "New York"; the text orders ties stably.
            // A place and a clue of the same spelling: the place first.
            if (list.Count > 1)
                list.Sort((x, y) => x.Tokens.Length != y.Tokens.Length ? y.Tokens.Length - x.Tokens.Length
                    : string.CompareOrdinal(x.Text, y.Text) is var byText and not 0 ? byText : x.IsClue.CompareTo(y.IsClue));
            byFirst[first] = list.ToArray();
        }
        return Gazetteer.Create(countries, byFirst, entries.Count);
    }

    private static ReadOnlySpan<char> Field(ReadOnlySpan<char> line, Span<Range> fields, int count, int i) =>
        i < count ? line[fields[i]] : throw new InvalidDataException($"gazetteer row with {count} fields: {line}");

    private static readonly System.Buffers.SearchValues<char> Letters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>The token hashes of a name: inline for ASCII (letters, digits and '_' make words, as in the n-gram tokenizer), through it otherwise.</summary>
    private static void Tokenize(ReadOnlySpan<char> name, NgramExtractor tokenizer, List<ulong> hashes)
    {
        hashes.Clear();
        if (!System.Text.Ascii.IsValid(name))
        {
            tokenizer.Tokenize(name.ToString());
            foreach (var t in tokenizer.TokenList.AsSpan()) hashes.Add(t.Hash);
            return;
        }
        var h = NgramHash.Offset;
        var inWord = false;
        foreach (var ch in name)
        {
            if (Scripts.IsAsciiWordChar(ch))
            {
                h = NgramHash.Add(h, ch is >= 'A' and <= 'Z' ? (char)(ch + 32) : ch);
                inWord = true;
            }
            else if (inWord)
            {
                hashes.Add(h);
                (h, inWord) = (NgramHash.Offset, false);
            }
        }
        if (inWord) hashes.Add(h);
    }
}
