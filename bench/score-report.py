#!/usr/bin/python3
"""Turns bench/score.sh results into a table, prints it, and writes it into the section
"## Batch scoring (`classifier score`)" of docs/benchmarks.md (that section only; others are left as they are).
Usage: score-report.py RESULTS.tsv OUT_DIR BENCHMARKS.md LOADAVG IDENTICAL SKLEARN_LOAD"""
import csv, datetime, json, os, platform, re, subprocess, sys

results_tsv, out, doc_path, loadavg, identical, sk_load = sys.argv[1:7]
HEADING = "## Batch scoring (`classifier score`)"
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

rows = {}
with open(results_tsv) as f:
    for name, docs, wall, rss, load, cmd in csv.reader(f, delimiter="\t"):
        rows[name] = dict(docs=int(docs), wall=float(wall), rss_mb=int(rss) / 1024, load=load, cmd=cmd)
sk = json.load(open(os.path.join(out, "sklearn.json")))


def short(cmd):
    """Commands as run, with the long absolute paths written relative to the repository."""
    cmd = cmd.replace(os.path.join(root, "src/Classifier.Cli/bin/Release/net10.0/classifier"), "classifier")
    cmd = cmd.replace(os.path.join(root, "bench/out/score") + "/", "$OUT/")
    cmd = cmd.replace(os.path.normpath(os.path.join(root, "..", "shared", "datasets", "20newsgroups")) + "/", "$DATA/")
    cmd = cmd.replace(os.path.join(root, "..", "shared", "datasets", "20newsgroups") + "/", "$DATA/")
    return cmd


def tool_rate(name):
    """docs/s from the summary line that `classifier score` prints (scoring only, without start-up and model load)."""
    try:
        last = open(os.path.join(out, name + ".err")).read().strip().splitlines()[-1]
        m = re.search(r"in ([\d.]+) s \(([\d,]+) docs/s\)", last)
        return float(m.group(1)), int(m.group(2).replace(",", ""))
    except Exception:
        return None, None


def accuracy_of_scores(path):
    """Share of rows whose predicted label equals the input's label (kept as input_label)."""
    csv.field_size_limit(sys.maxsize)
    right = total = 0
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            total += 1
            right += r["label"] == r["input_label"]
    return right / total if total else float("nan")


def accuracy_of_fasttext(pred_path, test_csv):
    csv.field_size_limit(sys.maxsize)
    with open(test_csv, newline="", encoding="utf-8") as f:
        gold = [r["label"] for r in csv.DictReader(f)]
    preds = [l.strip().replace("__label__", "") for l in open(pred_path)]
    return sum(p == g for p, g in zip(preds, gold)) / len(gold)


def rate(name):
    r = rows[name]
    return r["docs"] / r["wall"]


lines = []
table = [("classifier train (train.csv, 11,314 docs, defaults)", "train-classifier"),
         ("classifier score, 20k docs, all cores", "score-20k"),
         ("classifier score, 200k docs, all cores", "score-200k"),
         ("classifier score, 200k docs, --threads 1", "score-200k-t1"),
         ("classifier score, 200k docs, --threads 2", "score-200k-t2"),
         ("classifier score, 200k docs, all cores, --keep all (default)", "score-200k-keepall"),
         ("fasttext supervised (fasttext-long preset)", "train-fasttext"),
         ("fasttext predict, 200k docs", "fasttext-predict-200k")]
lines.append("| run | wall s | docs/s (whole process) | docs/s (scoring only) | peak RSS MB | load avg before → after |")
lines.append("|---|---:|---:|---:|---:|---|")
for label, name in table:
    r = rows[name]
    is_train = name.startswith("train")
    secs, own = tool_rate(name) if name.startswith("score") else (None, None)
    lines.append(f"| {label} | {r['wall']:.1f} | {'' if is_train else f'{rate(name):,.0f}'} | {'' if own is None else f'{own:,}'} | {r['rss_mb']:,.0f} | {r['load']} |")
lines.append(f"| scikit-learn vectorize + predict, 200k docs (fit not timed: {sk['fit_s']} s) | {sk['predict_s']:.1f} | "
             f"{sk['docs_per_s']:,} (in-process) | | {sk['max_rss_mb']:,} (whole script) | {sk_load} |")

vs_ft = rate("score-200k") / rate("fasttext-predict-200k")
vs_sk = rate("score-200k") / (sk["docs"] / sk["predict_s"])
rss_ratio = rows["score-200k"]["rss_mb"] / rows["score-20k"]["rss_mb"]
speedup = rate("score-200k-t2") / rate("score-200k-t1")
ok = lambda b: "**met**" if b else "**not met**"
ratios = ["| ratio | value | target | |", "|---|---:|---:|---|",
          f"| classifier docs/s ÷ fastText predict docs/s (200k, whole process) | {vs_ft:.2f} | ≥ 1 | {ok(vs_ft >= 1)} |",
          f"| peak RSS at 200k ÷ peak RSS at 20k | {rss_ratio:.2f} | ≤ 1.2 | {ok(rss_ratio <= 1.2)} |",
          f"| 2-thread ÷ 1-thread throughput (200k) | {speedup:.2f} | ≥ 1.7 | {ok(speedup >= 1.7)} |",
          f"| classifier docs/s ÷ scikit-learn vectorize+predict docs/s (for information) | {vs_sk:.2f} | | |"]

try:
    acc_cls = accuracy_of_scores(os.path.join(out, "scored-200k-all.csv"))
    acc_ft = accuracy_of_fasttext(os.path.join(out, "fasttext-predict-200k.out"), os.path.join(out, "score-200k.csv"))
    quality = (f"Accuracy on the 200k documents (the test set repeated): classifier {acc_cls:.4f}, fastText {acc_ft:.4f}, "
               f"scikit-learn {sk['accuracy']:.4f}.")
except Exception as e:  # the figures above stand without it
    quality = f"(accuracy not computed: {e})"

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
commands = "\n".join(short(rows[n]["cmd"]) for _, n in table)

section = f"""{HEADING}

Measured by `bench/score.sh` on {date}: {nproc} cores ({cpu}), load average before the run {loadavg}
(the machine is shared, so other work may have run at the same time). Input: 20 Newsgroups `test.csv` (7,532
documents, about 1.9 KB each) repeated in order to 20,000 and 200,000 documents; model trained on `train.csv` with
default settings. Every run is one whole process under `/usr/bin/time -v`: wall time includes start-up and model
loading, docs/s is documents ÷ wall time, and peak RSS is "Maximum resident set size". "Scoring only" is the rate in
the summary line that `classifier score` prints. Runs use `--keep none` (id, label, score per row, like fastText's
one label per line) except the one marked `--keep all`, which copies every input column (the whole text) to the output.
fastText uses the `fasttext-long` preset of `shared/bench/anchors.py` (its preprocessing too; the text file for
`predict` is prepared beforehand, not timed); scikit-learn is its `sklearn-svm` system, timed inside Python on
vectorize + predict only.

{chr(10).join(lines)}

{chr(10).join(ratios)}

{quality} The 1-thread and 2-thread outputs are byte-for-byte identical: {identical}.

Reproduce with `bench/score.sh`. The commands it runs, each measured one under `/usr/bin/time -v`
(`$DATA` = `../shared/datasets/20newsgroups`, `$OUT` = `bench/out/score`, `classifier` = the Release build,
`python3` = `/usr/bin/python3`, where Debian's scikit-learn is):

```sh
python3 bench/score-prepare.py $DATA/train.csv $DATA/test.csv ../shared/bench/anchors.py $OUT   # inputs, not timed
{commands}
python3 bench/score-sklearn.py $DATA/train.csv $OUT/score-200k.csv   # times vectorize + predict itself
```
"""

print(section)
text = open(doc_path).read() if os.path.exists(doc_path) else "# Benchmarks\n"
start = text.find(HEADING + "\n")
if start < 0:
    text = text.rstrip("\n") + "\n\n" + section
else:
    nxt = re.search(r"^## ", text[start + len(HEADING):], re.M)
    end = start + len(HEADING) + nxt.start() if nxt else len(text)
    text = text[:start] + section + ("\n" if nxt else "") + text[end:]
os.makedirs(os.path.dirname(doc_path), exist_ok=True)
with open(doc_path, "w") as f:
    f.write(text)
print(f"wrote the section into {doc_path}")
