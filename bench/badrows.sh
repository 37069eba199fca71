#!/usr/bin/env bash
# What the bad-row bookkeeping (issue 25) costs on clean input: `classifier score` of this checkout against an earlier
# build, taking turns, on the 150,640-document 20 Newsgroups inputs of bench/score.sh (CSV, and the same rows as JSON
# Lines), 2 threads, whole process under /usr/bin/time.
#   BASE_CLI=/path/to/old/classifier bench/badrows.sh [RUNS]
# BASE_CLI is a build of the commit to compare with, e.g.
#   git worktree add /tmp/base cb707fd && dotnet build -c Release /tmp/base/src/Classifier.Cli
#   BASE_CLI=/tmp/base/src/Classifier.Cli/bin/Release/net10.0/classifier bench/badrows.sh 7
# Prints one line per run and the median wall time of each, and their ratio. Also checks that the outputs agree row for
# row apart from the new `error` column (empty on clean input). Exits 0 with a message when the inputs are absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/out/score"
runs=${1:-7}
: "${BASE_CLI:?set BASE_CLI to the classifier executable of the build to compare with}"
if [ ! -f "$out/score-150k.csv" ] || [ ! -f "$out/20ng.zip" ]; then
  echo "run bench/score.sh first (it prepares $out/score-150k.csv), and train $out/20ng.zip:"
  echo "  classifier train --data ../shared/datasets/20newsgroups/train.csv --model $out/20ng.zip --test-fraction 0"
  exit 0
fi
dotnet build -c Release "$root/src/Classifier.Cli" -v q -nologo >/dev/null
new="$root/src/Classifier.Cli/bin/Release/net10.0/classifier"
if [ ! -f "$out/score-150k.jsonl" ]; then
  /usr/bin/python3 - "$out/score-150k.csv" "$out/score-150k.jsonl" <<'PY'
import csv, json, sys
csv.field_size_limit(10**9)
rows = csv.reader(open(sys.argv[1], newline='', encoding='utf-8'))
header = next(rows)
with open(sys.argv[2], 'w', encoding='utf-8') as f:
    for i, row in enumerate(rows):
        f.write(json.dumps({'id': str(i + 1), **dict(zip(header, row))}, ensure_ascii=False) + '\n')
PY
fi
wall() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
for input in score-150k.csv score-150k.jsonl; do
  ext=${input##*.}
  : > "$out/badrows-$ext.tsv"
  for i in $(seq 1 "$runs"); do
    b=$(wall "$BASE_CLI" score -m "$out/20ng.zip" -i "$out/$input" --text text -o "$out/base.$ext" --quiet)
    n=$(wall "$new" score -m "$out/20ng.zip" -i "$out/$input" --text text -o "$out/new.$ext" --quiet)
    printf '%s\t%s\n' "$b" "$n" >> "$out/badrows-$ext.tsv"
    echo "$input run $i: earlier build ${b} s, this checkout ${n} s"
  done
  sort -n -k1 "$out/badrows-$ext.tsv" | awk -v f="$input" '{ b[NR] = $1 } END { m = b[int((NR + 1) / 2)]; printf "%s: earlier build median %.2f s\n", f, m }'
  sort -n -k2 "$out/badrows-$ext.tsv" | awk -v f="$input" '{ n[NR] = $2 } END { m = n[int((NR + 1) / 2)]; printf "%s: this checkout median %.2f s\n", f, m }'
  awk '{ printf "%.4f\n", $2 / $1 }' "$out/badrows-$ext.tsv" | sort -n \
    | awk -v f="$input" '{ r[NR] = $1 } END { printf "%s: ratio this/earlier, run by run: median %.3f (min %.3f, max %.3f)\n", f, r[int((NR + 1) / 2)], r[1], r[NR] }'
done
/usr/bin/python3 - "$out" <<'PY'
import csv, sys
csv.field_size_limit(10**9)
out = sys.argv[1]
a = csv.reader(open(f"{out}/new.csv", newline='', encoding='utf-8'))
b = csv.reader(open(f"{out}/base.csv", newline='', encoding='utf-8'))
differ = sum(1 for i, (x, y) in enumerate(zip(a, b)) if i > 0 and (x[:-1] != y or x[-1] != ''))
print(f"CSV rows that differ apart from the empty error column: {differ}")
PY
