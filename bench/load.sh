#!/usr/bin/env bash
# Load benchmark of `classifier score`: a generated CSV of at least 1 GB, scored in one run.
#   bench/load.sh              generates the input (once), scores it, and rewrites the "Load (1 GB input)" section of
#                              docs/benchmarks.md (only that section)
#   LOAD_BYTES=2000000000 bench/load.sh    a bigger input (default 1,100,000,000 bytes, so > 1 GB and > 1 GiB)
#   LOAD_THREADS=4 bench/load.sh           --threads for score (default 0 = all cores)
# What it shows:
#   - peak RSS of the whole process (/usr/bin/time -v), and RSS sampled every second (ps -o rss) to show that memory
#     stays flat while gigabytes stream through;
#   - the summary line's counts: scored + skipped must equal the number of data rows written, skipped must equal the
#     bad rows planted at known positions, and the output must hold one row per scored document.
# Everything it writes goes to bench/out/load/ (gitignored). Exits non-zero if a check fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/out/load"
mkdir -p "$out"
bytes=${LOAD_BYTES:-1100000000}
threads=${LOAD_THREADS:-0}
input="$out/load-input.csv"
model="$out/model.zip"
scored="$out/scored.csv"

[ -x /usr/bin/time ] || { echo "installing time (for /usr/bin/time -v)"; apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }; }

echo "building Release"
dotnet build -c Release "$root/src/Classifier.Cli" -v q -nologo >/dev/null
cli="$root/src/Classifier.Cli/bin/Release/net10.0/classifier"

echo "training on data/news-sample.csv (label topic, text title,text)"
"$cli" train --data "$root/data/news-sample.csv" --label topic --text title,text --model "$model" --quiet >"$out/train.out"

# The input: rows of data/news-sample.csv repeated with unique ids ("L<n>") and a copy number in the text, and five
# bad rows at known positions, one of each kind the reader skips. Written once; its facts go to input.facts.
if [ ! -f "$input" ] || [ ! -f "$out/input.facts" ] || [ "$(sed -n 's/^target_bytes=//p' "$out/input.facts")" != "$bytes" ]; then
  echo "generating $input (>= $bytes bytes)"
  python3 - "$root/data/news-sample.csv" "$input" "$bytes" >"$out/input.facts" <<'EOF'
import csv, sys
sample, path, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.reader(open(sample, encoding="utf-8")))[1:]
def field(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\r\n') else s
encoded = [(field(r[1]), r[2]) for r in rows]
# Data row number (1-based, after the header) -> raw bytes of a bad row, and why the reader skips it.
bad = {
    100_000: (b'bad-ragged,Title,one field too many,extra\n', "row has 4 fields, header has 3"),
    600_000: (b'bad-utf8,Title,broken \xff\xfe bytes\n', "invalid UTF-8 bytes in column 'text'"),
    1_100_000: (b'bad-empty,,\n', "empty text"),
    1_600_000: (b'bad-stray,Title,a "stray" quote\n', "unbalanced quote: a quote inside an unquoted field"),
    1_900_000: (b'bad-after,"Title"x,text after the closing quote\n', "unbalanced quote: text after the closing quote of a field"),
}
written = 0
n = 0
planted = []
with open(path, "wb", buffering=1 << 22) as f:
    header = b"id,title,text\n"
    f.write(header)
    written = len(header)
    copy = 0
    while written < target or n < max(bad):
        for title, text in encoded:
            n += 1
            if n in bad:
                line, why = bad[n]
                planted.append((n, n + 1, why))
            else:
                line = f"L{n},{title},{field(f'{text} (copy {copy})')}\n".encode("utf-8")
            f.write(line)
            written += len(line)
            if written >= target and n >= max(bad):
                break
        copy += 1
print(f"target_bytes={target}")
print(f"bytes={written}")
print(f"rows={n}")
print(f"bad_rows={len(planted)}")
for row, line, why in planted:
    print(f"bad=row {row} (line {line}): {why}")
EOF
fi
cat "$out/input.facts"
rows=$(sed -n 's/^rows=//p' "$out/input.facts")
bad=$(sed -n 's/^bad_rows=//p' "$out/input.facts")
size=$(stat -c %s "$input")

cmd=("$cli" score --model "$model" --input "$input" --output "$scored" --keep none --threads "$threads")
echo "scoring: ${cmd[*]}"
rm -f "$scored" "$out/rss.tsv"
SECONDS=0
/usr/bin/time -v -o "$out/score.time" "${cmd[@]}" 2>"$out/score.err" &
timer=$!
# RSS of the classifier process (the child of /usr/bin/time) once a second, until it ends.
child=""
for _ in $(seq 1 100); do child=$(pgrep -P "$timer" || true); [ -n "$child" ] && break; sleep 0.05; done
printf 'seconds\trss_kb\n' >"$out/rss.tsv"
while [ -n "$child" ] && kill -0 "$child" 2>/dev/null; do
  rss=$(ps -o rss= -p "$child" 2>/dev/null | tr -d ' ' || true)
  [ -n "$rss" ] && printf '%s\t%s\n' "$SECONDS" "$rss" >>"$out/rss.tsv"
  sleep 1
done
status=0
wait "$timer" || status=$?
[ "$status" -eq 0 ] || { echo "score failed with exit $status"; tail -5 "$out/score.err"; exit 1; }

python3 - "$out" "$rows" "$bad" "$size" "$root/docs/benchmarks.md" "$threads" "${cmd[*]}" <<'EOF'
import re, statistics, subprocess, sys, os, platform
out, rows, bad, size, doc, threads, command = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
root = os.path.dirname(os.path.dirname(doc))
command = command.replace(root + "/", "")
err = open(f"{out}/score.err", encoding="utf-8", errors="replace").read().splitlines()
summary = err[-1]
m = re.match(r"scored ([\d,]+) documents in ([\d.]+) s \(([\d,]+) docs/s\); skipped ([\d,]+) rows", summary)
if not m:
    sys.exit(f"no summary line at the end of stderr: {summary}")
scored, seconds, rate, skipped = int(m[1].replace(",", "")), float(m[2]), int(m[3].replace(",", "")), int(m[4].replace(",", ""))
warnings = [l for l in err if l.startswith("warning: skipped ")]
with open(f"{out}/scored.csv", "rb") as f:
    output_rows = sum(1 for _ in f) - 1
t = open(f"{out}/score.time").read()
peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)[1])
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t)[1]
wall_s = 0.0
for part in wall.split(":"):
    wall_s = wall_s * 60 + float(part)
samples = [tuple(map(int, l.split("\t"))) for l in open(f"{out}/rss.tsv").read().splitlines()[1:] if l.strip()]
checks = {
    "scored + skipped = data rows written": scored + skipped == rows,
    "skipped = bad rows planted": skipped == bad,
    "output rows = scored": output_rows == scored,
    "one warning per bad row": len(warnings) == bad,
}
# Flat memory: after the first tenth of the run (start-up, model load, buffers filling), the RSS of the last half stays
# within 10 % of the RSS of the first half's peak.
steady = samples[max(1, len(samples) // 10):]
half = len(steady) // 2
first, second = [r for _, r in steady[:half]], [r for _, r in steady[half:]]
flat = bool(first and second) and max(second) <= 1.10 * max(first)
checks["RSS flat (2nd-half peak <= 1.10 x 1st-half peak)"] = flat

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
nproc = os.cpu_count()
mb = lambda kb: f"{kb / 1024:,.0f} MB"
# RSS at each tenth of the run.
marks = []
for k in range(0, 11):
    i = min(len(samples) - 1, round(k * (len(samples) - 1) / 10))
    marks.append(samples[i])

lines = [
    "## Load (1 GB input)",
    "",
    "`bench/load.sh` scores one generated CSV of more than 1 GB in a single run, samples the process's RSS every second",
    "(`ps -o rss`) next to `/usr/bin/time -v`'s peak, and checks the summary line's counts against the rows it wrote. The",
    "input repeats the rows of `data/news-sample.csv` with unique ids (`L<n>`) and plants five bad rows at known positions,",
    "one of each kind the reader skips (a ragged row, invalid UTF-8, empty text, a stray quote, text after a closing",
    "quote). The model is trained on `data/news-sample.csv` (`--label topic --text title,text`, default settings).",
    "",
    f"Machine: {cpu}, {nproc} cores, {mem / 1024 / 1024:.0f} GB RAM. Release build. Command (`--keep none`, so the output holds",
    "id, label and score):",
    "",
    "```sh",
    f"/usr/bin/time -v {command}",
    "```",
    "",
    "| | |",
    "|---|---|",
    f"| input | {size:,} bytes ({size / 2**30:.2f} GiB), {rows:,} data rows, {bad} bad |",
    f"| summary line | `{summary}` |",
    f"| wall time (whole process) | {wall_s:,.1f} s, {scored / wall_s:,.0f} docs/s, {size / wall_s / 1e6:,.1f} MB/s |",
    f"| peak RSS (`/usr/bin/time -v`) | {mb(peak)} |",
    f"| RSS after the first tenth of the run | min {mb(min(r for _, r in steady))}, median {mb(statistics.median(r for _, r in steady))}, max {mb(max(r for _, r in steady))} ({len(samples)} samples) |",
    "",
    "RSS at each tenth of the run:",
    "",
    "| " + " | ".join(f"{k * 10}%" for k in range(11)) + " |",
    "|" + "---|" * 11,
    "| " + " | ".join(f"{r / 1024:,.0f}" for _, r in marks) + " |",
    "",
    "(MB; the samples are in `bench/out/load/rss.tsv`.)",
    "",
    "Checks:",
    "",
] + [f"- {'pass' if ok else 'FAIL'}: {name}" for name, ok in checks.items()] + [
    "",
    "The bad rows were reported as:",
    "",
] + [f"- `{w.replace(out + '/', 'bench/out/load/')}`" for w in warnings] + [""]
section = "\n".join(lines)

text = open(doc, encoding="utf-8").read() if os.path.exists(doc) else "# Benchmarks\n"
start = text.find("## Load (1 GB input)")
if start < 0:
    text = text.rstrip("\n") + "\n\n" + section
else:
    end = text.find("\n## ", start + 3)
    text = text[:start] + section + ("" if end < 0 else "\n" + text[end + 1:])
open(doc, "w", encoding="utf-8").write(text.rstrip("\n") + "\n")
print(section)
if not all(checks.values()):
    sys.exit("some checks failed")
EOF
