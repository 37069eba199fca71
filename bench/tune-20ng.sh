#!/usr/bin/env bash
# Chooses featurizer and trainer defaults by cross-validation on the 20 Newsgroups TRAIN file only
# (the test file is never read here). Usage: bench/tune-20ng.sh "--c 0.5" "--c 1" ...
# Prints one line per setting: mean accuracy and macro-F1 over 3 folds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/../shared/datasets/20newsgroups/train.csv"
[ -f "$data" ] || { echo "20 Newsgroups not found at $data; nothing to tune"; exit 0; }
dotnet build -c Release "$root/src/Classifier.Cli" -v q -nologo >/dev/null
cli="dotnet $root/src/Classifier.Cli/bin/Release/net10.0/classifier.dll"
for setting in "$@"; do
  # shellcheck disable=SC2086
  out=$($cli cross-validate --data "$data" --folds 3 --json --quiet $setting)
  python3 "$root/bench/cv_summary.py" "$out" "$setting"
done
