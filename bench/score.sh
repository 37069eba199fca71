#!/usr/bin/env bash
# Benchmark of `classifier score` and `classifier predict` against fastText (and scikit-learn), on 20 Newsgroups.
#   bench/score.sh            runs everything and rewrites the "Batch scoring" section of docs/benchmarks.md
# Inputs (under bench/out/score/, gitignored): the test file repeated to 15,064 (x2) and 150,640 (x20) documents.
# The model is trained on the train file with default settings. Each measured command runs under /usr/bin/time -v:
# whole-process wall time (so model loading and start-up count), docs/s = documents / wall time, and peak RSS.
# Also measured: the model file's size (and fastText's .bin and quantized .ftz), and the latency of predicting one
# sentence in a new process, classifier and fastText taking turns (PREDICT_RUNS each, default 7; the median is quoted).
# Exits 0 with a message when ../shared/datasets is absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared="$root/../shared"
data="$shared/datasets/20newsgroups"
anchors="$shared/bench/anchors.py"
runs=${PREDICT_RUNS:-7}
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
[ -f "$out/score-150k.csv" ] && [ -f "$out/score-150k.ft.txt" ] && [ -f "$out/score-ft-train.txt" ] \
  || "$py" "$root/bench/score-prepare.py" "$data/train.csv" "$data/test.csv" "$anchors" "$out"

# measure NAME DOCS CMD... : runs CMD under /usr/bin/time -v (stdout to $out/NAME.out) and appends a result row,
# with the 1-minute load average just before and just after the run (the machine may be shared).
measure() {
  local name=$1 docs=$2 load0
  shift 2
  echo "  $name: $*"
  load0=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err" <"${STDIN:-/dev/null}" || {
    echo "failed: $*"; cat "$out/$name.err"; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/$name.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$docs" "$wall" "$rss" "$load0 → $(cut -d' ' -f1 /proc/loadavg)" "$*" >>"$results"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

echo "training the classifier on $data/train.csv (default settings; evaluated on test.csv)"
measure train-classifier 11314 "$cli" train --data "$data/train.csv" --test "$data/test.csv" --model "$out/20ng.zip" --quiet

echo "scoring"
# A first run, not measured, warms the disk cache for the model and the input.
"$cli" score --model "$out/20ng.zip" --input "$out/score-15k.csv" --output "$out/warmup-scored.csv" --keep none --quiet 2>/dev/null
measure score-15k 15064 "$cli" score --model "$out/20ng.zip" --input "$out/score-15k.csv" --output "$out/scored-15k.csv" --keep none
measure score-150k 150640 "$cli" score --model "$out/20ng.zip" --input "$out/score-150k.csv" --output "$out/scored-150k.csv" --keep none
measure score-150k-t1 150640 "$cli" score --model "$out/20ng.zip" --input "$out/score-150k.csv" --output "$out/scored-150k-t1.csv" --keep none --threads 1
measure score-150k-t2 150640 "$cli" score --model "$out/20ng.zip" --input "$out/score-150k.csv" --output "$out/scored-150k-t2.csv" --keep none --threads 2
measure score-150k-keepall 150640 "$cli" score --model "$out/20ng.zip" --input "$out/score-150k.csv" --output "$out/scored-150k-all.csv"
cmp -s "$out/scored-150k-t1.csv" "$out/scored-150k-t2.csv" && identical=yes || identical=NO

echo "fastText (fasttext-long preset of anchors.py: -wordNgrams 2 -dim 50 -epoch 25 -lr 1.0)"
measure train-fasttext 11314 fasttext supervised -input "$out/score-ft-train.txt" -output "$out/ft" -thread 2 -verbose 0 \
  -wordNgrams 2 -dim 50 -lr 1.0 -epoch 25 -minCount 1
measure quantize-fasttext 11314 fasttext quantize -input "$out/score-ft-train.txt" -output "$out/ft" -qnorm -retrain -cutoff 100000 -thread 2 -verbose 0
measure fasttext-predict-150k 150640 fasttext predict "$out/ft.bin" "$out/score-150k.ft.txt"
measure fasttext-ftz-predict-150k 150640 fasttext predict "$out/ft.ftz" "$out/score-150k.ft.txt"

echo "predict one sentence in a new process, $runs runs each, taking turns"
sentence="The goalie stopped every shot and the team won the playoff game in overtime"
printf '%s\n' "$sentence" > "$out/one-sentence.txt"
for i in $(seq 0 "$runs"); do
  # Run 0 warms the disk cache and is not counted.
  tag=$([ "$i" = 0 ] && echo warm || echo "$i")
  measure "predict-classifier-$tag" 1 "$cli" predict --model "$out/20ng.zip" "$sentence"
  STDIN="$out/one-sentence.txt" measure "predict-fasttext-bin-$tag" 1 fasttext predict-prob "$out/ft.bin" -
  STDIN="$out/one-sentence.txt" measure "predict-fasttext-ftz-$tag" 1 fasttext predict-prob "$out/ft.ftz" -
done

echo "scikit-learn (sklearn-svm of anchors.py; fit not timed)"
sk_load0=$(cut -d' ' -f1 /proc/loadavg)
"$py" "$root/bench/score-sklearn.py" "$data/train.csv" "$out/score-150k.csv" >"$out/sklearn.json"
sk_load="$sk_load0 → $(cut -d' ' -f1 /proc/loadavg)"
cat "$out/sklearn.json"

"$cli" info --model "$out/20ng.zip" > "$out/info.txt" || true
"$py" "$root/bench/score-report.py" "$results" "$out" "$root/docs/benchmarks.md" "$load_before" "$identical" "$sk_load" "$(git -C "$root" rev-parse --short HEAD)"
