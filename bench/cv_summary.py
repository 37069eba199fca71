"""Prints one line from `classifier cross-validate --json` output: setting, mean accuracy, macro-F1, train seconds."""
import json, sys

d = json.loads(sys.argv[1])
train_s = sum(f["train_seconds"] for f in d["folds"]) / len(d["folds"])
print(f'{sys.argv[2]:40s} acc {d["accuracy_mean"]:.4f} ± {d["accuracy_std"]:.4f}  macroF1 {d["macro_f1_mean"]:.4f}  train_s {train_s:.1f}', flush=True)
