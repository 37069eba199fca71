#!/usr/bin/env bash
# Latency of `classifier predict` on one sentence in a new process, as a user runs it: the tool that `dotnet pack`
# makes and `dotnet tool install` installs (ReadyToRun for this platform), beside the plain Release build (compiled as
# it runs) and fastText's predict-prob with its .bin and .ftz models, taking turns (bench/predict_latency.py).
#   bench/predict.sh [RUNS]    (default 7; one more run of each warms the caches and is not counted)
# Needs bench/out/score/20ng.zip, ft.bin and ft.ftz, which bench/score.sh makes; exits 0 with a message without them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-7}
out="$root/bench/out/score"
for f in 20ng.zip ft.bin ft.ftz; do
  [ -f "$out/$f" ] || { echo "$out/$f not found: run bench/score.sh first"; exit 0; }
done
command -v fasttext >/dev/null || { echo "fasttext not found (apt-get install fasttext)"; exit 0; }
tool="$root/bench/out/tool"
echo "packing and installing the tool under $tool" >&2
rm -rf "$tool"
dotnet pack "$root/src/Classifier.Cli" -o "$tool/packages" -v q -nologo >/dev/null
dotnet tool install --tool-path "$tool/bin" --add-source "$tool/packages" Classifier >/dev/null
dotnet build -c Release "$root/src/Classifier.Cli" -v q -nologo >/dev/null
sentence="The goalie stopped every shot and the team won the playoff game in overtime"
printf '%s\n' "$sentence" > "$out/one-sentence.txt"
echo "commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/bench/predict_latency.py" "$runs" \
  "classifier predict (installed tool, ReadyToRun)" "$tool/bin/classifier predict --model $out/20ng.zip '$sentence'" \
  "classifier predict (Release build, compiled as it runs)" "$root/src/Classifier.Cli/bin/Release/net10.0/classifier predict --model $out/20ng.zip '$sentence'" \
  "fasttext predict-prob .bin" "fasttext predict-prob $out/ft.bin - < $out/one-sentence.txt" \
  "fasttext predict-prob .ftz" "fasttext predict-prob $out/ft.ftz - < $out/one-sentence.txt"
