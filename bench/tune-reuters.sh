#!/usr/bin/env bash
# Chooses multi-label defaults by 3-fold cross-validation on the Reuters-21578 ModApte TRAIN part only
# (bench/out/reuters/topics-train.csv from bench/reuters_prepare.py; the test part is never read here).
# Usage: bench/tune-reuters.sh "--min-validation-f1 0.3" ...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$root/../shared/datasets/reuters21578" ] || { echo "Reuters-21578 not found; nothing to tune"; exit 0; }
python3 "$root/bench/reuters_prepare.py" 2>/dev/null
dotnet build -c Release "$root/src/Classifier.Cli" -v q -nologo >/dev/null
cli="dotnet $root/src/Classifier.Cli/bin/Release/net10.0/classifier.dll"
for setting in "$@"; do
  # shellcheck disable=SC2086
  out=$($cli cross-validate --data "$root/bench/out/reuters/topics-train.csv" --text title,text --label topics --multi-label --folds 3 --json --quiet $setting)
  python3 - "$out" "$setting" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
print(f'{sys.argv[2]:40s} microF1 {d["micro_f1_mean"]:.4f}  macroF1 {d["macro_f1_mean"]:.4f}  exact {d["exact_match_mean"]:.4f}', flush=True)
PY
done
