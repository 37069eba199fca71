#!/usr/bin/env python3
"""Prepares the Reuters-21578 ModApte benchmark files under bench/out/reuters/.

topics: the standard 90 categories (those with at least one train and one test document); other topic codes
are removed from each document's set, and documents left without any of the 90 are dropped (7,770 train,
3,019 test). places: every document with at least one place code, codes unchanged (the tool maps them with
--label-map data/maps/reuters-places-to-regions.csv).
"""
import csv, os, sys

csv.field_size_limit(sys.maxsize)
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets", "reuters21578")
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "reuters")
os.makedirs(out, exist_ok=True)


def read(name):
    with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


train, test = read("train.csv"), read("test.csv")
codes = lambda rows: {t for r in rows for t in r["topics"].split(";") if t}
r90 = codes(train) & codes(test)
for name, rows in (("train", train), ("test", test)):
    with open(os.path.join(out, f"topics-{name}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        w.writerow(["id", "title", "text", "topics"])
        kept = 0
        for r in rows:
            topics = [t for t in r["topics"].split(";") if t in r90]
            if topics:
                w.writerow([r["id"], r["title"], r["text"], ";".join(topics)]); kept += 1
    with open(os.path.join(out, f"places-{name}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        w.writerow(["id", "title", "text", "places"])
        for r in rows:
            if r["places"]:
                w.writerow([r["id"], r["title"], r["text"], r["places"]])
    print(f"{name}: {kept} documents with one of the {len(r90)} categories", file=sys.stderr)
