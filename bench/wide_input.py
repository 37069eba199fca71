#!/usr/bin/env python3
"""A wide version of bench/out/score/score-150k.csv, as a data lake's table would be: an id, a URL, an author, a date,
a title, a 600-character summary, the text and the topic (8 columns, 386 MB).
usage: wide_input.py IN.csv OUT.csv; then `classifier score ... -o OUT.parquet --keep all` makes its Parquet twin."""
import csv, sys

csv.field_size_limit(10**9)
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w", newline="") as o:
    r = csv.reader(f)
    next(r)
    w = csv.writer(o)
    w.writerow(["id", "url", "author", "published", "title", "summary", "text", "topic"])
    for i, (label, text) in enumerate(r):
        w.writerow([f"doc-{i:07d}", f"https://news.example.org/{label}/{i}", f"Author {i % 997}",
                    f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", text.split("\n", 1)[0][:120], text[:600], text, label])
