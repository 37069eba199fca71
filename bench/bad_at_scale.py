#!/usr/bin/env python3
"""Bad input at scale (issue 22): a copy of a large corpus with one malformed row near its end.

    python3 bench/bad_at_scale.py bench/out/scale/synth-1000.csv bench/out/scale/synth-100.csv /tmp/synth-1000-bad.csv

Copies BIG, then appends a row with one field too many ("bad-1") and the first 50 rows of SMALL (ids prefixed
"tail-"), so the bad row is 51 rows from the end. Then, for example:

    classifier train --data /tmp/synth-1000-bad.csv --test-fraction 0.02 --model /tmp/badscale/model.zip --max-bad-rows 0

must exit 2 at once with the file and line, and leave no model and no temporary file (docs/benchmarks.md,
"Training at scale").
"""
import csv
import shutil
import sys

big, small, out = sys.argv[1:4]
csv.field_size_limit(10**9)
shutil.copyfile(big, out)
rows = []
with open(small, newline='', encoding='utf-8') as f:
    reader = csv.reader(f)
    next(reader)
    for row in reader:
        rows.append(row)
        if len(rows) >= 50:
            break
with open(out, 'a', newline='', encoding='utf-8') as f:
    w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator='\n')
    w.writerow(['bad-1', 'rec.autos', 'a row with one field too many', 'extra'])
    for row in rows:
        w.writerow(['tail-' + row[0], row[1], row[2]])
