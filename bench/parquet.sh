#!/usr/bin/env bash
# Parquet against CSV for `classifier score` (issue "Batch scoring for data engineers"), in one run:
#   bench/parquet.sh [--rounds N]
# 1. The 150,640 20 Newsgroups documents of bench/score.sh, as CSV and as Parquet (written by hyparquet-writer, an
#    independent implementation, in row groups of 16,384 rows): score CSV -> CSV, Parquet -> CSV and Parquet -> Parquet,
#    beside `fasttext predict` on the same documents, taking turns, N rounds (default 3): wall time, docs/s, peak RSS.
# 2. The round trip: 1,003,200 AG News test documents (the file repeated 132 times), Parquet -> Parquet with every input
#    column kept, and CSV -> CSV: peak RSS of each, and whether the id, label and score of every row, read back by
#    hyparquet, match the CSV output's in order.
# Inputs and outputs go to bench/out/parquet (gitignored). Prints Markdown; the figures go to docs/benchmarks.md by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/../shared/datasets"
[ -f "$data/20newsgroups/test.csv" ] && [ -f "$data/agnews/test.csv" ] || { echo "$data is absent: nothing to measure"; exit 0; }
rounds=3
[ "${1:-}" = "--rounds" ] && rounds=$2
export CLASSIFIER_PARQUET_JS=${CLASSIFIER_PARQUET_JS:-$HOME/.cache/classifier-parquet-js/node_modules}
if [ ! -d "$CLASSIFIER_PARQUET_JS/hyparquet-writer" ]; then
  mkdir -p "$(dirname "$CLASSIFIER_PARQUET_JS")"
  (cd "$(dirname "$CLASSIFIER_PARQUET_JS")" && npm install --no-audit --no-fund --silent hyparquet@1.31.5 hyparquet-writer@0.17.0)
fi
command -v fasttext >/dev/null && [ -x /usr/bin/time ] || apt-get install -y fasttext time >/dev/null
out="$root/bench/out/parquet"
score="$root/bench/out/score"
mkdir -p "$out" "$score"
dotnet build -c Release "$root/src/Classifier.Cli" -v q -nologo >/dev/null
cli="$root/src/Classifier.Cli/bin/Release/net10.0/classifier"

echo "preparing inputs (not timed)" >&2
[ -f "$score/score-150k.csv" ] && [ -f "$score/score-150k.ft.txt" ] && [ -f "$score/score-ft-train.txt" ] \
  || /usr/bin/python3 "$root/bench/score-prepare.py" "$data/20newsgroups/train.csv" "$data/20newsgroups/test.csv" "$root/../shared/bench/anchors.py" "$score"
[ -f "$score/20ng.zip" ] || "$cli" train --data "$data/20newsgroups/train.csv" --model "$score/20ng.zip" --quiet
[ -f "$score/ft.bin" ] || fasttext supervised -input "$score/score-ft-train.txt" -output "$score/ft" -thread 2 -verbose 0 -wordNgrams 2 -dim 50 -lr 1.0 -epoch 25 -minCount 1
tojsonl() { python3 -c "
import csv, json, sys
csv.field_size_limit(sys.maxsize)
for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')): print(json.dumps(r, ensure_ascii=False))" "$1"; }
[ -f "$out/score-150k.parquet" ] || tojsonl "$score/score-150k.csv" | node --max-old-space-size=8192 "$root/bench/parquet-write.mjs" "$out/score-150k.parquet" 16384
if [ ! -f "$out/agnews-1m.parquet" ]; then
  python3 - "$data/agnews/test.csv" "$out/agnews-1m.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "label", "text"])
    n = 0
    for k in range(132):
        for r in rows:
            n += 1
            w.writerow([f"d{n}", r["label"], (r.get("title", "") + " " + r.get("description", r.get("text", ""))).strip()])
PY
  tojsonl "$out/agnews-1m.csv" | node --max-old-space-size=8192 "$root/bench/parquet-write.mjs" "$out/agnews-1m.parquet" 65536
fi

# timed NAME CMD...: runs CMD under /usr/bin/time -v; prints "wall_s peak_mb".
timed() {
  local name=$1; shift
  /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err" || { echo "failed: $*" >&2; cat "$out/$name.err" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
              /Maximum resident/ { m = $2 / 1024 } END { printf "%.2f %.0f\n", w, m }' "$out/$name.time"
}
docs=150640
echo "| round | CSV -> CSV s | MB | Parquet -> CSV s | MB | Parquet -> Parquet s | MB | fasttext predict s | MB | Parquet/CSV time | CSV docs/s ÷ fastText | Parquet docs/s ÷ fastText |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for r in $(seq 1 "$rounds"); do
  read -r cw cm < <(timed csv "$cli" score -m "$score/20ng.zip" -i "$score/score-150k.csv" -o "$out/scored-csv.csv" --keep none)
  read -r pw pm < <(timed pq-csv "$cli" score -m "$score/20ng.zip" -i "$out/score-150k.parquet" -o "$out/scored-pq.csv" --keep none)
  read -r qw qm < <(timed pq-pq "$cli" score -m "$score/20ng.zip" -i "$out/score-150k.parquet" -o "$out/scored-pq.parquet" --keep none)
  read -r fw fm < <(timed ft fasttext predict "$score/ft.bin" "$score/score-150k.ft.txt")
  python3 -c "
import sys
r, cw, cm, pw, pm, qw, qm, fw, fm = sys.argv[1:]
f = float
print(f'| {r} | {f(cw):.2f} | {cm} | {f(pw):.2f} | {pm} | {f(qw):.2f} | {qm} | {f(fw):.2f} | {fm} | {f(pw)/f(cw):.2f} | {f(fw)/f(cw):.2f}× | {f(fw)/f(pw):.2f}× |')" "$r" "$cw" "$cm" "$pw" "$pm" "$qw" "$qm" "$fw" "$fm"
done
# Without an id column the id is the record's position: its line in the CSV file (a document spans lines), its row in
# the Parquet file. Everything after the id must be byte-identical.
cmp -s <(cut -d, -f2- "$out/scored-csv.csv") <(cut -d, -f2- "$out/scored-pq.csv") && same150=yes || same150=NO
echo
echo "150,640 documents: Parquet -> CSV output, every column after the id, byte-identical to CSV -> CSV: $same150"

echo
echo "| round trip, 1,003,200 AG News documents | wall s | peak RSS MB |"
echo "|---|---|---|"
read -r w m < <(timed rt-pq "$cli" score -m "$score/20ng.zip" -i "$out/agnews-1m.parquet" -o "$out/agnews-1m-scored.parquet")
echo "| Parquet -> Parquet, every input column kept | $w | $m |"
read -r w2 m2 < <(timed rt-csv "$cli" score -m "$score/20ng.zip" -i "$out/agnews-1m.csv" -o "$out/agnews-1m-scored.csv")
echo "| CSV -> CSV, every input column kept | $w2 | $m2 |"
read -r w3 m3 < <(timed rt-pq-none "$cli" score -m "$score/20ng.zip" -i "$out/agnews-1m.parquet" -o "$out/agnews-1m-none.parquet" --keep id)
echo "| Parquet -> Parquet, only the id kept (\`--keep id\`) | $w3 | $m3 |"
read -r w4 m4 < <(timed rt-csv-none "$cli" score -m "$score/20ng.zip" -i "$out/agnews-1m.csv" -o "$out/agnews-1m-none.csv" --keep id)
echo "| CSV -> CSV, only the id kept | $w4 | $m4 |"
node --max-old-space-size=8192 "$root/bench/parquet-read.mjs" "$out/agnews-1m-scored.parquet" id,label,score > "$out/rt-pq.txt"
python3 - "$out/agnews-1m-scored.csv" "$out/rt-csv.txt" <<'PY'
import csv, sys
csv.field_size_limit(sys.maxsize)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
        f.write(f"{r['input_id'] if 'input_id' in r else r['id']},{r['label']},{r['score']}\n")
PY
rows=$(wc -l < "$out/rt-pq.txt")
cmp -s "$out/rt-pq.txt" "$out/rt-csv.txt" && same=yes || same=NO
echo
echo "Round trip: $rows rows read back by hyparquet; id, label and score equal to the CSV path's, in order: $same"
