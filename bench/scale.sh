#!/usr/bin/env bash
# Training at scale: synthetic corpora from ../shared/bench/synth_corpus.py (seed 1), trained with
# `--test-fraction 0.02` under /usr/bin/time -v; rewrites the "Training at scale" section of docs/benchmarks.md.
#   bench/scale.sh              100 MB and 1000 MB
#   SCALE_SIZES="100" bench/scale.sh    only the sizes given (MB)
# The corpora are written once to bench/out/scale/ (gitignored) and reused. Exits 0 when ../shared is absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
synth="$root/../shared/bench/synth_corpus.py"
source_csv="$root/../shared/datasets/20newsgroups/train.csv"
[ -f "$synth" ] && [ -f "$source_csv" ] || { echo "$synth or 20 Newsgroups not found; nothing to benchmark"; exit 0; }
[ -x /usr/bin/time ] || { apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }; }
sizes=${SCALE_SIZES:-"100 1000"}
out="$root/bench/out/scale"
mkdir -p "$out"
echo "building Release"
dotnet build -c Release "$root/src/Classifier.Cli" -v q -nologo >/dev/null
cli="$root/src/Classifier.Cli/bin/Release/net10.0/classifier"
results="$out/results.tsv"
: > "$results"
for mb in $sizes; do
  corpus="$out/synth-$mb.csv"
  [ -f "$corpus" ] || { echo "writing $corpus"; python3 "$synth" --megabytes "$mb" --out "$corpus" --seed 1 --source "$source_csv"; }
  bytes=$(stat -c %s "$corpus")
  echo "training on $corpus ($bytes bytes)"
  /usr/bin/time -v -o "$out/train-$mb.time" "$cli" train --data "$corpus" --test-fraction 0.02 --model "$out/model-$mb.zip" \
    >"$out/train-$mb.out" 2>"$out/train-$mb.err" || { echo "failed"; tail -5 "$out/train-$mb.err"; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out/train-$mb.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/train-$mb.time")
  acc=$(awk '/^accuracy/ { print $2 }' "$out/train-$mb.out")
  printf '%s\t%s\t%s\t%s\t%s\n' "$mb" "$bytes" "$wall" "$rss" "$acc" >>"$results"
  echo "  $mb MB: $wall s, peak RSS $((rss / 1024)) MB, accuracy $acc"
done
python3 - "$results" "$root/docs/benchmarks.md" "$out" <<'PY'
import re, sys, datetime, os
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
heading = "## Training at scale (synthetic corpora)"
lines = [heading, "",
         f"`bench/scale.sh`, {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: `../shared/bench/synth_corpus.py --megabytes N --seed 1`,",
         "then `classifier train --data synth-N.csv --test-fraction 0.02` under `/usr/bin/time -v` (whole process, default settings).", "",
         "| corpus | bytes | wall s | peak RSS MB | RSS bytes per input byte | held-out accuracy |", "|---|---:|---:|---:|---:|---:|"]
for mb, size, wall, rss, acc in rows:
    lines.append(f"| synthetic {mb} MB | {int(size):,} | {float(wall):.1f} | {int(rss) / 1024:,.0f} | {int(rss) * 1024 / int(size):.1f} | {acc} |")
if len(rows) >= 2:
    (m0, s0, w0, r0, _), (m1, s1, w1, r1, _) = rows[0], rows[-1]
    lines += ["", f"Wall time {m1} MB ÷ {m0} MB: {float(w1) / float(w0):.1f} (input ratio {int(s1) / int(s0):.1f})."]
section = "\n".join(lines) + "\n"
print(section)
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[2])) + "/../bench")
import docsection
text = docsection.replace(open(sys.argv[2]).read(), heading, section)
open(sys.argv[2], "w").write(text)
PY
