#!/usr/bin/env python3
"""Measures classifier's default settings against the peers (../shared/bench/anchors.py) in one run.

Corpora (../shared/datasets): 20 Newsgroups train -> test; BBC News and AG News test, 5-fold stratified
cross-validation with seed 1 (the same fold files for every system); Reuters-21578 ModApte topics (multi-label,
the standard 90 categories) and places mapped to regions. Prints one Markdown table per task and writes them
into docs/benchmarks.md between the markers of this script's section.

The multilingual corpus (data/fixtures/multilingual-news.csv, written for this project) is opt-in: --corpora multilingual.

Usage: bench/compare.py [--corpora 20ng,bbc,agnews,reuters,multilingual] [--skip-peers] [--peers fasttext-long,sklearn-svm]
"""
import argparse, csv, json, os, random, re, shutil, signal, subprocess, sys, tempfile, time

csv.field_size_limit(sys.maxsize)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets")
ANCHORS = os.path.join(ROOT, "..", "shared", "bench", "anchors.py")
OUT = os.path.join(ROOT, "bench", "out")
CLI = ["dotnet", os.path.join(ROOT, "src", "Classifier.Cli", "bin", "Release", "net10.0", "classifier.dll")]
MARK_BEGIN, MARK_END = "<!-- compare.py begin -->", "<!-- compare.py end -->"
MULTI_BEGIN, MULTI_END = "<!-- compare.py multilingual begin -->", "<!-- compare.py multilingual end -->"


def timed(cmd, timeout=None):
    """Runs cmd under /usr/bin/time -v; returns (stdout, wall seconds, peak RSS in MB), or None after timeout seconds.

    The command runs in its own process group so that a timeout also stops the grandchildren (anchors.py starts fasttext).
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-v", "-o", t.name] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            return None
        wall = time.perf_counter() - start
        if p.returncode != 0:
            sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
        rss = next(int(l.split()[-1]) for l in open(t.name) if "Maximum resident" in l) / 1024
    return out, wall, rss


PEER_PY = "/usr/bin/python3"  # Debian's python3-sklearn lives in the system interpreter, not in any other python3 on PATH


# fastText's autotune sometimes runs far past its -autotune-duration (seen here: 15 minutes on one BBC fold instead of
# about 3). A peer run that exceeds its budget is stopped and reported as timed out rather than holding the whole run.
PEER_TIMEOUT_S = {"fasttext-autotune": 600}
PEER_TIMEOUT_DEFAULT_S = 1800
TIMED_OUT = []  # (corpus, system) of peer runs that were stopped


def anchors(train, test, label, text, multi=None, corpus=""):
    """Runs each peer system of anchors.py in its own process under /usr/bin/time, so that each gets a peak RSS."""
    systems = "fasttext,fasttext-long,fasttext-autotune,sklearn-svm,sklearn-cnb" if not multi else "fasttext-long,sklearn-svm"
    rows = []
    for system in systems.split(","):
        if PEERS and system not in PEERS:
            continue
        cmd = [PEER_PY, ANCHORS, "--train", train, "--test", test, "--label", label, "--text", text, "--systems", system]
        if multi:
            cmd += ["--multi-label", multi]
        got = cached(cmd, lambda: timed(cmd, PEER_TIMEOUT_S.get(system, PEER_TIMEOUT_DEFAULT_S)))
        if got is None:
            print(f"  {system} on {os.path.basename(test)}: stopped after {PEER_TIMEOUT_S.get(system, PEER_TIMEOUT_DEFAULT_S)} s", file=sys.stderr)
            TIMED_OUT.append((corpus, system))
            continue
        out, _, rss = got
        for line in out.splitlines():
            if line.startswith("{"):
                d = json.loads(line)
                d["peak_rss_mb"] = round(rss)
                print(f"  {d['system']} on {os.path.basename(test)}: {json.dumps({k: v for k, v in d.items() if k != 'system'})}", file=sys.stderr)
                rows.append(d)
    return rows


CACHE = os.path.join(OUT, "compare-cache.jsonl")
OURS_ARGS = []


def cached(cmd, run):
    """With --resume, reuses the result of an identical command from an earlier, interrupted run of this script."""
    key = json.dumps(cmd)
    if RESUME and os.path.exists(CACHE):
        for line in open(CACHE, encoding="utf-8"):
            d = json.loads(line)
            if d["cmd"] == key:
                return d["result"]
    result = run()
    with open(CACHE, "a", encoding="utf-8") as f:
        f.write(json.dumps({"cmd": key, "result": result}) + "\n")
    return result


RESUME = False
PEERS = None  # --peers: the peer systems to run (all when None)


def install_peers():
    """Installs fastText, scikit-learn and GNU time from Debian when missing (needs root)."""
    missing = [pkg for pkg, ok in (("fasttext", shutil.which("fasttext")),
                                   ("python3-sklearn", subprocess.run([PEER_PY, "-c", "import sklearn"], capture_output=True).returncode == 0),
                                   ("time", os.path.exists("/usr/bin/time"))) if not ok]
    if not missing:
        return
    print(f"installing {' '.join(missing)}", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, check=True, capture_output=True)


def ours(train, test, label, text, extra=(), eval_extra=()):
    model = os.path.join(OUT, "compare-model.zip")
    train_cmd = CLI + ["train", "--data", train, "--test-fraction", "0", "--text", text, "--label", label,
                       "--model", model, "--quiet", *extra, *OURS_ARGS]
    eval_cmd = CLI + ["evaluate", "--model", model, "--data", test, "--text", text, "--label", label, "--json", "--quiet",
                      *eval_extra]

    def run():
        _, train_wall, rss = timed(train_cmd)
        out, predict_wall, _ = timed(eval_cmd)
        d = json.loads(out)
        d.update(system="classifier (defaults)", train_s=round(train_wall, 2), predict_s=round(predict_wall, 2), peak_rss_mb=round(rss))
        return d

    d = cached(train_cmd + ["&&"] + eval_cmd, run)
    print(f"  classifier on {os.path.basename(test)}: accuracy {d.get('accuracy', d.get('micro_f1')):.4f}, train {d['train_s']} s", file=sys.stderr)
    return d


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def folds(path, label, k, seed, name):
    """Writes k stratified train/test fold files; returns [(train, test)]."""
    rows = read(path)
    by = {}
    for r in rows:
        by.setdefault(r[label], []).append(r)
    rnd, assign, n = random.Random(seed), [], 0
    for lab in sorted(by):
        group = by[lab]
        rnd.shuffle(group)
        for r in group:
            assign.append((n % k, r)); n += 1
    fields = list(rows[0].keys())
    paths = []
    for f in range(k):
        tr, te = (os.path.join(OUT, f"{name}-fold{f + 1}-{p}.csv") for p in ("train", "test"))
        for p, keep in ((tr, lambda x: x != f), (te, lambda x: x == f)):
            with open(p, "w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fields, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
                w.writeheader()
                w.writerows(r for x, r in assign if keep(x))
        paths.append((tr, te))
    return paths


def mean_rows(results):
    """Averages per-fold result dicts of each system."""
    by = {}
    for r in results:
        by.setdefault(r["system"], []).append(r)
    out, most = [], max(len(rs) for rs in by.values())
    for system, rs in by.items():
        m = {"system": system if len(rs) == most else f"{system} ({len(rs)} of {most} folds; the others timed out)"}
        for key in rs[0]:
            if isinstance(rs[0][key], (int, float)) and key != "system":
                m[key] = sum(r[key] for r in rs) / len(rs)
        out.append(m)
    return out


def table(title, rows, multi=False):
    head = "| corpus | system | micro-F1 | macro-F1 | exact match | train s | predict s | peak RSS MB |" if multi else \
           "| corpus | system | accuracy | macro-F1 | train s | predict s | peak RSS MB |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        rss = f"{r['peak_rss_mb']:.0f}" if "peak_rss_mb" in r else "n/a"
        if multi:
            lines.append(f"| {title} | {r['system']} | {r['micro_f1']:.4f} | {r['macro_f1']:.4f} | {r.get('exact_match', float('nan')):.4f} | {r['train_s']:.1f} | {r['predict_s']:.1f} | {rss} |")
        else:
            lines.append(f"| {title} | {r['system']} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} | {r['train_s']:.1f} | {r['predict_s']:.1f} | {rss} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="20ng,bbc,agnews,reuters")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--ours-args", default="", help="extra `train` arguments for our runs, e.g. --ours-args=--places (then docs/benchmarks.md is left alone)")
    ap.add_argument("--resume", action="store_true", help="reuse results of identical commands from an interrupted run")
    ap.add_argument("--peers", help="comma-separated peer systems to run (default: all of anchors.py's)")
    a = ap.parse_args()
    global RESUME, PEERS, OURS_ARGS
    RESUME = a.resume
    OURS_ARGS = a.ours_args.split()
    PEERS = set(a.peers.split(",")) if a.peers else None
    if not os.path.isdir(DATA):
        print(f"{DATA} is absent: nothing to benchmark."); return
    os.makedirs(OUT, exist_ok=True)
    if not a.resume and os.path.exists(CACHE):
        os.remove(CACHE)
    if not a.skip_peers:
        install_peers()
    elif not os.path.exists("/usr/bin/time"):
        sys.exit("/usr/bin/time is missing: apt-get install -y time")
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "src", "Classifier.Cli"), "-v", "q", "-nologo"], check=True, capture_output=True)
    peers = (lambda *x, **k: []) if a.skip_peers else anchors
    sections = []
    want = a.corpora.split(",")
    if "20ng" in want:
        tr, te = (os.path.join(DATA, "20newsgroups", f"{p}.csv") for p in ("train", "test"))
        rows = [ours(tr, te, "label", "text")] + peers(tr, te, "label", "text", corpus="20ng")
        sections.append(table("20 Newsgroups (train → test)", rows))
    for name, path, label, text in (("bbc", "bbc/all.csv", "label", "text"), ("agnews", "agnews/test.csv", "label", "title,description"),
                                    ("multilingual", os.path.join(ROOT, "data", "fixtures", "multilingual-news.csv"), "label", "text")):
        if name not in want:
            continue
        results = []
        for tr, te in folds(os.path.join(DATA, path), label, 5, 1, name):
            results += [ours(tr, te, label, text)] + peers(tr, te, label, text, corpus=name)
        title = {"bbc": "BBC News (5-fold CV)", "agnews": "AG News test set (5-fold CV)",
                 "multilingual": "Multilingual fixture: zh, ja, th, ru, ar (5-fold CV)"}[name]
        sections.append(table(title, mean_rows(results)))
    if "reuters" in want:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "reuters_prepare.py")], check=True, capture_output=True)
        r = os.path.join(OUT, "reuters")
        tr, te = os.path.join(r, "topics-train.csv"), os.path.join(r, "topics-test.csv")
        rows = [ours(tr, te, "topics", "title,text", ["--multi-label"])] + peers(tr, te, "topics", "title,text", multi=";", corpus="reuters")
        sections.append(table("Reuters-21578 topics (ModApte, 90 categories)", rows, multi=True))
        tr, te = os.path.join(r, "places-train.csv"), os.path.join(r, "places-test.csv")
        region_map = ["--label-map", os.path.join(ROOT, "data", "maps", "reuters-places-to-regions.csv")]
        rows = [ours(tr, te, "places", "title,text", ["--multi-label", *region_map], region_map)]
        sections.append(table("Reuters-21578 places mapped to 7 regions", rows, multi=True))
    body = "\n\n".join(sections)
    if TIMED_OUT:
        body += "\n\nStopped after their time budget (" + ", ".join(f"{k}: {v} s" for k, v in PEER_TIMEOUT_S.items()) + \
                f", others {PEER_TIMEOUT_DEFAULT_S} s): " + ", ".join(f"{s} on {c}" for c, s in TIMED_OUT) + "."
    print(body)
    stamp = f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores with `bench/compare.py --corpora {a.corpora}" + \
            (f" --peers {a.peers}" if a.peers else "") + "`."
    if OURS_ARGS:
        print(f"(with --ours-args: docs/benchmarks.md left alone)", file=sys.stderr)
    elif want == ["multilingual"]:
        # Its own section, so that measuring it leaves the table of the news corpora alone.
        update_doc(f"{MULTI_BEGIN}\n{stamp}\n\n{body}\n{MULTI_END}", MULTI_BEGIN, MULTI_END, "## Multilingual text (scripts without spaces)")
    else:
        update_doc(f"{MARK_BEGIN}\n{stamp}\n\n{body}\n{MARK_END}")


def update_doc(section, begin=MARK_BEGIN, end=MARK_END, heading="## Accuracy and speed against the peers"):
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmarks\n"
    if begin in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip() + f"\n\n{heading}\n\n" + section + "\n"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main()
