#!/usr/bin/env python3
"""How far a test split's macro-F1 can be trusted: the gain of one multi-label model over another on the same test
documents, with its paired bootstrap standard error.

Each input is the output of `classifier score --model M --input TEST --keep LABELCOL -o F.jsonl` for one model (the
gold label set in LABELCOL, the assigned labels in "labels"). Macro-F1 is taken as `classifier evaluate` takes it
(MultiLabelEvaluator): over the labels true or assigned in at least one of the documents scored, a label assigned but
never true (or true but never assigned) counting with F1 0; the script prints each file's score, to be checked against
`evaluate`'s. Resampling the documents (the same resamples for every model) gives the spread of the difference that
another test split of the same size would show: on Reuters topics, where 14 of the 90 test labels have one test
document, a single document can move macro-F1 by a point.

Usage: python3 bench/macro_f1_bootstrap.py --label topics BASE.jsonl OTHER.jsonl [MORE.jsonl ...]
"""
import argparse
import json
import random


def load(path, column, separator):
    gold, assigned = [], []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            row = json.loads(line)
            if column not in row:
                raise SystemExit(f"{path}:{number}: no column '{column}' (score with --keep {column})")
            if row.get("labels") is None:
                raise SystemExit(f"{path}:{number}: a row that was not scored ({row.get('error', 'no labels')}); score with --bad-rows fail")
            gold.append({l.strip() for l in (row[column] or "").split(separator) if l.strip()})
            assigned.append({x["label"] for x in row["labels"]})
    return gold, assigned


def macro_f1(gold, assigned, rows):
    counts = {}  # label: [tp, fp, fn]
    for i in rows:
        g, a = gold[i], assigned[i]
        for l in a:
            counts.setdefault(l, [0, 0, 0])[0 if l in g else 1] += 1
        for l in g - a:
            counts.setdefault(l, [0, 0, 0])[2] += 1
    if not counts:
        return 0.0
    return sum(2 * tp / (2 * tp + fp + fn) for tp, fp, fn in counts.values()) / len(counts)


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
    n = len(gold)
    labels = set().union(*gold)
    singles = sum(1 for l in labels if sum(l in g for g in gold) == 1)
    print(json.dumps({"file": a.base, "documents": n, "true_labels": len(labels), "labels_with_one_document": singles,
                      "macro_f1": round(macro_f1(gold, base, range(n)), 6)}))
    rng = random.Random(a.seed)
    resamples = [[rng.randrange(n) for _ in range(n)] for _ in range(a.resamples)]
    low, high = int(0.025 * a.resamples), int(0.975 * a.resamples) - 1
    for path in a.others:
        other_gold, other = load(path, a.label, a.separator)
        if other_gold != gold:
            raise SystemExit(f"{path}: not the same documents, or not in the same order, as {a.base}")
        gain = macro_f1(gold, other, range(n)) - macro_f1(gold, base, range(n))
        diffs = sorted(macro_f1(gold, other, r) - macro_f1(gold, base, r) for r in resamples)
        mean = sum(diffs) / len(diffs)
        se = (sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1)) ** 0.5
        print(json.dumps({"file": path, "macro_f1": round(macro_f1(gold, other, range(n)), 6), "gain": round(gain, 4),
                          "bootstrap_se": round(se, 4), "interval_95": [round(diffs[low], 4), round(diffs[high], 4)]}))


if __name__ == "__main__":
    main()
