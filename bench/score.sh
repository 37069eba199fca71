#!/usr/bin/env bash
# Benchmark of `classifier score` against fastText and scikit-learn predict, on 20 Newsgroups.
#   bench/score.sh            runs everything and rewrites the "Batch scoring" section of docs/benchmarks.md
# Inputs (under bench/out/score/, gitignored): the test file repeated to 20,000 and 200,000 documents. The model is
# trained on the train file with default settings. Each measured command runs under /usr/bin/time -v: whole-process
# wall time (so model loading and start-up count), docs/s = documents / wall time, and peak RSS.
# Exits 0 with a message when ../shared/datasets is absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared="$root/../shared"
data="$shared/datasets/20newsgroups"
anchors="$shared/bench/anchors.py"
if [ ! -f "$data/train.csv" ] || [ ! -f "$data/test.csv" ]; then
  echo "20 Newsgroups not found under $shared/datasets; nothing to benchmark"
  exit 0
fi
[ -f "$anchors" ] || { echo "$anchors not found; nothing to benchmark"; exit 0; }

# Peers, from Debian packages, installed only if missing. Debian's python3-sklearn lives in the system interpreter
# (the one anchors.py names), not in any other python3 that may come first on PATH.
py=/usr/bin/python3
missing=()
command -v fasttext >/dev/null || missing+=(fasttext)
{ [ -x "$py" ] && "$py" -c 'import sklearn' 2>/dev/null; } || missing+=(python3-sklearn)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get install -y "${missing[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
fi

out="$root/bench/out/score"
mkdir -p "$out"
results="$out/results.tsv"
: > "$results"

echo "building Release"
dotnet build -c Release "$root/src/Classifier.Cli" -v q -nologo >/dev/null
cli="$root/src/Classifier.Cli/bin/Release/net10.0/classifier"

echo "preparing inputs (not timed)"
"$py" "$root/bench/score-prepare.py" "$data/train.csv" "$data/test.csv" "$anchors" "$out"

# measure NAME DOCS CMD... : runs CMD under /usr/bin/time -v (stdout to $out/NAME.out) and appends a result row,
# with the 1-minute load average just before and just after the run (the machine may be shared).
measure() {
  local name=$1 docs=$2 load0
  shift 2
  echo "  $name: $*"
  load0=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err" || {
    echo "failed: $*"; cat "$out/$name.err"; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/$name.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$docs" "$wall" "$rss" "$load0 → $(cut -d' ' -f1 /proc/loadavg)" "$*" >>"$results"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

echo "training the classifier on $data/train.csv (default settings)"
measure train-classifier 11314 "$cli" train --data "$data/train.csv" --model "$out/20ng.zip" --quiet

echo "scoring"
# A first run, not measured, warms the disk cache for the model and the input.
"$cli" score --model "$out/20ng.zip" --input "$out/score-20k.csv" --output "$out/warmup-scored.csv" --keep none --quiet 2>/dev/null
measure score-20k 20000 "$cli" score --model "$out/20ng.zip" --input "$out/score-20k.csv" --output "$out/scored-20k.csv" --keep none
measure score-200k 200000 "$cli" score --model "$out/20ng.zip" --input "$out/score-200k.csv" --output "$out/scored-200k.csv" --keep none
measure score-200k-t1 200000 "$cli" score --model "$out/20ng.zip" --input "$out/score-200k.csv" --output "$out/scored-200k-t1.csv" --keep none --threads 1
measure score-200k-t2 200000 "$cli" score --model "$out/20ng.zip" --input "$out/score-200k.csv" --output "$out/scored-200k-t2.csv" --keep none --threads 2
measure score-200k-keepall 200000 "$cli" score --model "$out/20ng.zip" --input "$out/score-200k.csv" --output "$out/scored-200k-all.csv"
cmp -s "$out/scored-200k-t1.csv" "$out/scored-200k-t2.csv" && identical=yes || identical=NO

echo "fastText (fasttext-long preset of anchors.py)"
measure train-fasttext 11314 fasttext supervised -input "$out/score-ft-train.txt" -output "$out/ft" -thread 2 -verbose 0 \
  -wordNgrams 2 -dim 50 -lr 1.0 -epoch 25 -minCount 1
measure fasttext-predict-200k 200000 fasttext predict "$out/ft.bin" "$out/score-200k.ft.txt"

echo "scikit-learn (sklearn-svm of anchors.py; fit not timed)"
sk_load0=$(cut -d' ' -f1 /proc/loadavg)
"$py" "$root/bench/score-sklearn.py" "$data/train.csv" "$out/score-200k.csv" >"$out/sklearn.json"
sk_load="$sk_load0 → $(cut -d' ' -f1 /proc/loadavg)"
cat "$out/sklearn.json"

"$py" "$root/bench/score-report.py" "$results" "$out" "$root/docs/benchmarks.md" "$load_before" "$identical" "$sk_load"
