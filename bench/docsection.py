"""Sections of docs/benchmarks.md, found by their heading line, for the benchmark scripts that rewrite their own.

A section runs from its heading line to the next heading of the same level (or the end of the text)."""
import re


def span(text, heading):
    """(start, end) of the section whose heading line is `heading` (e.g. "## Load"), or None."""
    start = text.find(heading + "\n")
    if start < 0:
        return None
    level = heading.split(" ", 1)[0] + " "
    nxt = re.search("^" + re.escape(level), text[start + len(heading):], re.M)
    return start, start + len(heading) + nxt.start() if nxt else len(text)


def replace(text, heading, section):
    """`text` with the section under `heading` replaced by `section` (which starts with that heading), or appended."""
    found = span(text, heading)
    if found is None:
        return text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    start, end = found
    return text[:start] + section.rstrip("\n") + "\n" + ("\n" if end < len(text) else "") + text[end:]


def update(heading, section, path=None):
    """Rewrites the section under `heading` of docs/benchmarks.md (or `path`) with `section`."""
    import os
    path = path or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "benchmarks.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(replace(text, heading, section))
