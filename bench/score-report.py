#!/usr/bin/python3
"""Turns bench/score.sh results into tables, prints them, and writes them into docs/benchmarks.md, in the section
"## Batch scoring and prediction (`classifier score`, `classifier predict`)" under a sub-heading of its own,
"### LABEL" (LABEL from $BENCH_LABEL, else "commit COMMIT"): a later run with the same label replaces it, one with
another label is added after it, so "before" and "after" figures stand side by side. Other sections are left alone.
Usage: score-report.py RESULTS.tsv OUT_DIR BENCHMARKS.md LOADAVG IDENTICAL SKLEARN_LOAD COMMIT"""
import csv, datetime, json, os, platform, re, statistics, subprocess, sys, zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docsection

results_tsv, out, doc_path, loadavg, identical, sk_load, commit = sys.argv[1:8]
HEADING = "## Batch scoring and prediction (`classifier score`, `classifier predict`)"
label = os.environ.get("BENCH_LABEL") or f"commit {commit}"
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
        return int(m.group(2).replace(",", ""))
    except Exception:
        return None


def accuracy_of_scores(path):
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


mb = lambda path: os.path.getsize(path) / 1e6
ok = lambda b: "**met**" if b else "**not met**"

lines = ["| run | wall s | docs/s (whole process) | docs/s (scoring only) | peak RSS MB | load avg before → after |",
         "|---|---:|---:|---:|---:|---|"]
table = [("classifier train (train.csv, 11,314 docs, defaults)", "train-classifier"),
         ("classifier score, 15,064 docs, all cores", "score-15k"),
         ("classifier score, 150,640 docs, all cores", "score-150k"),
         ("classifier score, 150,640 docs, --threads 1", "score-150k-t1"),
         ("classifier score, 150,640 docs, --threads 2", "score-150k-t2"),
         ("classifier score, 150,640 docs, all cores, --keep all (default)", "score-150k-keepall"),
         ("fasttext supervised (fasttext-long preset)", "train-fasttext"),
         ("fasttext quantize (-qnorm -retrain -cutoff 100000)", "quantize-fasttext"),
         ("fasttext predict .bin, 150,640 docs (one thread)", "fasttext-predict-150k"),
         ("fasttext predict .ftz, 150,640 docs (one thread)", "fasttext-ftz-predict-150k")]
for text, name in table:
    r = rows[name]
    is_train = name.startswith(("train", "quantize"))
    own = tool_rate(name) if name.startswith("score") else None
    lines.append(f"| {text} | {r['wall']:.1f} | {'' if is_train else f'{rate(name):,.0f}'} | {'' if own is None else f'{own:,}'} | {r['rss_mb']:,.0f} | {r['load']} |")
lines.append(f"| scikit-learn vectorize + predict, 150,640 docs (fit not timed: {sk['fit_s']} s) | {sk['predict_s']:.1f} | "
             f"{sk['docs_per_s']:,} (in-process) | | {sk['max_rss_mb']:,} (whole script) | {sk_load} |")

model = os.path.join(out, "20ng.zip")
entries = ", ".join(f"`{i.filename}` {i.compress_size / 1e6:.1f} MB" for i in zipfile.ZipFile(model).infolist())
sizes = ["| model file | MB |", "|---|---:|",
         f"| classifier 20ng.zip ({entries}) | {mb(model):.1f} |",
         f"| fastText ft.bin | {mb(os.path.join(out, 'ft.bin')):.1f} |",
         f"| fastText ft.ftz (quantized) | {mb(os.path.join(out, 'ft.ftz')):.1f} |"]


def predict_stats(prefix):
    names = [n for n in rows if n.startswith(prefix) and not n.endswith("-warm")]
    walls = sorted(rows[n]["wall"] for n in names)
    rss = statistics.median(rows[n]["rss_mb"] for n in names)
    return statistics.median(walls), walls[0], walls[-1], rss, len(names)


latency = ["| predict one sentence, new process | median wall s | min – max | median peak RSS MB | runs |", "|---|---:|---:|---:|---:|"]
stats = {}
for text, prefix in (("classifier predict", "predict-classifier-"), ("fasttext predict-prob .bin", "predict-fasttext-bin-"),
                     ("fasttext predict-prob .ftz", "predict-fasttext-ftz-")):
    med, lo, hi, rss, n = stats[prefix] = predict_stats(prefix)
    latency.append(f"| {text} | {med:.3f} | {lo:.3f} – {hi:.3f} | {rss:,.0f} | {n} |")

vs_ft = rate("score-150k") / rate("fasttext-predict-150k")
vs_ftz = rate("score-150k") / rate("fasttext-ftz-predict-150k")
per_thread = rate("score-150k-t1") / rate("fasttext-predict-150k")
rss_ratio = rows["score-150k"]["rss_mb"] / rows["score-15k"]["rss_mb"]
speedup = rate("score-150k-t2") / rate("score-150k-t1")
lat = stats["predict-classifier-"][0] / stats["predict-fasttext-bin-"][0]
acc_cls = accuracy_of_scores(os.path.join(out, "scored-150k-all.csv"))
acc_ft = accuracy_of_fasttext(os.path.join(out, "fasttext-predict-150k.out"), os.path.join(out, "score-150k.csv"))
acc_ftz = accuracy_of_fasttext(os.path.join(out, "fasttext-ftz-predict-150k.out"), os.path.join(out, "score-150k.csv"))
ratios = ["| figure | value | target | |", "|---|---:|---:|---|",
          f"| classifier score docs/s ÷ fastText .bin predict docs/s (150,640 docs, whole process, all cores) | {vs_ft:.2f} | ≥ 2 (goal 5) | {ok(vs_ft >= 2)} |",
          f"| classifier score peak RSS, 150,640 docs | {rows['score-150k']['rss_mb']:,.0f} MB | ≤ 300 MB | {ok(rows['score-150k']['rss_mb'] <= 300)} |",
          f"| peak RSS at 150,640 ÷ peak RSS at 15,064 | {rss_ratio:.2f} | ≤ 1.2 (flat) | {ok(rss_ratio <= 1.2)} |",
          f"| classifier 20 Newsgroups model file | {mb(model):.1f} MB | ≤ 8 MB (goal 3.8) | {ok(mb(model) <= 8)} |",
          f"| classifier test accuracy (the 150,640 scored rows are the test set ×20) | {acc_cls:.4f} | ≥ 0.870 | {ok(acc_cls >= 0.870)} |",
          f"| classifier predict ÷ fastText .bin predict-prob, median wall | {lat:.2f} | ≤ 1 (goal 0.15 s) | {ok(lat <= 1)} |",
          f"| for information: classifier ÷ fastText .ftz docs/s | {vs_ftz:.2f} | | |",
          f"| for information: classifier 1 thread ÷ fastText .bin (one thread) docs/s | {per_thread:.2f} | | |",
          f"| for information: 2-thread ÷ 1-thread throughput | {speedup:.2f} | | |"]
quality = (f"Accuracy on the 150,640 documents: classifier {acc_cls:.4f}, fastText .bin {acc_ft:.4f}, fastText .ftz {acc_ftz:.4f}, "
           f"scikit-learn {sk['accuracy']:.4f}. The 1-thread and 2-thread outputs are byte-for-byte identical: {identical}.")

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
commands = "\n".join(short(rows[n]["cmd"]) for _, n in table)
commands += "\n" + short(rows["predict-classifier-1"]["cmd"]) + "\n" + short(rows["predict-fasttext-bin-1"]["cmd"]) + " < one-sentence.txt"

intro = f"""{HEADING}

`bench/score.sh`: 20 Newsgroups `test.csv` (7,532 documents, about 1.9 KB each) repeated in order ×2 (15,064) and ×20
(150,640 documents); the model is trained on `train.csv` with default settings. Every run is one whole process under
`/usr/bin/time -v`: wall time includes start-up and model loading, docs/s is documents ÷ wall time, and peak RSS is
"Maximum resident set size". "Scoring only" is the rate in the summary line that `classifier score` prints. Runs use
`--keep none` (id, label, score per row, like fastText's one label per line) except the one marked `--keep all`.
fastText uses the `fasttext-long` preset of `shared/bench/anchors.py` (its preprocessing too; the text file for
`predict` is prepared beforehand, not timed); `predict` of one sentence runs classifier and fastText in turns.
scikit-learn is the `sklearn-svm` system of anchors.py, timed inside Python on vectorize + predict only.
"""

section = f"""### {label}

Measured {date} at commit {commit}: {nproc} cores ({cpu}), load average before the run {loadavg}.

{chr(10).join(lines)}

{chr(10).join(sizes)}

{chr(10).join(latency)}

{chr(10).join(ratios)}

{quality}

The commands (`$DATA` = `../shared/datasets/20newsgroups`, `$OUT` = `bench/out/score`, `classifier` = the Release build):

```sh
{commands}
```
"""
print(section)
text = open(doc_path).read() if os.path.exists(doc_path) else "# Benchmarks\n"
found = docsection.span(text, HEADING)
if found is None:
    text = docsection.replace(text, HEADING, intro + "\n" + section)
else:
    start, end = found
    body = docsection.replace(text[start:end], "### " + label, section)
    text = text[:start] + body.rstrip("\n") + "\n" + ("\n" if end < len(text) else "") + text[end:]
with open(doc_path, "w") as f:
    f.write(text)
print(f"wrote '### {label}' into {doc_path}")
