#!/usr/bin/env python3
"""How far a test split's macro-F1 can be trusted: the gain of one multi-label model over another on the same test
documents, with its paired bootstrap standard error.

Each input is the output of `classifier score --model M --input TEST --keep LABELCOL -o F.jsonl` for one model (the
gold label set in LABELCOL, the assigned labels in "labels"). Macro-F1 is taken over the labels of the gold sets, a
label never assigned nor present in a document counting 0 there, as `classifier evaluate` takes it (the script prints
the first file's score so that the two can be compared). Resampling the documents (the same resamples for every
model) gives the spread of the difference that another test split of the same size would show: on Reuters topics, where
14 of the 90 test labels have one test document, a single document can move macro-F1 by a point.

Usage: python3 bench/macro_f1_bootstrap.py --label topics BASE.jsonl OTHER.jsonl [MORE.jsonl ...]
"""
import argparse
import json
import random


def load(path, column, separator):
    gold, assigned = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text = row.get(column) or ""
            gold.append({l for l in text.split(separator) if l})
            assigned.append({x["label"] for x in row["labels"]})
    return gold, assigned


def macro_f1(gold, assigned, rows, labels):
    tp = dict.fromkeys(labels, 0)
    fp = dict.fromkeys(labels, 0)
    fn = dict.fromkeys(labels, 0)
    for i in rows:
        g, a = gold[i], assigned[i]
        for l in g:
            if l in a:
                tp[l] += 1
            else:
                fn[l] += 1
        for l in a - g:
            if l in fp:
                fp[l] += 1
    scores = [2 * tp[l] / (2 * tp[l] + fp[l] + fn[l]) if tp[l] + fp[l] + fn[l] else 0.0 for l in labels]
    return sum(scores) / len(scores)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("base", help="scores of the model to compare against (the defaults)")
    p.add_argument("others", nargs="+", help="scores of the other models, same documents in the same order")
    p.add_argument("--label", required=True, help="the gold label column kept in the scores")
    p.add_argument("--separator", default=";")
    p.add_argument("--resamples", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    gold, base = load(a.base, a.label, a.separator)
    labels = sorted(set().union(*gold))
    n = len(gold)
    singles = sum(1 for l in labels if sum(l in g for g in gold) == 1)
    print(json.dumps({"file": a.base, "documents": n, "labels": len(labels), "labels_with_one_document": singles,
                      "macro_f1": round(macro_f1(gold, base, range(n), labels), 6)}))
    rng = random.Random(a.seed)
    resamples = [[rng.randrange(n) for _ in range(n)] for _ in range(a.resamples)]
    for path in a.others:
        other_gold, other = load(path, a.label, a.separator)
        if other_gold != gold:
            raise SystemExit(f"{path}: not the same documents, or not in the same order, as {a.base}")
        gain = macro_f1(gold, other, range(n), labels) - macro_f1(gold, base, range(n), labels)
        diffs = sorted(macro_f1(gold, other, r, labels) - macro_f1(gold, base, r, labels) for r in resamples)
        mean = sum(diffs) / len(diffs)
        se = (sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1)) ** 0.5
        print(json.dumps({"file": path, "macro_f1": round(macro_f1(gold, other, range(n), labels), 6), "gain": round(gain, 4),
                          "bootstrap_se": round(se, 4), "interval_95": [round(diffs[int(0.025 * len(diffs))], 4),
                                                                          round(diffs[int(0.975 * len(diffs)) - 1], 4)]}))


if __name__ == "__main__":
    main()
