#!/usr/bin/env python3
"""Times commands in a new process each, taking turns: wall time (perf_counter around fork to exit) and peak RSS
(the child's ru_maxrss from wait4). Run 0 of each warms the caches and is not counted.
usage: predict_latency.py RUNS NAME 'COMMAND' [NAME 'COMMAND' ...]   (a COMMAND may end in '< FILE' for stdin)
Prints one Markdown row per command: name, median wall s, min - max, median peak RSS MB, runs."""
import os, shlex, statistics, subprocess, sys, time

def run(command):
    stdin = subprocess.DEVNULL
    if " < " in command:
        command, path = command.rsplit(" < ", 1)
        stdin = open(path.strip(), "rb")
    start = time.perf_counter()
    p = subprocess.Popen(shlex.split(command), stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed (exit {os.waitstatus_to_exitcode(status)}): {command}")
    return wall, usage.ru_maxrss / 1024

runs = int(sys.argv[1])
pairs = list(zip(sys.argv[2::2], sys.argv[3::2]))
results = {name: [] for name, _ in pairs}
for i in range(runs + 1):
    for name, command in pairs:
        r = run(command)
        if i > 0:
            results[name].append(r)
print("| command | median wall s | min – max | median peak RSS MB | runs |")
print("|---|---|---|---|---|")
for name, rs in results.items():
    walls = [w for w, _ in rs]
    print(f"| {name} | {statistics.median(walls):.3f} | {min(walls):.3f} – {max(walls):.3f} | {statistics.median(m for _, m in rs):.0f} | {len(rs)} |")
