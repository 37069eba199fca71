#!/usr/bin/env python3
"""`classifier tune` against our defaults and fastText's autotune, with the same time budget, in one run.

For each corpus: our defaults (`classifier train --data TRAIN --test TEST`), `classifier tune --data TRAIN --test TEST
--time-budget B` (the search sees TRAIN only; TEST scores the final model) and fastText `-autotune-validation` through
../shared/bench/anchors.py with `--autotune-seconds B` on the same files. 20 Newsgroups uses its train/test split; BBC
and AG News use fold 1 of bench/compare.py's stratified 5 folds (seed 1).

Usage: python3 bench/tune.py [--corpora 20ng,bbc,agnews] [--budget 300] [--write-doc]
"""
import argparse, json, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets")
OUT = os.path.join(ROOT, "bench", "out", "tune")
CLI = ["dotnet", os.path.join(ROOT, "src", "Classifier.Cli", "bin", "Release", "net10.0", "classifier.dll")]
ANCHORS = os.path.join(ROOT, "..", "shared", "bench", "anchors.py")
sys.path.insert(0, os.path.join(ROOT, "bench"))
import compare  # noqa: E402  (its fold writer)
import docsection  # noqa: E402


def run(cmd):
    start = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return p.stdout, time.time() - start


def corpus_files(name):
    if name == "20ng":
        return os.path.join(DATA, "20newsgroups", "train.csv"), os.path.join(DATA, "20newsgroups", "test.csv"), "label", "text"
    path, label, text = {"bbc": ("bbc/all.csv", "label", "text"), "agnews": ("agnews/test.csv", "label", "title,description")}[name]
    tr, te = compare.folds(os.path.join(DATA, path), label, 5, 1, name)[0]
    return tr, te, label, text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="20ng,bbc,agnews")
    ap.add_argument("--budget", type=int, default=300)
    ap.add_argument("--write-doc", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(DATA):
        print(f"{DATA} is absent: nothing to benchmark."); return
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "src", "Classifier.Cli"), "-v", "q", "-nologo"], check=True, capture_output=True)
    os.makedirs(OUT, exist_ok=True)
    compare.install_peers()
    rows = []
    for name in a.corpora.split(","):
        tr, te, label, text = corpus_files(name)
        common = ["--data", tr, "--test", te, "--text", text, "--label", label, "--json", "--quiet"]
        out, secs = run(CLI + ["train", *common, "--model", os.path.join(OUT, f"{name}-defaults.zip")])
        d = json.loads(out)
        rows.append(dict(corpus=name, system="classifier (defaults)", accuracy=d["accuracy"], macro_f1=d["macro_f1"], seconds=round(secs, 1), note=""))
        print(json.dumps(rows[-1]), flush=True)
        out, secs = run(CLI + ["tune", *common, "--time-budget", f"{a.budget}s", "--model", os.path.join(OUT, f"{name}-tuned.zip")])
        d = json.loads(out)
        done = sum(1 for t in d["trials"] if t["status"] == "done")
        pruned = sum(1 for t in d["trials"] if t["status"] == "pruned")
        note = (f"{len(d['trials'])} trials ({done} done, {pruned} pruned); CV {d['metric']} {d['best']['cv_score']} vs defaults {d['baseline']['cv_score']}; "
                f"best `{' '.join(str(k) + '=' + str(v) for k, v in d['best']['settings'].items())}`")
        rows.append(dict(corpus=name, system=f"classifier tune ({a.budget} s)", accuracy=d["test"]["accuracy"], macro_f1=d["test"]["macro_f1"],
                         seconds=round(secs, 1), note=note))
        print(json.dumps(rows[-1]), flush=True)
        out, secs = run([compare.PEER_PY, ANCHORS, "--train", tr, "--test", te, "--label", label, "--text", text, "--systems", "fasttext-autotune",
                         "--autotune-seconds", str(a.budget)])
        for line in out.splitlines():
            if line.startswith("{"):
                d = json.loads(line)
                rows.append(dict(corpus=name, system=f"fastText autotune ({a.budget} s)", accuracy=d["accuracy"], macro_f1=d["macro_f1"], seconds=round(secs, 1), note=""))
                print(json.dumps(rows[-1]), flush=True)
    lines = ["| corpus | system | test accuracy | test macro-F1 | wall s | search |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['corpus']} | {r['system']} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} | {r['seconds']} | {r['note']} |")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(OUT, "results.jsonl"), "a", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(dict(r, date=time.strftime("%Y-%m-%d %H:%M"))) + "\n")
    if a.write_doc:
        section = (f"## Tuning (`classifier tune`) against fastText autotune\n\nMeasured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores with "
                   f"`python3 bench/tune.py --corpora {a.corpora} --budget {a.budget} --write-doc`, all rows in one run. `tune` searches by 3-fold "
                   f"cross-validation of the training file only; the test file scores the final model. 20 Newsgroups: its train/test split; BBC and AG "
                   f"News: fold 1 of bench/compare.py's stratified 5 folds (seed 1). fastText: `-autotune-validation` through anchors.py.\n\n{table}\n")
        docsection.update("## Tuning (`classifier tune`) against fastText autotune", section)


if __name__ == "__main__":
    main()
