#!/usr/bin/env python3
"""Regions that generalise: how a region model trained on the embedded corpus labels real articles.

Measures, for each variant (a name and extra `train` arguments, e.g. `places=--places`):
  1. region accuracy on the embedded corpus (`classifier train --label region`, 20% held out, seed 1);
  2. that model applied to the Reuters-21578 *train* articles whose places all map to one of the seven regions
     (data/maps/reuters-places-to-regions.csv): accuracy and macro-F1. The Reuters test set is never read here;
  3. Reuters places mapped to regions, trained on Reuters train and evaluated on Reuters test (multi-label micro-F1),
     which must not get worse;
  4. featurizing time (`score --verbose`, busy seconds of the featurizing stage, median of --runs runs taken in turns)
     of each variant's embedded region model on the Reuters train articles repeated 10 times.

Usage: python3 bench/regions.py [--variants base=,places=--places] [--write-doc]
Writes bench/out/regions/results.jsonl and, with --write-doc, the "Regions" section of docs/benchmarks.md.
"""
import argparse, csv, json, os, re, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets", "reuters21578")
OUT = os.path.join(ROOT, "bench", "out", "regions")
CLI = ["dotnet", os.path.join(ROOT, "src", "Classifier.Cli", "bin", "Release", "net10.0", "classifier.dll")]
MAP = os.path.join(ROOT, "data", "maps", "reuters-places-to-regions.csv")
sys.path.insert(0, os.path.join(ROOT, "bench"))
import docsection  # noqa: E402

csv.field_size_limit(sys.maxsize)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return p.stdout, p.stderr


def prepare():
    os.makedirs(OUT, exist_ok=True)
    regions = dict(csv.reader(open(MAP, newline="", encoding="utf-8")))
    single, repeated = os.path.join(OUT, "reuters-train-regions.csv"), os.path.join(OUT, "reuters-train-regions-x10.csv")
    with open(os.path.join(DATA, "train.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kept = []
    for r in rows:
        mapped = {regions[p] for p in r["places"].split(";") if p}
        if len(mapped) == 1:
            kept.append([r["id"], r["title"], r["text"], mapped.pop()])
    for path, times in ((single, 1), (repeated, 10)):
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
            w.writerow(["id", "title", "text", "region"])
            for _ in range(times):
                w.writerows(kept)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "reuters_prepare.py")], check=True, capture_output=True)
    return single, repeated, len(kept)


def featurize_seconds(model, data):
    _, err = run(CLI + ["score", "--model", model, "--input", data, "--text", "title,text", "--output", os.path.join(OUT, "scored.csv"),
                        "--threads", "1", "--verbose"])
    m = re.search(r"featuriz\w*\s+([0-9.]+)", err)
    return float(m.group(1)) if m else None


def featurize_medians(models, data, runs):
    """Median featurizing seconds of each model, the models taking turns run after run so that drift hits all alike."""
    times = {m: [] for m in models}
    for _ in range(runs):
        for m in models:
            times[m].append(featurize_seconds(m, data))
    return {m: statistics.median(t) for m, t in times.items()}


def variant(name, extra, single, repeated):
    model = os.path.join(OUT, f"region-{name}.zip")
    out, _ = run(CLI + ["train", "--label", "region", "--model", model, "--json", "--quiet", *extra])
    embedded = json.loads(out)["accuracy"]
    out, _ = run(CLI + ["evaluate", "--model", model, "--data", single, "--text", "title,text", "--label", "region", "--json", "--quiet"])
    reuters = json.loads(out)
    places_model = os.path.join(OUT, f"places-{name}.zip")
    r = os.path.join(ROOT, "bench", "out", "reuters")
    run(CLI + ["train", "--data", os.path.join(r, "places-train.csv"), "--test-fraction", "0", "--text", "title,text", "--label", "places",
               "--multi-label", "--label-map", MAP, "--model", places_model, "--quiet", *extra])
    out, _ = run(CLI + ["evaluate", "--model", places_model, "--data", os.path.join(r, "places-test.csv"), "--text", "title,text",
                        "--label", "places", "--label-map", MAP, "--json", "--quiet"])
    places = json.loads(out)
    na = next((c["recall"] for c in reuters["per_class"] if c["label"] == "north-america"), None)
    return dict(variant=name, args=" ".join(extra), embedded_accuracy=embedded, reuters_accuracy=reuters["accuracy"],
                reuters_macro_f1=reuters["macro_f1"], reuters_na_recall=na, reuters_log_loss=reuters["log_loss"],
                places_micro_f1=places["micro_f1"], places_macro_f1=places["macro_f1"], model=model)


def peers(single, systems):
    """The peers trained on the embedded corpus's region label and applied to the same Reuters train articles."""
    if not systems:
        return []
    embedded = os.path.join(ROOT, "data", "news-sample.csv")
    p = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "..", "shared", "bench", "anchors.py"), "--train", embedded, "--test", single,
                        "--label", "region", "--text", "title,text", "--systems", systems], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"peers failed: {p.stderr.strip()[-300:]}", file=sys.stderr)
        return []
    return [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="base=,places=--places")
    ap.add_argument("--write-doc", action="store_true")
    ap.add_argument("--runs", type=int, default=5, help="featurizing runs per model (median)")
    ap.add_argument("--peers", default="sklearn-svm,fasttext-long", help="peer systems of ../shared/bench/anchors.py, trained on the embedded corpus ('' for none)")
    a = ap.parse_args()
    if not os.path.isdir(DATA):
        print(f"{DATA} is absent: nothing to benchmark."); return
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "src", "Classifier.Cli"), "-v", "q", "-nologo"], check=True, capture_output=True)
    single, repeated, n = prepare()
    print(f"{n} Reuters train articles whose places map to one region", file=sys.stderr)
    results = []
    for spec in a.variants.split(","):
        name, _, args = spec.partition("=")
        results.append(variant(name, args.split() if args else [], single, repeated))
    others = peers(single, a.peers)
    medians = featurize_medians([d["model"] for d in results], repeated, a.runs)
    for d in results:
        d["featurize_s"] = medians.pop(d.pop("model"))
        print(json.dumps(d), flush=True)
    with open(os.path.join(OUT, "results.jsonl"), "a", encoding="utf-8") as f:
        for d in results:
            f.write(json.dumps(dict(d, date=time.strftime("%Y-%m-%d %H:%M"))) + "\n")
    base = results[0]["featurize_s"]
    lines = ["| variant | `train` arguments | embedded corpus region accuracy | Reuters train articles: accuracy | macro-F1 | North America recall | log-loss | Reuters places → regions micro-F1 | macro-F1 | featurizing (s) | vs first |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for d in results:
        ratio = f"{d['featurize_s'] / base:.3f}×" if base and d["featurize_s"] else "n/a"
        lines.append(f"| {d['variant']} | `{d['args'] or '(defaults)'}` | {d['embedded_accuracy']:.4f} | {d['reuters_accuracy']:.4f} | {d['reuters_macro_f1']:.4f} | "
                     f"{d['reuters_na_recall']:.4f} | {d['reuters_log_loss']:.3f} | {d['places_micro_f1']:.4f} | {d['places_macro_f1']:.4f} | {d['featurize_s']} | {ratio} |")
    for d in others:
        print(json.dumps(d), flush=True)
        lines.append(f"| peer: {d['system']} | trained on the embedded corpus | | {d['accuracy']:.4f} | {d['macro_f1']:.4f} | | | | | | |")
    table = "\n".join(lines)
    print(table)
    if a.write_doc:
        section = (f"## Regions that generalise\n\nMeasured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores with "
                   f"`python3 bench/regions.py --variants '{a.variants}' --write-doc`. The region model is trained on the embedded corpus "
                   f"(`classifier train --label region`) and applied to the {n:,} Reuters-21578 **train** articles whose places all map to one "
                   f"region (`data/maps/reuters-places-to-regions.csv`); the Reuters test set is used only for the places → regions row, "
                   f"trained on Reuters train. Featurizing is the median over {a.runs} runs, taken in turns, of the busy seconds of `score --verbose --threads 1` on those articles repeated 10 times (79,430 documents); loading the gazetteer (about 0.1 s) is part of loading the model, not of featurizing.\n\n{table}\n")
        docsection.update("## Regions that generalise", section)


if __name__ == "__main__":
    main()
