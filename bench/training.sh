#!/usr/bin/env bash
# Training speed and memory against scikit-learn, in one run (issue "One training workflow: featurize once, fit many").
#
#   bench/training.sh [--base DLL] [--rounds N] [--tune SECONDS]
#
# Each round runs, in turn: classifier `train --test` on 20 Newsgroups (the whole process, under /usr/bin/time -v),
# scikit-learn's LinearSVC fit + predict on the same files (../shared/bench/anchors.py, its own timings), the same on
# Reuters-21578 topics (ours: `train --test-fraction 0`, the whole process, against scikit-learn's fit), and
# `cross-validate --folds 5` against `train --test-fraction 0` on 20 Newsgroups train. With --base, an earlier build's
# classifier.dll runs the same commands in the same round, so that every ratio is taken on one machine state.
# With --tune S, `tune --time-budget S` on 20 Newsgroups train counts the fold fits of each build.
# Prints Markdown tables; the figures go to docs/benchmarks.md by hand, with the command that made them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/../shared/datasets"
[ -d "$data/20newsgroups" ] || { echo "$data is absent: nothing to measure"; exit 0; }
base="" rounds=2 tune=0
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --tune) tune=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install -y time" >&2; exit 2; }
/usr/bin/python3 -c "import sklearn" 2>/dev/null || { echo "scikit-learn is missing: apt-get install -y python3-sklearn" >&2; exit 2; }
dotnet build -c Release "$root/src/Classifier.Cli" -v q -nologo >/dev/null
ours="$root/src/Classifier.Cli/bin/Release/net10.0/classifier.dll"
out="$root/bench/out/training"
mkdir -p "$out"
python3 "$root/bench/reuters_prepare.py" >/dev/null
ng="$data/20newsgroups" reu="$root/bench/out/reuters"

# timed NAME CMD...: runs CMD under /usr/bin/time -v, keeps its stdout in $out/NAME.out, prints "wall_s peak_mb".
timed() {
  local name=$1; shift
  /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err"
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
              /Maximum resident/ { m = $2 / 1024 } END { printf "%.2f %.0f\n", w, m }' "$out/$name.time"
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join(str(round(d[k], 4)) for k in sys.argv[2:]))" "$@"; }

builds=("new:$ours")
[ -n "$base" ] && builds+=("base:$base")
echo "| round | build | 20NG train --test s | peak MB | accuracy | log-loss | sklearn fit+predict s | ratio | Reuters train s | micro-F1 | macro-F1 | sklearn fit s | ratio | CV 5 folds s | train s | CV/train |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for r in $(seq 1 "$rounds"); do
  sk=$(/usr/bin/python3 "$root/../shared/bench/anchors.py" --train "$ng/train.csv" --test "$ng/test.csv" --label label --text text --systems sklearn-svm | tail -1)
  sk_ng=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(round(d['train_s'] + d['predict_s'], 2))" "$sk")
  skr=$(/usr/bin/python3 "$root/../shared/bench/anchors.py" --train "$reu/topics-train.csv" --test "$reu/topics-test.csv" --label topics --text title,text --multi-label ';' --systems sklearn-svm | tail -1)
  sk_reu=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['train_s'])" "$skr")
  for b in "${builds[@]}"; do
    name=${b%%:*} dll=${b#*:}
    read -r w m < <(timed "$name-ng" dotnet "$dll" train --data "$ng/train.csv" --test "$ng/test.csv" --model "$out/$name-ng.zip" --json --quiet)
    read -r acc ll < <(json "$out/$name-ng.out" accuracy log_loss)
    read -r rw _ < <(timed "$name-reu" dotnet "$dll" train --data "$reu/topics-train.csv" --test-fraction 0 --label topics --text title,text --multi-label --model "$out/$name-reu.zip" --quiet)
    timed "$name-reu-eval" dotnet "$dll" evaluate --model "$out/$name-reu.zip" --data "$reu/topics-test.csv" --json --quiet >/dev/null
    read -r mi ma < <(json "$out/$name-reu-eval.out" micro_f1 macro_f1)
    read -r cw _ < <(timed "$name-cv" dotnet "$dll" cross-validate --data "$ng/train.csv" --folds 5 --json --quiet)
    read -r tw _ < <(timed "$name-tr" dotnet "$dll" train --data "$ng/train.csv" --test-fraction 0 --model "$out/$name-tr.zip" --quiet)
    python3 - "$r" "$name" "$w" "$m" "$acc" "$ll" "$sk_ng" "$rw" "$mi" "$ma" "$sk_reu" "$cw" "$tw" <<'EOF'
import sys
r, name, w, m, acc, ll, sk, rw, mi, ma, skr, cw, tw = sys.argv[1:]
f = float
print(f"| {r} | {name} | {f(w):.1f} | {m} | {acc} | {ll} | {f(sk):.1f} | {f(w)/f(sk):.2f} | {f(rw):.1f} | {mi} | {ma} | {f(skr):.1f} | {f(rw)/f(skr):.2f} | {f(cw):.1f} | {f(tw):.1f} | {f(cw)/f(tw):.2f} |")
EOF
  done
done

if [ "$tune" -gt 0 ]; then
  echo
  echo "| build | tune --time-budget ${tune}s: trials | fold fits | best settings | best CV accuracy |"
  echo "|---|---|---|---|---|"
  for b in "${builds[@]}"; do
    name=${b%%:*} dll=${b#*:}
    timed "$name-tune" dotnet "$dll" tune --data "$ng/train.csv" --time-budget "${tune}s" --json --quiet --model "$out/$name-tune.zip" >/dev/null
    python3 - "$name" "$out/$name-tune.out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[2]))
fits = sum(t["folds_run"] for t in d["trials"])
print(f"| {sys.argv[1]} | {len(d['trials'])} | {fits} | {json.dumps(d['best']['settings'])} | {d['best']['cv_score']} |")
EOF
  done
fi
