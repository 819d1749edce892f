#!/usr/bin/env python3
"""mamori's benchmark: mamori side by side with the floor, less and w3m, in one run.

    python3 bench/run.py --mamori ./mamori --floor bench/floor --content content [--out bench/results.md]

The floor (bench/floor.c) is the least an ncursesw pager does: the targets
are ratios to it (and bytes per turn to less).

(`make bench` runs exactly that.) See bench/README.md for what is measured
and how; the results go to stdout and to bench/results.md as Markdown.
Standard library only, plus the programs under test and valgrind (callgrind,
callgrind_control).

Exit status: 0 when the benchmark ran (targets met or not; --strict makes a
missed target exit 1), 2 when a tool is missing or a measurement failed.
"""

import argparse
import concurrent.futures
import datetime
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep the source tree clean (no bench/__pycache__)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ptyrun  # noqa: E402
import scale  # noqa: E402

SIZES = [(24, 80), (40, 120)]
SCALE = 100

# Waits (seconds). Native: output quiet this long means the program is done.
START_QUIET, START_TIMEOUT = 0.15, 30.0
KEY_QUIET, KEY_TIMEOUT = 0.06, 5.0
# Under callgrind everything is 20-100x slower: wait longer, and much longer
# for the first screen (valgrind's own start).
CG_START_QUIET, CG_KEY_QUIET, CG_KEY_TIMEOUT = 0.5, 0.3, 60.0

NOTES_MARK = "<!-- Notes below this line are written by hand and kept when run.py rewrites this file. -->"


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ----------------------------------------------------------------- programs
class Prog:
    """How to start a program, know its first screen, turn a page, quit."""

    def __init__(self, name, argv, ready, quit_keys, next_key=None, turned=None):
        self.name = name
        self.argv = argv            # (rows, cols) -> argv
        self.ready = ready          # (rows, cols) -> screen -> bool
        self.quit_keys = quit_keys
        self.next_key = next_key or (lambda screen: b" ")
        self.turned = turned or _changed_with_prompt


def _changed_with_prompt(prev, screen):
    snap = screen.snapshot()
    return snap != prev and snap[-1].strip() != ""


def _mamori_status(screen):
    return screen.snapshot()[-1]


def _mamori_drawn(screen):
    """A page is drawn: its status line shows the help key or the page number (PAGE/PAGES)."""
    st = _mamori_status(screen)
    return "?:ヘルプ" in st or re.search(r"\b\d+/\d+\s+\d", st) is not None


def make_progs(mamori, texts, floor_bin):
    """mamori reads its pages, or the whole guideline as one page; the floor,
    less and w3m read `mamori --dump all` of that one page (the same lines) at
    that width."""

    # Each start gets an answers file of its own (a copy of one session):
    # callgrind runs --jobs at once, and two mamori on one file would find it
    # locked and open it read-only, a different start with a message on the
    # status line.
    answers_dir = tempfile.mkdtemp(prefix="mamori-bench-answers.")
    starts = iter(range(1 << 30))

    def answers_copy():
        path = os.path.join(answers_dir, "a%d.txt" % next(starts))
        with open(path, "w") as f:
            f.write("mamori-answers 2\n")
        os.chmod(path, 0o600)
        return path

    def mamori_prog(name, content_dir, page="intro", next_page=True):
        return Prog(
            name,
            lambda size: [mamori, "--content", content_dir, "--page", page, "--answers", answers_copy()],
            lambda size: lambda scr: _mamori_drawn(scr),
            b"q",
            # Space scrolls within a page; at its end (100%) `n` opens the next.
            next_key=lambda scr: (b"n" if next_page and re.search(r"(^|\s)100%", _mamori_status(scr))
                                  else b" "),
            # The status line always changes on a turn (percentage or page number).
            turned=lambda prev, scr: _mamori_status(scr) != prev[-1] and _mamori_drawn(scr),
        )

    def first_line(size):
        return texts[size[1]][1]

    less = Prog(
        "less",
        lambda size: [shutil.which("less"), texts[size[1]][0]],
        lambda size: lambda scr: (scr.snapshot()[0] == first_line(size)
                                  and scr.snapshot()[-1].strip() != ""),
        b"q",
    )
    w3m = Prog(
        "w3m",
        lambda size: [shutil.which("w3m"), "-T", "text/plain", texts[size[1]][0]],
        lambda size: lambda scr: (scr.snapshot()[0] == first_line(size)
                                  and "Viewing" in scr.snapshot()[-1]),
        b"Q",
    )
    floor = Prog(
        "floor",
        lambda size: [floor_bin, texts[size[1]][0]],
        lambda size: lambda scr: (scr.snapshot()[0] == first_line(size)
                                  and scr.snapshot()[-1].startswith("floor ")),
        b"q",
        turned=lambda prev, scr: (scr.snapshot()[-1] != prev[-1]
                                  and scr.snapshot()[-1].startswith("floor ")),
    )
    return mamori_prog, floor, less, w3m


# ------------------------------------------------------------- measuring
_ESC = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()*+].|[ -/]*[0-~])|[\x00-\x1f\x7f]")


def control_bytes(data):
    return sum(len(m.group(0)) for m in _ESC.finditer(data))


# Attributes: SGR, with the G0 designation (ESC ( B) that xterm's sgr and sgr0
# put in front of it; cursor movement: CR, LF, BS, CUP, VPA, HPA, CUU/CUD/CUF/CUB.
_SGR = re.compile(rb"(?:\x1b\([0B])?\x1b\[[0-9;]*m")
_MOVE = re.compile(rb"\x1b\[[0-9;]*[HfdGABCD]|[\r\n\x08]")


def attr_bytes(data):
    return sum(len(m.group(0)) for m in _SGR.finditer(data))


def move_bytes(data):
    return sum(len(m.group(0)) for m in _MOVE.finditer(data))


def start_once(prog, size, env):
    rows, cols = size
    s = ptyrun.Session(prog.argv(size), rows, cols, env)
    try:
        r = s.settle(START_QUIET, START_TIMEOUT, prog.ready(size), what="first screen")
        hwm = ptyrun.vm_hwm(s.pid)
        smaps = ptyrun.smaps_rss(s.pid)
        s.close(prog.quit_keys)
        if not s.clean_exit():
            raise BenchError("%s did not exit cleanly (status %s)" % (prog.name, s.exit_status))
    finally:
        s.close()
    return (r.t_done - s.t0) * 1000, r.bytes, hwm, smaps


def start_runs(progs, size, env, runs):
    """Time to first full screen, bytes at start, peak RSS: median of `runs`
    starts per program. The programs take turns (a, b, c, a, b, c, ...) so a
    burst of load on a shared machine hits them alike; one warm-up round
    (page cache, dynamic loader) is dropped."""
    got = {p.name: [] for p in progs}
    for i in range(runs + 1):
        for p in progs:
            res = start_once(p, size, env)
            if i:
                got[p.name].append(res)
    out = {}
    for p in progs:
        times = [g[0] for g in got[p.name]]
        # Resident KiB per mapping at the first screen, the median over the
        # starts: file mappings move by 64 KiB from start to start (the
        # kernel maps the pages around a fault that are in the page cache).
        names = {k for g in got[p.name] for k in g[3]}
        smaps = {k: statistics.median(g[3].get(k, 0) for g in got[p.name]) for k in names}
        out[p.name] = {
            "ms": statistics.median(times), "ms_min": min(times), "ms_max": max(times),
            "bytes": int(statistics.median(g[1] for g in got[p.name])),
            "rss": max(g[2] for g in got[p.name]),
            "rss_median": statistics.median(g[2] for g in got[p.name]), "smaps": smaps,
            "runs": runs,
        }
    return out


def turn_pages(s, prog, size, turns, quiet, timeout):
    """Send page-turn keys; per turn: key, bytes, ms, screen bytes, control,
    attribute and cursor movement bytes."""
    out = []
    for _ in range(turns):
        key = prog.next_key(s.screen)
        prev = s.screen.snapshot()
        t = s.write(key)
        try:
            r = s.settle(quiet, timeout, lambda scr: prog.turned(prev, scr),
                         what="a page turn (key %r)" % key)
        except ptyrun.Timeout:
            if s.screen.snapshot() == prev:  # the end of the text: nothing to turn
                break
            raise
        out.append({
            "key": key.decode(), "bytes": r.bytes, "ms": (r.t_done - t) * 1000,
            "screen": s.screen.text_bytes(), "control": control_bytes(r.data),
            "attr": attr_bytes(r.data), "move": move_bytes(r.data),
        })
    return out


def read_runs(prog, size, env, turns, reps):
    """Start, then `turns` page turns, then quit; repeated `reps` times."""
    rows, cols = size
    runs = []
    for rep in range(reps):
        s = ptyrun.Session(prog.argv(size), rows, cols, env)
        try:
            s.settle(START_QUIET, START_TIMEOUT, prog.ready(size), what="first screen")
            tl = turn_pages(s, prog, size, turns, KEY_QUIET, KEY_TIMEOUT)
            hwm = ptyrun.vm_hwm(s.pid)
            s.close(prog.quit_keys)
            if not s.clean_exit():
                raise BenchError("%s did not exit cleanly (status %s)" % (prog.name, s.exit_status))
        finally:
            s.close()
        runs.append({"turns": tl, "rss": hwm})
    first = runs[0]["turns"]
    if not first:
        raise BenchError("%s: no page could be turned" % prog.name)
    n = len(first)
    return {
        "n": n,
        "keys": "".join(t["key"] for t in first),
        "bytes": sum(t["bytes"] for t in first) / n,
        "screen": sum(t["screen"] for t in first) / n,
        "control": sum(t["control"] for t in first) / n,
        "attr": sum(t["attr"] for t in first) / n,
        "move": sum(t["move"] for t in first) / n,
        "ms": statistics.median(t["ms"] for r in runs for t in r["turns"]),
        "ms_p90": sorted(t["ms"] for r in runs for t in r["turns"])[
            int(0.9 * (sum(len(r["turns"]) for r in runs) - 1))],
        "rss": max(r["rss"] for r in runs),
        "bytes_varies": len({tuple(t["bytes"] for t in r["turns"]) for r in runs}) > 1,
    }


def callgrind_ir(path):
    with open(path, errors="replace") as fh:
        summary = None
        for line in fh:
            if line.startswith("totals:"):
                return int(line.split()[1])
            if line.startswith("summary:"):
                summary = int(line.split()[1])
    if summary is None:
        raise BenchError("no totals in %s" % path)
    return summary


def callgrind_control(pid, *args):
    p = subprocess.run(["callgrind_control"] + list(args) + [str(pid)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    if p.returncode != 0 or "OK" not in p.stdout:
        raise BenchError("callgrind_control %s %d failed:\n%s" % (" ".join(args), pid, p.stdout))


def wait_file(path, timeout=30.0):
    deadline = time.perf_counter() + timeout
    while not os.path.exists(path):
        if time.perf_counter() > deadline:
            raise BenchError("callgrind did not write %s" % path)
        time.sleep(0.05)


def callgrind_run(prog, size, env, turns, tmp, tag, count_start=True, start_timeout=120.0):
    """One run under callgrind, dumping the counters after the first screen and
    after the page turns: instructions of the start, of the turns, of quitting.
    With count_start=False the start runs uninstrumented (faster) and only the
    turns are counted."""
    rows, cols = size
    out = os.path.join(tmp, "callgrind.%s.out" % tag)
    argv = [shutil.which("valgrind"), "--tool=callgrind", "--callgrind-out-file=" + out,
            "--log-file=" + out + ".log", "--vgdb=yes", "--compress-strings=no"]
    if not count_start:
        argv.append("--instr-atstart=no")
    s = ptyrun.Session(argv + prog.argv(size), rows, cols, env)
    t0 = time.perf_counter()
    try:
        s.settle(CG_START_QUIET, start_timeout, prog.ready(size), what="first screen under callgrind")
        start_s = time.perf_counter() - t0
        if count_start:
            callgrind_control(s.pid, "-d")
            wait_file(out + ".1")
        else:
            callgrind_control(s.pid, "-i", "on")
        tl = turn_pages(s, prog, size, turns, CG_KEY_QUIET, CG_KEY_TIMEOUT)
        callgrind_control(s.pid, "-d")
        turns_file = out + (".2" if count_start else ".1")
        wait_file(turns_file)
        s.close(prog.quit_keys, timeout=60.0)
        if not s.clean_exit():
            raise BenchError("%s under callgrind did not exit cleanly (status %s)"
                             % (prog.name, s.exit_status))
    finally:
        s.close()
    wait_file(out)
    n = len(tl)
    turns_ir = callgrind_ir(turns_file)
    return {
        "start": callgrind_ir(out + ".1") if count_start else None,
        "start_file": out + ".1" if count_start else None,
        "turns_file": turns_file,
        "turn": turns_ir / n if n else None,
        "n": n,
        "keys": "".join(t["key"] for t in tl),
        "quit": callgrind_ir(out),
        "wall_start": start_s,
    }


def _cg_name(table, val):
    """Names in a callgrind file may be compressed: '(12) name' defines, '(12)' refers."""
    m = re.match(r"\((\d+)\)(?:\s(.*))?$", val)
    if not m:
        return val
    if m.group(2) is not None:
        table[m.group(1)] = m.group(2)
        return m.group(2)
    return table.get(m.group(1), "?")


def profile(path, top=8, callers=2):
    """Top functions of a callgrind file by own instructions (Ir), each with its
    biggest callers (the cost of the calls from them, inclusive). Parsed here:
    callgrind_annotate 3.19 counts a call line with calls=0 as own cost, which
    puts all of a mid-run dump on __libc_start_main."""
    if not path or not os.path.exists(path):
        return ""
    fns, obs, fls = {}, {}, {}
    own, into, where = {}, {}, {}
    ob = fl = fn = cfn = None
    after_call = False
    total = None
    with open(path, errors="replace") as fh:
        for line in fh:
            c = line[:1]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
                if fn is None:
                    continue
                if after_call:
                    d = into.setdefault(cfn, {})
                    d[fn] = d.get(fn, 0) + cost
                    after_call = False
                else:
                    own[fn] = own.get(fn, 0) + cost
                continue
            key, eq, val = line.rstrip("\n").partition("=")
            if not eq:
                if line.startswith("totals:") or (line.startswith("summary:") and total is None):
                    total = int(line.split()[1])
                continue
            if key == "ob":
                ob = _cg_name(obs, val)
            elif key == "fl":
                fl = _cg_name(fls, val)
            elif key in ("fi", "fe", "cfi", "cfl"):
                _cg_name(fls, val)
            elif key == "cob":
                _cg_name(obs, val)
            elif key == "fn":
                fn = _cg_name(fns, val)
                where.setdefault(fn, (fl, ob))
            elif key == "cfn":
                cfn = _cg_name(fns, val)
            elif key == "calls":
                after_call = True
    total = total or sum(own.values()) or 1

    def label(f):
        fl_, ob_ = where.get(f, (None, None))
        extra = [os.path.basename(x) for x in (fl_, ob_) if x and x != "???"]
        return f + (" (%s)" % ", ".join(extra) if extra else "")

    byob = {}
    for f, ir in own.items():
        o = os.path.basename(where.get(f, (None, "?"))[1] or "?")
        byob[o] = byob.get(o, 0) + ir
    lines = ["%14s         total; own instructions by object: %s" % (
        "{:,}".format(total),
        ", ".join("%s %.0f%%" % (o, 100.0 * ir / total)
                  for o, ir in sorted(byob.items(), key=lambda kv: kv[1], reverse=True)[:5]))]
    # Inclusive cost of the program's own functions: own + the calls they make.
    incl = dict(own)
    for callee, by in into.items():
        for caller, ir in by.items():
            if caller != callee:
                incl[caller] = incl.get(caller, 0) + ir
    prog = os.path.basename(where.get("main", (None, ""))[1] or "")
    mine = [(f, ir) for f, ir in incl.items()
            if prog and os.path.basename(where.get(f, (None, ""))[1] or "") == prog and f != "main" and not f.startswith("(")]
    mine.sort(key=lambda kv: kv[1], reverse=True)
    if mine:
        lines.append("%14s         inclusive, %s's own functions: %s" % (
            "", prog, ", ".join("%s %.0f%%" % (f, 100.0 * ir / total) for f, ir in mine[:8])))
    for f, ir in sorted(own.items(), key=lambda kv: kv[1], reverse=True)[:top]:
        lines.append("%14s %5.1f%%  %s" % ("{:,}".format(ir), 100.0 * ir / total, label(f)))
        cs = sorted(into.get(f, {}).items(), key=lambda kv: kv[1], reverse=True)
        for cf, cir in cs[:callers]:
            lines.append("%14s         <- %s" % ("{:,}".format(cir), label(cf)))
    return "\n".join(lines)


# ----------------------------------------------------------------- machine
def _first_line(cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=10)
        return p.stdout.strip().splitlines()[0] if p.stdout.strip() else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def machine(mamori, srcdir):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ncurses = _first_line(["infocmp", "-V"])
    lib = ""
    try:
        p = subprocess.run(["ldd", mamori], stdout=subprocess.PIPE, text=True, timeout=10)
        m = re.search(r"(libncursesw?\.so\S*) => (\S+)", p.stdout)
        if m:
            lib = os.path.basename(os.path.realpath(m.group(2)))
    except (OSError, subprocess.TimeoutExpired):
        pass
    rev = _first_line(["git", "-C", srcdir, "describe", "--always", "--dirty"])
    return [
        ("CPU", cpu),
        ("cores", str(os.cpu_count())),
        ("kernel", "%s %s" % (platform.system(), platform.release())),
        ("mamori", "%s (git %s)" % (_first_line([mamori, "--version"]), rev)),
        ("less", _first_line(["less", "--version"])),
        ("w3m", _first_line(["w3m", "-version"])),
        ("ncurses", ncurses + (" (mamori links %s)" % lib if lib else "")),
        ("valgrind", _first_line(["valgrind", "--version"])),
        ("python", platform.python_version()),
    ]


# ------------------------------------------------------------------ report
def fms(x):
    return "%.1f" % x if x is not None else "-"


def fint(x):
    return "{:,}".format(int(round(x))) if x is not None else "-"


def fir(x):
    if x is None:
        return "-"
    if x >= 1e9:
        return "%.2f G" % (x / 1e9)
    if x >= 1e6:
        return "%.2f M" % (x / 1e6)
    if x >= 1e3:
        return "%.1f K" % (x / 1e3)
    return "%d" % x


def ratio(a, b):
    return a / b if a is not None and b else None


def fr(x):
    return "%.2fx" % x if x is not None else "-"


def verdict(x, limit):
    if x is None:
        return "?"
    return "**met**" if x <= limit else "**MISSED**"


def report(res, args, mach, elapsed):
    L = []
    out = L.append
    targets = []  # (label, ratio, limit, met)

    out("# Benchmark: mamori, the floor, less and w3m")
    out("")
    out("Measured by `make bench` (bench/run.py) on %s, in %.0f s."
        % (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), elapsed))
    out("")
    out("| machine | |")
    out("| --- | --- |")
    for k, v in mach:
        out("| %s | %s |" % (k, v.replace("|", "\\|")))
    out("")
    out("Programs: **pages** is mamori reading the guideline's pages from `--page intro` "
        "(Space scrolls; at 100%% `n` opens the next page), as a reader would. **one page** is mamori "
        "with the whole guideline as one long page (bench/scale.py one_page), paged with Space. "
        "**floor** (bench/floor.c: a minimal ncursesw pager, set up as mamori sets up the terminal, "
        "a full redraw per turn), **less** (`less FILE`) and **w3m** (`w3m -T text/plain FILE`) read "
        "that page's `mamori --dump all --width COLS`: the same lines as *one page*, with the same "
        "key, Space. "
        "Each reading is %d page turns from the start. TERM=xterm-256color, LANG=C.UTF-8. "
        "Start and peak RSS targets are judged on *pages* (what a user runs), per-turn targets on "
        "*one page* (the same text and keys as less). Times: medians of %d starts, and of all turns "
        "over %d readings. Instructions: callgrind's Ir, one run per program, counters dumped after "
        "the first screen and after the turns. Ratios are mamori / floor and mamori / less. "
        "Method: bench/README.md."
        % (args.turns, args.runs, args.reps))
    out("")
    for size in SIZES:
        rows, cols = size
        key = "%dx%d" % (cols, rows)
        r = res["side"][key]
        progs = [r["mamori"], r["mamori 1 page"], r["floor"], r["less"], r["w3m"]]
        out("## %s" % key)
        out("")
        out("| measure | mamori pages | mamori one page | floor | less | w3m | pages / floor "
            "| one page / floor | pages / less | one page / less | target | |")
        out("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")

        def row(label, f, get, on=None, limit=None, tlabel=None, base="floor"):
            vals = [get(x) for x in progs]
            rs = [ratio(vals[0], vals[2]), ratio(vals[1], vals[2]),
                  ratio(vals[0], vals[3]), ratio(vals[1], vals[3])]
            v = target = ""
            if limit is not None:
                rr = rs[(0 if on == "pages" else 1) + (2 if base == "less" else 0)]
                v = verdict(rr, limit)
                target = "%s ≤ %sx %s" % (on, ("%.2f" % limit).rstrip("0").rstrip("."), base)
                targets.append(("%s (mamori %s / %s), %s" % (tlabel or label, on, base, key), rr,
                                limit, rr is not None and rr <= limit))
            out("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                % (label, f(vals[0]), f(vals[1]), f(vals[2]), f(vals[3]), f(vals[4]),
                   fr(rs[0]), fr(rs[1]), fr(rs[2]), fr(rs[3]), target, v))

        row("instructions to first screen", fir, lambda x: x["cg"]["start"], "pages", 1.2,
            "start instructions")
        row("time to first screen (ms, median)", fms, lambda x: x["start"]["ms"], "pages", 1.1,
            "start time")
        row("time to first screen (ms, fastest)", fms, lambda x: x["start"]["ms_min"])
        row("peak RSS at the first screen (KiB)", fint, lambda x: x["start"]["rss"], "pages", 1.15,
            "peak RSS at start")
        row("peak RSS after the turns (KiB)", fint, lambda x: x["read"]["rss"])
        row("bytes to first screen", fint, lambda x: x["start"]["bytes"])
        row("instructions per page turn", fir, lambda x: x["cg"]["turn"], "one page", 1.1,
            "instructions per page turn")
        row("bytes per page turn", fint, lambda x: x["read"]["bytes"], "one page", 1.0,
            "bytes per page turn", base="less")
        row("… of which escape sequences and controls", fint, lambda x: x["read"]["control"])
        row("… … attributes (SGR with its ESC ( B)", fint, lambda x: x["read"]["attr"])
        row("… … cursor movement (CR, LF, CUP, VPA, HPA)", fint, lambda x: x["read"]["move"])
        row("bytes of the characters on the screen", fint, lambda x: x["read"]["screen"])
        row("time per key (ms, median)", fms, lambda x: x["read"]["ms"])
        row("time per key (ms, 90th percentile)", fms, lambda x: x["read"]["ms_p90"])
        out("")
        keys = progs[0]["read"]["keys"]
        out("Page turns: mamori pages %d (%d Space, %d `n`), one page %d, floor %d, less %d, w3m %d."
            % (len(keys), keys.count(" "), keys.count("n"), progs[1]["read"]["n"],
               progs[2]["read"]["n"], progs[3]["read"]["n"], progs[4]["read"]["n"]))
        out("")

    # ---- scale
    s1, s100 = res["scale"]["1"], res["scale"]["%d" % SCALE]
    out("## mamori at 1x and %dx content (80x24)" % SCALE)
    out("")
    out("The %dx tree is content/*.txt copied %d times with every id suffixed "
        "(`--check-content` passes: %s). The starts at 1x and %dx here are timed in one "
        "interleaved series (%d each)." % (SCALE, SCALE, res["scale"]["check"], SCALE,
                                           args.scale_runs))
    out("")
    out("| measure | 1x | %dx | %dx / 1x | target | |" % (SCALE, SCALE))
    out("| --- | ---: | ---: | ---: | --- | --- |")

    def srow(label, f, a, b, target="", limit=None, tlabel=None):
        rr = ratio(b, a)
        v = ""
        if limit is not None:
            v = verdict(rr, limit)
            targets.append((tlabel or label, rr, limit, rr is not None and rr <= limit))
        out("| %s | %s | %s | %s | %s | %s |" % (label, f(a), f(b), fr(rr), target, v))

    srow("content bytes", fint, s1["content_bytes"], s100["content_bytes"])
    srow("pages", fint, s1["pages"], s100["pages"])
    srow("time to first screen (ms, median)", fms, s1["start_scale"]["ms"], s100["start"]["ms"],
         "≤ 3x", 3.0, "start time at %dx content ≤ 3x at 1x" % SCALE)
    srow("instructions to first screen", fir, s1["cg"]["start"], s100["cg"]["start"])
    srow("peak RSS at the first screen (KiB)", fint, s1["start_scale"]["rss"], s100["start"]["rss"])
    srow("peak RSS after the turns (KiB)", fint, s1["read"]["rss"], s100["read"]["rss"], "≤ 3x", 3.0,
         "peak RSS at %dx content ≤ 3x at 1x" % SCALE)
    srow("bytes per page turn", fint, s1["read"]["bytes"], s100["read"]["bytes"], "unchanged (≤ 1.10x)",
         1.10, "bytes per page turn at %dx content unchanged" % SCALE)
    srow("time per key (ms, median)", fms, s1["read"]["ms"], s100["read"]["ms"])
    srow("instructions per page turn", fir, s1["cg"]["turn"], s100["cg"]["turn"], "unchanged (≤ 1.10x)",
         1.10, "instructions per page turn at %dx content unchanged" % SCALE)
    out("")

    # ---- targets
    out("## Targets")
    out("")
    out("| target | ratio | limit | |")
    out("| --- | ---: | ---: | --- |")
    for label, rr, limit, ok in targets:
        out("| %s | %s | %s | %s |" % (label, fr(rr), "%.2fx" % limit, verdict(rr, limit)))
    out("")
    missed = [t for t in targets if not t[3]]
    out("%d of %d met." % (len(targets) - len(missed), len(targets)))
    out("")

    # ---- profiles
    prof = []
    m80 = res["side"]["80x24"]["mamori"]
    p80 = res["side"]["80x24"]["mamori 1 page"]
    prof.append(("mamori's start (pages, 1x, 80x24)", profile(m80["cg"]["start_file"], top=12)))
    f80 = res["side"]["80x24"]["floor"]
    prof.append(("the floor's start (80x24)", profile(f80["cg"]["start_file"], top=6)))
    prof.append(("mamori's page turns (one page, 80x24, %d Space)" % p80["cg"]["n"],
                 profile(p80["cg"]["turns_file"])))
    if True:
        prof.append(("mamori's start at %dx content (80x24)" % SCALE, profile(s100["cg"]["start_file"])))
    if any("instructions per page turn at" in t[0] for t in missed):
        prof.append(("mamori's page turns at %dx content (80x24)" % SCALE,
                     profile(s100["cg"]["turns_file"])))
    for t in missed:
        if t[0].startswith("peak RSS at start ("):
            key = t[0].rsplit(", ", 1)[1]
            m, f = res["side"][key]["mamori"]["start"], res["side"][key]["floor"]["start"]
            # One name for the program itself, so mamori's binary and the floor's line up.
            ms = {("(program)" if k == os.path.basename(args.mamori) else k): v
                  for k, v in m["smaps"].items()}
            fs = {("(program)" if k == "floor" else k): v for k, v in f["smaps"].items()}
            names = sorted(set(ms) | set(fs), key=lambda k: (-(ms.get(k, 0) - fs.get(k, 0)), k))
            lines = ["%8s %8s %8s  %s" % ("mamori", "floor", "diff", "mapping")]
            same = [0, 0]
            for k in names:
                a, b = ms.get(k, 0), fs.get(k, 0)
                if a != b:
                    lines.append("%8d %8d %+8d  %s" % (a, b, a - b, k))
                else:
                    same = [same[0] + a, same[1] + 1]
            lines.append("%8d %8d %+8d  %s" % (same[0], same[0], 0,
                                               "the other %d mappings (the same in both)" % same[1]))
            lines.append("%8d %8d %+8d  %s" % (sum(ms.values()), sum(fs.values()),
                                               sum(ms.values()) - sum(fs.values()),
                                               "total (the sum of the medians)"))
            prof.append(("resident memory by mapping at the first screen at %s, KiB, mamori "
                         "(pages) and the floor (/proc/PID/smaps, the median over %d starts; "
                         "VmHWM was at most %s and %s KiB, the median %s and %s)"
                         % (key, m["runs"], fint(m["rss"]), fint(f["rss"]), fint(m["rss_median"]),
                            fint(f["rss_median"])), "\n".join(lines)))
            break
    out("## Profiles")
    out("")
    out("From the callgrind files: own (exclusive) instructions per function, each with its two "
        "biggest callers (instructions of the calls from them, inclusive).")
    out("")
    for title, text in prof:
        out("%s:" % title)
        out("")
        out("```")
        out(text or "(no profile)")
        out("```")
        out("")
    return "\n".join(L), missed


# -------------------------------------------------------------------- main
def check_tools(mamori, floor_bin):
    missing = []
    for tool, pkg in (("less", "less"), ("w3m", "w3m"), ("valgrind", "valgrind"),
                      ("callgrind_control", "valgrind")):
        if not shutil.which(tool):
            missing.append((tool, pkg))
    if missing:
        pkgs = sorted({p for _, p in missing})
        log("missing: %s. Install with: apt-get -o DPkg::Lock::Timeout=300 install -y %s"
            % (", ".join(t for t, _ in missing), " ".join(pkgs)))
        return False
    if not (os.path.isfile(mamori) and os.access(mamori, os.X_OK)):
        log("no mamori binary at %s (run `make mamori` first)" % mamori)
        return False
    if not (os.path.isfile(floor_bin) and os.access(floor_bin, os.X_OK)):
        log("no floor binary at %s (`make bench` builds bench/floor)" % floor_bin)
        return False
    return True


def main():
    global SCALE
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="mamori vs less and w3m (see bench/README.md)")
    ap.add_argument("--mamori", default="./mamori")
    ap.add_argument("--floor", default=None, help="bench/floor (default: next to --mamori)")
    ap.add_argument("--content", default=os.path.join(here, "..", "content"))
    ap.add_argument("--out", default=os.path.join(here, "results.md"))
    ap.add_argument("--turns", type=int, default=24, help="page turns per reading (default 24)")
    ap.add_argument("--runs", type=int, default=11, help="starts per program and size (default 11)")
    ap.add_argument("--reps", type=int, default=3, help="readings per program and size (default 3)")
    ap.add_argument("--scale-runs", type=int, default=11, help="starts at %dx content (default 11, as --runs)" % SCALE)
    ap.add_argument("--jobs", type=int, default=2, help="callgrind runs at once (default 2)")
    ap.add_argument("--scale", type=int, default=SCALE, help="size of the big content tree (default %d)" % SCALE)
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args()
    SCALE = args.scale

    mamori = os.path.abspath(args.mamori)
    floor_bin = os.path.abspath(args.floor or os.path.join(os.path.dirname(mamori), "bench", "floor"))
    content = os.path.abspath(args.content)
    if not check_tools(mamori, floor_bin):
        return 2
    srcdir = os.path.abspath(os.path.join(here, ".."))
    t_begin = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="mamori-bench.")

    def on_signal(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    try:
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "XDG_DATA_HOME": os.path.join(home, "data"),
            "XDG_CONFIG_HOME": os.path.join(home, "config"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
        }

        # The whole guideline as one page, and the text less and w3m read:
        # mamori's own layout of that page at each width.
        onepage = os.path.join(tmp, "content-one-page")
        scale.one_page(content, onepage)
        chk = subprocess.run([mamori, "--check-content", onepage], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=60)
        if chk.returncode != 0:
            raise BenchError("the one-page content does not check:\n%s" % chk.stdout[-2000:])
        texts = {}
        for rows, cols in SIZES:
            path = os.path.join(tmp, "guide-%d.txt" % cols)
            with open(path, "wb") as fh:
                subprocess.run([mamori, "--content", onepage, "--dump", "all", "--width", str(cols)],
                               stdout=fh, check=True, timeout=60, env=env)
            with open(path, encoding="utf-8") as fh:
                texts[cols] = (path, fh.readline().rstrip())

        log("making the %dx content tree" % SCALE)
        big = os.path.join(tmp, "content-x%d" % SCALE)
        big_bytes = scale.make(content, big, SCALE)
        chk = subprocess.run([mamori, "--check-content", big], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=300)
        if chk.returncode != 0:
            raise BenchError("the %dx content does not check:\n%s" % (SCALE, chk.stdout[-2000:]))
        check_line = chk.stdout.strip().splitlines()[-1].replace(big, "DIR")
        small_bytes = sum(os.path.getsize(os.path.join(content, f))
                          for f in os.listdir(content) if f.endswith(".txt"))

        def pages(d):
            p = subprocess.run([mamori, "--content", d, "--list"], stdout=subprocess.PIPE,
                               text=True, timeout=300, check=True)
            return len(p.stdout.splitlines())

        mamori_prog, floor, less, w3m = make_progs(mamori, texts, floor_bin)
        progs = [mamori_prog("mamori", content),
                 mamori_prog("mamori 1 page", onepage, page="all", next_page=False), floor, less, w3m]
        big_prog = mamori_prog("mamori x%d" % SCALE, big)

        res = {"side": {}, "scale": {}}
        # ---- native, one program at a time
        for size in SIZES:
            key = "%dx%d" % (size[1], size[0])
            res["side"][key] = {}
            starts = start_runs(progs, size, env, args.runs)
            for p in progs:
                st = starts[p.name]
                log("%s %s: first screen %.1f ms (fastest %.1f), %d bytes, %d KiB"
                    % (key, p.name, st["ms"], st["ms_min"], st["bytes"], st["rss"]))
                rd = read_runs(p, size, env, args.turns, args.reps)
                log("%s %s: %d turns, %.0f bytes/turn (%.0f on screen), %.2f ms/key, peak RSS %d KiB"
                    % (key, p.name, rd["n"], rd["bytes"], rd["screen"], rd["ms"], rd["rss"]))
                res["side"][key][p.name] = {"start": st, "read": rd}
        size = SIZES[0]
        both = start_runs([progs[0], big_prog], size, env, args.scale_runs)
        st = both[big_prog.name]
        start_1x = both[progs[0].name]
        log("80x24 %s: first screen %.1f ms, %d KiB" % (big_prog.name, st["ms"], st["rss"]))
        rd = read_runs(big_prog, size, env, args.turns, 1)
        log("80x24 %s: %.0f bytes/turn, %.2f ms/key, peak RSS %d KiB"
            % (big_prog.name, rd["bytes"], rd["ms"], rd["rss"]))
        res["scale"]["%d" % SCALE] = {"start": st, "read": rd, "content_bytes": big_bytes,
                                      "pages": pages(big)}
        res["scale"]["check"] = "`%s`" % check_line

        # ---- callgrind: instruction counts do not depend on load, so run in parallel
        jobs = [("x%d" % SCALE, big_prog, SIZES[0], 900.0)]
        for size in SIZES:
            for p in progs:
                jobs.append(("%s-%dx%d" % (p.name.replace(" ", "_"), size[1], size[0]), p, size, 120.0))
        log("callgrind: %d runs, %d at a time" % (len(jobs), args.jobs))
        cg = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futs = {pool.submit(callgrind_run, p, size, env, args.turns, tmp, tag,
                                True, timeout): (tag, p, size) for tag, p, size, timeout in jobs}
            try:
                for f in concurrent.futures.as_completed(futs):
                    tag, p, size = futs[f]
                    cg[tag] = r = f.result()
                    log("callgrind %s: start %s, %s per turn over %d turns"
                        % (tag, fir(r["start"]), fir(r["turn"]), r["n"]))
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                ptyrun.kill_all()
                raise
        for size in SIZES:
            key = "%dx%d" % (size[1], size[0])
            for p in progs:
                c = cg["%s-%s" % (p.name.replace(" ", "_"), key)]
                res["side"][key][p.name]["cg"] = c
                if c["keys"] != res["side"][key][p.name]["read"]["keys"]:
                    log("warning: %s %s pressed other keys under callgrind (%r vs %r)"
                        % (p.name, key, c["keys"], res["side"][key][p.name]["read"]["keys"]))
        res["scale"]["%d" % SCALE]["cg"] = cg["x%d" % SCALE]
        res["scale"]["1"] = dict(res["side"]["80x24"]["mamori"], content_bytes=small_bytes,
                                 pages=pages(content), start_scale=start_1x)

        elapsed = time.perf_counter() - t_begin
        text, missed = report(res, args, machine(mamori, srcdir), elapsed)
        notes = ""
        if os.path.exists(args.out):
            with open(args.out, encoding="utf-8") as fh:
                old = fh.read()
            if NOTES_MARK in old:
                notes = old[old.index(NOTES_MARK):]
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text.rstrip("\n") + "\n\n" + (notes or NOTES_MARK + "\n"))
        print(text)
        log("wrote %s (%.0f s)" % (args.out, elapsed))
        return 1 if (missed and args.strict) else 0
    except (BenchError, ptyrun.Timeout, ptyrun.Exited, subprocess.SubprocessError, OSError) as e:
        log("FAILED: %s" % e)
        return 2
    except KeyboardInterrupt as e:
        log("interrupted (%s)" % (e or "SIGINT"))
        return 130
    finally:
        ptyrun.kill_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
