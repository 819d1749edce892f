#!/usr/bin/env python3
"""bench/report_html.py: how long `mamori --report --format html` takes for a
full session, side by side with `mamori --dump all` (issue 12: under 20 ms
and of the same order).

The session is as big as the content allows: every item answered (the
diagnosis questions with a mix of the four answers, so the report lists what
to improve with its はじめの一歩), a note on every item, and a previous
session in which every answer was different, so every item is a change.
Each command runs --runs times (default 20) after 2 warm-up runs, with
stdout to /dev/null; the median and the spread are printed as a Markdown
table for bench/results.md.  A measurement, not a test: run it by hand,

    python3 bench/report_html.py --mamori ./mamori --content content

Exit status 0, or 1 when a run failed or the HTML median is 20 ms or more.
HOME and XDG_* point into a temp dir: nothing of the user's is read or made.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

LIMIT_MS = 20.0
DIAG = ["yes", "partly", "no", "unknown"]


def item_ids(content):
    ids = []
    for name in sorted(os.listdir(content)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(content, name), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"\[ \] *([A-Za-z0-9_.-]+)", line)
                if m:
                    ids.append(m.group(1))
    return ids


def write_session(path, ids, stamp, shift, notes):
    lines = ["mamori-answers 1"]
    for n, i in enumerate(ids):
        if i.startswith("diag-"):
            st = DIAG[(n + shift) % 4]
        else:
            st = ["done", "todo", "na"][(n + shift) % 3]
        note = " 担当者と相談して期日までに見直す <b>&amp;</b> 第%d項" % n if notes else ""
        lines.append("%s %s %s%s" % (i, st, stamp, note))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)


def time_runs(cmd, env, runs):
    times = []
    for k in range(runs + 2):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=60)
        t1 = time.perf_counter()
        if r.returncode != 0:
            sys.exit("failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr.decode()[:500]))
        if k >= 2:
            times.append((t1 - t0) * 1000.0)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mamori", default="./mamori")
    ap.add_argument("--content", default=os.path.join(os.path.dirname(__file__), "..", "content"))
    ap.add_argument("--runs", type=int, default=20)
    a = ap.parse_args()
    mamori = os.path.abspath(a.mamori)
    content = os.path.abspath(a.content)
    ids = item_ids(content)
    with tempfile.TemporaryDirectory() as t:
        sess = os.path.join(t, "data", "mamori", "sessions")
        os.makedirs(sess, mode=0o700)
        os.chmod(os.path.dirname(sess), 0o700)
        write_session(os.path.join(sess, "2026-10-25.txt"), ids, "2026-10-25T09:00:00+09:00", 1, False)
        write_session(os.path.join(sess, "2026-11-25.txt"), ids, "2026-11-25T09:00:00+09:00", 0, True)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": t, "LC_ALL": "C.UTF-8",
               "XDG_DATA_HOME": os.path.join(t, "data"), "XDG_STATE_HOME": os.path.join(t, "state")}
        base = [mamori, "--content", content]
        cmds = [
            ("`--report --format html`", base + ["--report", "--format", "html"]),
            ("`--dump all --width 80`", base + ["--dump", "all", "--width", "80"]),
            ("`--version` (the floor: start and exit)", [mamori, "--version"]),
        ]
        size = len(subprocess.run(cmds[0][1], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, timeout=60).stdout)
        rows = []
        for name, cmd in cmds:
            ts = time_runs(cmd, env, a.runs)
            rows.append((name, statistics.median(ts), min(ts), max(ts)))
    print("| command (%d items answered, a note on each, every answer changed) | median ms | min | max |"
          % len(ids))
    print("| --- | ---: | ---: | ---: |")
    for name, med, lo, hi in rows:
        print("| %s | %.1f | %.1f | %.1f |" % (name, med, lo, hi))
    print()
    print("%d runs each after 2 warm-ups; the HTML report is %d bytes; ratio html/dump %.2f; target < %.0f ms: %s"
          % (a.runs, size, rows[0][1] / rows[1][1], LIMIT_MS, "met" if rows[0][1] < LIMIT_MS else "MISSED"))
    return 0 if rows[0][1] < LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
