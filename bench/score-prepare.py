#!/usr/bin/python3
"""Inputs for bench/score.sh (nothing here is timed).

Writes into OUT:
  score-15k.csv, score-150k.csv   20 Newsgroups test documents (label,text), the file repeated in order: x2 (15,064
                                  rows) and x20 (150,640 rows)
  score-150k.ft.txt               the same 150,640 documents as fastText text lines (anchors.py preprocessing)
  score-ft-train.txt              the train file as fastText training lines, shuffled as anchors.py does (seed 1)
Usage: score-prepare.py TRAIN.csv TEST.csv ANCHORS.py OUT
"""
import csv, importlib.util, os, random, sys

train_csv, test_csv, anchors_py, out = sys.argv[1:5]
spec = importlib.util.spec_from_file_location("anchors", anchors_py)
anchors = importlib.util.module_from_spec(spec)
spec.loader.exec_module(anchors)  # defines functions only; main() runs under __main__
csv.field_size_limit(sys.maxsize)

with open(test_csv, newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    header = next(reader)
    test_rows = list(reader)
text_col = header.index("text")

big = 20 * len(test_rows)
for n, name in ((2 * len(test_rows), "score-15k.csv"), (big, "score-150k.csv")):
    with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in range(n):
            w.writerow(test_rows[i % len(test_rows)])

# fastText: the same text preprocessing as anchors.py run_fasttext (lower-case, punctuation split off, one line).
with open(os.path.join(out, "score-150k.ft.txt"), "w", encoding="utf-8") as f:
    for i in range(big):
        f.write(anchors.ft_text(test_rows[i % len(test_rows)][text_col]) + "\n")

rows = anchors.read(train_csv, "label", ["text"], None)
random.Random(1).shuffle(rows)  # anchors.py: fastText's SGD reads in order, and the file is sorted by class
with open(os.path.join(out, "score-ft-train.txt"), "w", encoding="utf-8") as f:
    for labels, text in rows:
        f.write(" ".join(anchors.ft_label(l) for l in labels) + " " + anchors.ft_text(text) + "\n")
print(f"prepared {len(test_rows)} test documents x 2 and x 20; {len(rows)} fastText training lines")
