#!/usr/bin/env python3
"""`tune` never worse than the defaults, on bench/compare.py's five stratified folds of a corpus (issue "tune that
never makes a model worse"): for each fold, in one run, the defaults (`train --data TRAIN --test TEST`) and
`tune --data TRAIN --test TEST --time-budget B` (the search sees TRAIN only). Prints one Markdown row a fold (test
accuracy of each, the trial kept, its CV gain ± SE, the folds the defaults ran (more than the first splits when the budget confirmed the leaders), the trials confirmed, the search's seconds) and the mean.

Usage: python3 bench/tune-folds.py --corpus bbc|agnews|multilingual [--budget 300] [--folds 1,2,3,4,5] [--cli DLL]
"""
import argparse, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets")
OUT = os.path.join(ROOT, "bench", "out")
sys.path.insert(0, os.path.join(ROOT, "bench"))
import compare  # noqa: E402  (its fold writer)

SOURCES = {
    "bbc": (os.path.join(DATA, "bbc", "all.csv"), "label", "text"),
    "agnews": (os.path.join(DATA, "agnews", "test.csv"), "label", "title,description"),
    "multilingual": (os.path.join(ROOT, "data", "fixtures", "multilingual-news.csv"), "label", "text"),
}


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True, choices=sorted(SOURCES))
    ap.add_argument("--budget", type=int, default=300)
    ap.add_argument("--folds", default="1,2,3,4,5")
    ap.add_argument("--cli", default=os.path.join(ROOT, "src", "Classifier.Cli", "bin", "Release", "net10.0", "classifier.dll"))
    a = ap.parse_args()
    path, label, text = SOURCES[a.corpus]
    if not os.path.exists(path):
        print(f"{path} is absent: nothing to benchmark."); return
    compare.OUT = OUT
    files = compare.folds(path, label, 5, 1, a.corpus)
    cli = ["dotnet", a.cli]
    print(f"| fold | defaults | tune | kept trial | CV gain ± se | defaults' folds | confirmed | ended | search s | tuned − defaults (pt) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    gains = []
    model = os.path.join(OUT, f"tune-folds-{a.corpus}.zip")
    for f in [int(x) for x in a.folds.split(",")]:
        tr, te = files[f - 1]
        common = ["--data", tr, "--test", te, "--text", text, "--label", label, "--json", "--quiet", "--model", model]
        defaults = run(cli + ["train"] + common)["accuracy"]
        t = run(cli + ["tune", "--time-budget", f"{a.budget}s"] + common)
        tuned = t["test"]["accuracy"]
        best = t["best"]
        gain = "" if best["gain_vs_defaults"] is None else f"{best['gain_vs_defaults']:+.4f} ± {best['gain_se']:.4f}"
        seconds = sum(x["seconds"] for x in t["trials"])
        folds = t["trials"][0]["folds_run"]
        diff = (tuned - defaults) * 100
        gains.append(diff)
        print(f"| {f} | {defaults:.4f} | {tuned:.4f} | {best['trial']}{' (defaults)' if best['trial'] == 1 else ''} | {gain} | {folds} | "
              f"{', '.join(map(str, t.get('confirmed', [])))} | {t['ended']} | {seconds:.0f} | {diff:+.2f} |", flush=True)
    print(f"\nmean {sum(gains) / len(gains):+.2f} points, worst {min(gains):+.2f}")


if __name__ == "__main__":
    main()
