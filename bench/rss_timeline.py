#!/usr/bin/env python3
"""Runs a command and samples its resident memory every half second, printed beside its stderr's progress lines.

  python3 bench/rss_timeline.py CMD [ARG ...]

Each progress line of the command (stderr) is printed with the RSS at that moment and the highest RSS since the last
line; at the end, the peak (VmHWM), the wall time and the bytes read (rchar: a spilled store's reads count there). Used for the memory tables of docs/benchmarks.md ("Training at
scale", "Spilling to disk"), where the peak of each stage is what tells what to cut.
"""
import subprocess, sys, threading, time

def rss(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None

def main():
    start = time.time()
    p = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE, text=True)
    state = {"high": 0, "hwm": 0, "read": 0}
    def sample():
        while p.poll() is None:
            r = rss(p.pid, "VmRSS:")
            h = rss(p.pid, "VmHWM:")
            if r: state["high"] = max(state["high"], r)
            if h: state["hwm"] = max(state["hwm"], h)
            try:
                with open(f"/proc/{p.pid}/io") as f:
                    state["read"] = int(f.readline().split()[1])
            except (OSError, ValueError, IndexError):
                pass
            time.sleep(0.5)
    t = threading.Thread(target=sample, daemon=True)
    t.start()
    for line in p.stderr:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        print(f"{time.time() - start:7.1f}s  rss {rss(p.pid, 'VmRSS:') or 0:6d} MiB  high since last {state['high']:6d} MiB | {line}", flush=True)
        state["high"] = 0
    p.wait()
    t.join()
    print(f"exit {p.returncode}, wall {time.time() - start:.1f} s, peak (VmHWM) {state['hwm']} MiB, "
          f"read {state['read'] / 1e9:.1f} GB (rchar, the last sample)", flush=True)

main()
