#!/usr/bin/env python3
"""Class weights on an imbalanced corpus: does `--class-weight balanced` find a small class without losing the rest?

Makes BBC News imbalanced: one class (default `tech`) keeps only enough documents to be under 5% of the corpus
(first ones by a seeded shuffle), the others keep all theirs. Then runs `classifier cross-validate --folds 5` with
`--class-weight none` and `balanced` on the same file and prints the small class's recall, precision and F1 and the
macro-F1 of each (pooled over the folds).

Usage: python3 bench/imbalanced.py [--label tech] [--share 0.04] [--write-doc]
"""
import argparse, csv, json, os, random, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets", "bbc", "all.csv")
OUT = os.path.join(ROOT, "bench", "out", "imbalanced")
CLI = ["dotnet", os.path.join(ROOT, "src", "Classifier.Cli", "bin", "Release", "net10.0", "classifier.dll")]
sys.path.insert(0, os.path.join(ROOT, "bench"))
import docsection  # noqa: E402

csv.field_size_limit(sys.maxsize)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", default="tech")
    ap.add_argument("--share", type=float, default=0.04)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--write-doc", action="store_true")
    a = ap.parse_args()
    if not os.path.exists(DATA):
        print(f"{DATA} is absent: nothing to benchmark."); return
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "src", "Classifier.Cli"), "-v", "q", "-nologo"], check=True, capture_output=True)
    os.makedirs(OUT, exist_ok=True)
    rows = list(csv.DictReader(open(DATA, newline="", encoding="utf-8")))
    small = [r for r in rows if r["label"] == a.label]
    rest = [r for r in rows if r["label"] != a.label]
    random.Random(a.seed).shuffle(small)
    keep = int(a.share * len(rest) / (1 - a.share))
    data = rest + small[:keep]
    path = os.path.join(OUT, f"bbc-{a.label}-{keep}.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        w.writeheader()
        w.writerows(data)
    results = []
    for weight in ("none", "balanced"):
        cmd = CLI + ["cross-validate", "--data", path, "--text", "text", "--label", "label", "--folds", "5", "--class-weight", weight, "--json", "--quiet"]
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
        pooled = json.loads(p.stdout)["pooled"]
        c = next(x for x in pooled["per_class"] if x["label"] == a.label)
        results.append(dict(class_weight=weight, recall=c["recall"], precision=c["precision"], f1=c["f1"], macro_f1=pooled["macro_f1"],
                            accuracy=pooled["accuracy"]))
        print(json.dumps(results[-1]), flush=True)
    lines = [f"| `--class-weight` | {a.label} recall | {a.label} precision | {a.label} F1 | macro-F1 | accuracy |", "|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['class_weight']} | {r['recall']:.4f} | {r['precision']:.4f} | {r['f1']:.4f} | {r['macro_f1']:.4f} | {r['accuracy']:.4f} |")
    table = "\n".join(lines)
    print(table)
    if a.write_doc:
        section = (f"## Class weights on an imbalanced corpus\n\nMeasured {time.strftime('%Y-%m-%d')} with `python3 bench/imbalanced.py"
                   f" --label {a.label} --share {a.share} --write-doc`: BBC News with `{a.label}` cut to {keep} of {len(data):,} documents"
                   f" ({keep / len(data):.1%}), `classifier cross-validate --folds 5`, pooled over the folds.\n\n{table}\n")
        docsection.update("## Class weights on an imbalanced corpus", section)


if __name__ == "__main__":
    main()
