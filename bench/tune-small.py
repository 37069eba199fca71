#!/usr/bin/env python3
"""`tune` on small samples (issue "tune that never makes a model worse"): for BBC and 20 Newsgroups, 300 training
documents drawn with seeds 1..5 (BBC from the training part of bench/compare.py's fold 1, 20 Newsgroups from its train
file), tested on the corpus's test part (BBC fold 1 test, 20 Newsgroups test.csv), which the search never sees.

For each case, in one run: the defaults (`train --data S --test T`), `tune --data S --test T --time-budget B` (the
trial it keeps), and the trial with the best cross-validated mean (what `tune` kept before the paired rule), trained
with `train` and that trial's settings. Prints one Markdown row per case and the means.

Usage: python3 bench/tune-small.py [--budget 60] [--seeds 1,2,3,4,5] [--size 300] [--corpora bbc,20ng]
"""
import argparse, csv, json, os, random, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets")
OUT = os.path.join(ROOT, "bench", "out", "tune-small")
CLI = ["dotnet", os.path.join(ROOT, "src", "Classifier.Cli", "bin", "Release", "net10.0", "classifier.dll")]
csv.field_size_limit(sys.maxsize)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return p.stdout


def sources(name):
    if name == "20ng":
        d = os.path.join(DATA, "20newsgroups")
        return os.path.join(d, "train.csv"), os.path.join(d, "test.csv")
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    out = os.path.join(ROOT, "bench", "out")
    train, test = os.path.join(out, "bbc-fold1-train.csv"), os.path.join(out, "bbc-fold1-test.csv")
    if not os.path.exists(train):
        sys.exit(f"{train} is missing: run bench/compare.py --corpora bbc first")
    return train, test


def sample(train, size, seed, path):
    with open(train, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        fields, rows = r.fieldnames, list(r)
    random.Random(seed).shuffle(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows[:size])


def settings_args(s):
    return ["--c", str(s["c"]), "--word-ngrams", str(s["word_ngrams"]), "--char-ngrams", s["char_ngrams"], "--char-weight", str(s["char_weight"]),
            "--sublinear-tf", "true" if s["sublinear_tf"] else "false", "--min-df", str(s["min_df"]), "--class-weight", s["class_weight"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=int, default=60)
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--size", type=int, default=300)
    ap.add_argument("--corpora", default="bbc,20ng")
    a = ap.parse_args()
    if not os.path.isdir(DATA):
        print(f"{DATA} is absent: nothing to measure"); return
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "src", "Classifier.Cli"), "-v", "q", "-nologo"], check=True, capture_output=True)
    os.makedirs(OUT, exist_ok=True)
    print("| corpus | seed | defaults | tune (kept) | kept trial | gain ± se (CV) | best mean trial | its test accuracy | tuned − defaults (pt) | best mean − defaults (pt) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    diffs, old = [], []
    for corpus in a.corpora.split(","):
        train, test = sources(corpus)
        for seed in map(int, a.seeds.split(",")):
            s = os.path.join(OUT, f"{corpus}-{seed}.csv")
            sample(train, a.size, seed, s)
            base = json.loads(run(CLI + ["train", "--data", s, "--test", test, "--json", "--quiet", "--model", os.path.join(OUT, "d.zip")]))["accuracy"]
            t = json.loads(run(CLI + ["tune", "--data", s, "--test", test, "--time-budget", f"{a.budget}s", "--json", "--quiet",
                                      "--model", os.path.join(OUT, "t.zip")]))
            tuned = t["test"]["accuracy"]
            done = [x for x in t["trials"] if x["status"] == "done"]
            top = max(done, key=lambda x: x["cv_score"])
            if top["trial"] == 1:
                top_acc = base
            else:
                top_acc = json.loads(run(CLI + ["train", "--data", s, "--test", test, "--json", "--quiet", "--model", os.path.join(OUT, "m.zip")]
                                         + settings_args(top["settings"])))["accuracy"]
            kept = t["best"]
            g = "" if kept["gain_vs_defaults"] is None else f"{kept['gain_vs_defaults']:+.4f} ± {kept['gain_se']:.4f}"
            diffs.append(100 * (tuned - base))
            old.append(100 * (top_acc - base))
            print(f"| {corpus} | {seed} | {base:.4f} | {tuned:.4f} | {kept['trial']} | {g} | {top['trial']} | {top_acc:.4f} | {diffs[-1]:+.2f} | {old[-1]:+.2f} |", flush=True)
    print()
    print(f"tuned − defaults: mean {sum(diffs) / len(diffs):+.2f} pt, worst {min(diffs):+.2f} pt; "
          f"best mean − defaults: mean {sum(old) / len(old):+.2f} pt, worst {min(old):+.2f} pt ({len(diffs)} cases, budget {a.budget} s)")


if __name__ == "__main__":
    main()
