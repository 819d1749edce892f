#!/bin/bash
# Crash safety of saving (issue 6, robustness): the answers file is always
# the old or the new version, never a mix, whatever happens while mamori
# saves it.
#   1. kill -9 at random moments while keys that save are pressed, many
#      rounds: the file always parses and is complete, at most one stale
#      temp file is left, and the next start removes it.
#   2. no acknowledged answer is ever lost: answers are typed one at a
#      time, each waited for until the screen shows it, and mamori is ended
#      at a random moment (between two keys, or just after a key, before
#      the screen shows it) by SIGKILL, SIGTERM or SIGHUP.  Every answer the
#      screen showed is in the file, nothing else changed, the answer in
#      flight is old or new, the file parses, the next start removes any
#      temp file.  The figures (rounds, acknowledged answers, lost) are
#      printed; issue 10's note keeps them.
#   3. a full disk (a tiny tmpfs; needs root and mount, else skipped): a
#      tick is refused, the file stays byte-identical, the user is told.
#   4. EIO on fsync (strace fault injection): the same.
# Part 1 drives mamori through a pty from python3 (pty.fork, keys written
# straight to the pty, SIGKILL by pid): through tmux a round costs several
# times more.  Part 2 reads the screen through one tmux control-mode client
# (a command costs well under 1 ms there, ~45 ms as a new tmux client).
# Parts 3 and 4 run in tmux through lib.sh.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/crash.sh
# E2E_CRASH_ROUNDS=N changes the number of kill rounds of part 1 (default
# 200); E2E_CRASH_ACKS=N the acknowledged answers part 2 aims at (default
# 1000), within E2E_CRASH_ACK_S seconds (default 60); E2E_CRASH_SEED=N
# repeats a run of parts 1 and 2.

. "$(dirname "$0")/lib.sh"
e2e_init crash
need_python3

T=$E2E_TMP
ROUNDS=${E2E_CRASH_ROUNDS:-200}
MNT=
ACK_SOCK=

# Part 2's own tmux server (python3 stops it, unless it died first); the
# server leaves its socket file behind.
ack_stop() {
	if [ -n "$ACK_SOCK" ]; then
		timeout 10 tmux -L "$ACK_SOCK" kill-server >/dev/null 2>&1
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$ACK_SOCK"
		ACK_SOCK=
	fi
}

# The tmpfs must be unmounted before lib.sh removes the temp dir.
crash_cleanup() {
	ack_stop
	if [ -n "$MNT" ] && mountpoint -q "$MNT" 2>/dev/null; then
		umount "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
	fi
	MNT=
	e2e_cleanup
}
trap crash_cleanup EXIT
trap 'crash_cleanup; exit 130' INT
trap 'crash_cleanup; exit 143' TERM
trap 'crash_cleanup; exit 129' HUP

# --- 1. kill -9 while saving -----------------------------------------------

mkdir -p "$T/kill"
ANS="$T/kill/answers.txt"
"$PYTHON" - "$MAMORI" "$MAMORI_CONTENT" "$ANS" "$ROUNDS" "$E2E_HOME" >"$T/kill.out" 2>&1 <<'EOF'
import errno, fcntl, glob, os, pty, random, re, select, signal, struct, subprocess
import sys, termios, time

mamori, content, ans, rounds, home = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
d, base = os.path.split(ans)
temp_glob = os.path.join(d, "." + base + ".tmp.*")
env = {
    "PATH": os.environ["PATH"], "HOME": home, "XDG_DATA_HOME": home + "/.local/share",
    "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "ESCDELAY": "25",
}
STATES = "done|todo|na|yes|partly|no|unknown|open"
TIME = r"(-|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d))"
LINE = re.compile((r"^[A-Za-z0-9._-]+[ \t]+(%s)([ \t]+%s([ \t]+.*)?)?$" % (STATES, TIME)).encode())
READY = "?:ヘルプ".encode()           # the status line: the screen is up
# Keys that save on a checklist item or a 自社診断 question; c brings the
# focus back to the first item after Tab has moved it onto a link.
KEYS = [b" ", b" ", b" ", b"x", b"\t", b"-", b"1", b"2", b"3", b"4", b"c"]
PAGES = ["principle-1", "diagnosis-part1", "action-1"]
rng = random.Random(os.environ.get("E2E_CRASH_SEED") or None)
problems = []

def problem(msg):
    problems.append(msg)
    print("PROBLEM: " + msg, flush=True)

def temps():
    return set(glob.glob(temp_glob))

def start(page):
    pid, fd = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execve(mamori, [mamori, "--content", content, "--answers", ans, "--page", page], env)
        finally:
            os._exit(127)
    fl = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, fl | os.O_NONBLOCK)
    return pid, fd

def drain(fd, timeout):
    """Read what the program drew; b"" at EOF (the program is gone), None when quiet."""
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return None
    try:
        return os.read(fd, 65536)
    except OSError as e:
        if e.errno == errno.EAGAIN:
            return None
        return b""

SANITIZER = re.compile(rb"runtime error:|ERROR: [A-Za-z]*Sanitizer")
tail = b""

def watch(r, got):
    """Look for a sanitizer report in what the program wrote (an --enable-sanitizers build)."""
    global tail
    if got:
        both = tail + got
        m = SANITIZER.search(both)
        if m:
            problem("round %d: a sanitizer report on the terminal: %r" % (r, both[m.start():m.start() + 300]))
        tail = both[-64:]

def wait_ready(r, fd, limit=5.0):
    end = time.monotonic() + limit
    seen = b""
    while time.monotonic() < end:
        got = drain(fd, 0.01)
        if got == b"":
            return False, seen
        if got:
            watch(r, got)
            seen = (seen + got)[-4096:]
            if READY in seen:
                return True, seen
    return False, seen

def check_file(r):
    try:
        with open(ans, "rb") as f:
            data = f.read()
    except OSError as e:
        problem("round %d: the answers file cannot be read: %s" % (r, e))
        return None
    lines = data.split(b"\n")
    if not data.endswith(b"\n"):
        problem("round %d: the file does not end with a newline (%d bytes): %r" % (r, len(data), data[-80:]))
    if lines[0] not in (b"mamori-answers 1", b"mamori-answers 2"):
        problem("round %d: the first line is not the header: %r" % (r, lines[0][:80]))
    for n, l in enumerate(lines[1:-1], 2):
        if l.startswith(b"#"):
            continue
        if not LINE.match(l):
            problem("round %d: line %d is not well-formed: %r" % (r, n, l[:120]))
    p = subprocess.run([mamori, "--content", content, "--progress", "--answers", ans],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        problem("round %d: mamori --progress exits %d: %s" % (r, p.returncode, out[-300:]))
    m = re.search(re.escape(ans) + r":\d+:.*", out)
    if m:
        problem("round %d: mamori --progress reports a problem: %s" % (r, m.group(0)))
    return data

t0 = time.monotonic()
states = set()
left_behind = cleaned = not_ready = 0
prev_temps = set()
r = 0
for r in range(1, rounds + 1):
    if len(problems) >= 10:
        break
    page = PAGES[r % len(PAGES)]
    pid, fd = start(page)
    tail = b""
    ready, seen = wait_ready(r, fd)
    if not ready:
        not_ready += 1
        problem("round %d: mamori did not draw its screen: %r" % (r, seen[-300:]))
    else:
        # The file was opened (and its stale temp files removed) before the screen.
        still = prev_temps & temps()
        if still:
            problem("round %d: a stale temp file survived the start: %s" % (r, sorted(still)))
        elif prev_temps:
            cleaned += len(prev_temps)
        os.write(fd, b"c")
        deadline = time.monotonic() + rng.uniform(0.0, 0.050)
        while time.monotonic() < deadline:
            try:
                os.write(fd, b"".join(rng.choice(KEYS) for _ in range(rng.randint(1, 3))))
            except OSError:
                pass
            watch(r, drain(fd, 0.001))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    now = temps()
    if len(now) > 1:
        problem("round %d: %d temp files left: %s" % (r, len(now), sorted(now)))
    if now:
        left_behind += 1
    prev_temps = now
    data = check_file(r)
    if data is not None:
        states.add(data)

# A last start: it must remove what the last kill left, and quit cleanly.
pid, fd = start(PAGES[0])
tail = b""
ready, seen = wait_ready(rounds + 1, fd)
if ready:
    os.write(fd, b"q")
    end = time.monotonic() + 5
    while time.monotonic() < end:
        got = drain(fd, 0.05)
        if got == b"":
            break
        watch(rounds + 1, got)
else:
    # Never wait for a mamori that was not seen to start: end it, and say so below.
    os.kill(pid, signal.SIGKILL)
_, status = os.waitpid(pid, 0)
os.close(fd)
if not ready or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
    problem("the last start did not quit cleanly (status %d, ready %s)" % (status, ready))
if temps():
    problem("temp files left after a clean start and quit: %s" % sorted(temps()))
check_file(rounds + 1)
print("SUMMARY rounds=%d distinct_files=%d kills_leaving_a_temp_file=%d temp_files_removed_by_next_start=%d "
      "not_ready=%d seconds=%.1f" % (r, len(states), left_behind, cleaned, not_ready, time.monotonic() - t0))
sys.exit(1 if problems else 0)
EOF
rc=$?
summary=$(grep '^SUMMARY' "$T/kill.out")
if [ $rc -eq 0 ]; then
	ok "kill -9 while saving, $ROUNDS rounds: the file always parses, is complete, at most one temp file is left and the next start removes it (${summary#SUMMARY })"
else
	not_ok "kill -9 while saving, $ROUNDS rounds: the file always parses and is complete, stale temp files are removed" \
		"$(head -n 30 "$T/kill.out")"
fi
# Enough saves happened to mean something: the file took many different states.
n=$(printf '%s\n' "$summary" | sed -n 's/.*distinct_files=\([0-9]*\).*/\1/p')
want=$((ROUNDS / 10)); [ $want -gt 10 ] && want=10; [ $want -lt 1 ] && want=1
if [ "${n:-0}" -ge $want ]; then
	ok "the kill rounds saved the file in $n different states"
else
	not_ok "the kill rounds saved the file in at least $want different states (got ${n:-0})" "$summary"
fi

# --- 2. no acknowledged answer is lost ---------------------------------------------

ACKS=${E2E_CRASH_ACKS:-1000}
ACK_S=${E2E_CRASH_ACK_S:-60}
if ! command -v tmux >/dev/null 2>&1; then
	echo "# SKIP acknowledged answers under kill: tmux is not installed"
else
	mkdir -p "$T/ack"
	ACK_SOCK="$E2E_SOCK-ack"
	"$PYTHON" - "$MAMORI" "$MAMORI_CONTENT" "$E2E_CONF" "$ACK_SOCK" "$T/ack" "$E2E_HOME" "$ACKS" "$ACK_S" \
		>"$T/ack.out" 2>&1 <<'EOF'
import glob, os, random, re, signal, subprocess, sys, time

mamori, content, conf, sock, tmp, home = sys.argv[1:7]
target = int(sys.argv[7])
budget = float(sys.argv[8])
ans = os.path.join(tmp, "answers.txt")
temp_glob = os.path.join(tmp, ".answers.txt.tmp.*")
seed = os.environ.get("E2E_CRASH_SEED") or str(random.randrange(1 << 30))
rng = random.Random(seed)
problems = []

def problem(msg):
    problems.append(msg)
    print("PROBLEM: " + msg, flush=True)

# The content: which items a key sequence reaches.
# A 自社診断 round starts on one diagnosis-partN page: c focuses its first
# question, and each answer moves the focus on to the next question, across
# pages, up to the last one.  A checklist round runs on a page whose items
# stand on consecutive lines: c focuses the first, Tab the next.
pages = {}          # page id -> [(item id, text, source line)]
order = []
for path in sorted(glob.glob(os.path.join(content, "*.txt"))):
    page = None
    with open(path, encoding="utf-8") as f:
        for n, l in enumerate(f, 1):
            m = re.match(r"@page (\S+)", l)
            if m:
                page = m.group(1)
                pages[page] = []
                order.append(page)
                continue
            m = re.match(r"\[ \] (\S+) (.+)", l)
            if m and page:
                pages[page].append((m.group(1), m.group(2).strip(), n))
questions = [it for p in order if p.startswith("diagnosis-part") for it in pages[p]]
qpage = {it[0]: p for p in order if p.startswith("diagnosis-part") for it in pages[p]}
diag_starts = [p for p in order if p.startswith("diagnosis-part") and pages[p]]
check_pages = [p for p in order if pages[p] and not p.startswith("diagnosis")
               and all(b[2] == a[2] + 1 for a, b in zip(pages[p], pages[p][1:]))]
if not diag_starts or not check_pages:
    print("PROBLEM: the content has no diagnosis-part page or no checklist page", flush=True)
    sys.exit(1)

# An item is found on the screen by the start of its text: 30 characters
# fit on the first row at 100 columns, and tell every item of a page apart
# (a2-1 and a2-2 share their first 10).
def prefix(text):
    return text[:30]

for p in order:
    starts = [prefix(it[1]) for it in pages[p]]
    if len(set(starts)) != len(starts):
        print("PROBLEM: two items of %s start alike: the test cannot tell them apart" % p, flush=True)
        sys.exit(1)

# How a row shows its state: the 自社診断's answers as words in the
# marker's 4 columns, a checklist item's in brackets ("[_]" said not done,
# "[ ]" not answered; norm() reads todo as not answered, so both count).
MARK = {"yes": ["実施"], "partly": ["一部"], "no": ["なし"], "unknown": ["不明"],
        "done": ["[x]"], "na": ["[-]"], "todo": ["[_]"], None: ["[ ]", "[_]"]}
ANSWER_KEYS = {"1": "yes", "2": "partly", "3": "no", "4": "unknown"}

def norm(s):
    return None if s == "todo" else s

# tmux, through one control-mode client.
# A tmux command costs ~45 ms as a new client on a busy machine, well under
# 1 ms on a control client's stdin.

ctl = subprocess.Popen(["tmux", "-u", "-L", sock, "-f", conf, "-C", "new-session", "-s", "ctl",
                        "-x", "80", "-y", "24", "cat"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)

def tm(cmd):
    """Run one tmux command; its output lines (str).  Blocks that this client
    asked for have flags 1; notifications and the initial block do not count."""
    ctl.stdin.write((cmd + "\n").encode())
    ctl.stdin.flush()
    out, inblock = [], False
    while True:
        l = ctl.stdout.readline()
        if not l:
            raise SystemExit("PROBLEM: the tmux control client went away (%s)" % cmd)
        l = l.rstrip(b"\n")
        if not inblock:
            if l.startswith(b"%begin ") and l.split()[-1] == b"1":
                inblock = True
            continue
        if l.startswith(b"%end ") or l.startswith(b"%error "):
            if l.startswith(b"%error "):
                raise RuntimeError("tmux %s: %s" % (cmd, b"\n".join(out).decode("utf-8", "replace")))
            return [x.decode("utf-8", "replace") for x in out]
        out.append(l)

def q(s):
    assert "'" not in s
    return "'" + s + "'"

try:
    tm("refresh-client -f no-output")   # tmux 3.2 and later: no %output lines to skip
except RuntimeError:
    pass
ENV = ["PATH=" + os.environ["PATH"], "HOME=" + home, "XDG_DATA_HOME=" + home + "/.local/share",
       "XDG_STATE_HOME=" + home + "/.local/state", "XDG_CONFIG_HOME=" + home + "/.config",
       "XDG_CACHE_HOME=" + home + "/.cache", "TERM=tmux-256color", "LANG=C.UTF-8",
       "LC_ALL=C.UTF-8", "ESCDELAY=25"]
COLS, ROWS = 100, 60

def screen(s):
    return tm("capture-pane -p -t " + s)

def poll(pred, limit=3.0, step=0.001):
    end = time.monotonic() + limit
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= end:
            return None
        time.sleep(step)

def shows(s, text, marks):
    """The screen of session s has the item whose text starts with text, with one of marks
    (then a blank or the one-column mark of a note, 未確認 or overdue, or for words nothing)."""
    pt = prefix(text)
    for l in screen(s):
        for m in marks:
            if l.startswith(m):
                rest = l[len(m):]
                if rest.startswith(pt) or rest[1:].startswith(pt):
                    return True
    return False

def dead(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] in "ZX"
    except OSError:
        return True

def read_answers():
    """The file's answers, item -> state; {} if no file was ever written."""
    try:
        with open(ans, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        if not state:
            return {}
        raise
    lines = data.decode("utf-8").split("\n")
    if lines[0] not in ("mamori-answers 1", "mamori-answers 2") or not data.endswith(b"\n"):
        raise ValueError("no header or no final newline: %r" % data[-80:])
    st = {}
    for l in lines[1:-1]:
        if l.startswith("#"):
            continue
        f = l.split(None, 2)
        if len(f) < 2:
            raise ValueError("bad line %r" % l)
        st[f[0]] = norm(f[1])
    return st

def temps():
    return set(glob.glob(temp_glob))

# The rounds.

t0 = time.monotonic()
state = {}                      # what the file holds, as far as we know
rounds = acked = lost = changed = inflight = inflight_saved = 0
by_sig = {"KILL": 0, "TERM": 0, "HUP": 0}
exit_unknown = 0
prev_temps = set()
SIGS = [("KILL", signal.SIGKILL)] * 6 + [("TERM", signal.SIGTERM)] * 2 + [("HUP", signal.SIGHUP)] * 2

while acked < target and len(problems) < 10:
    if time.monotonic() - t0 > budget:
        print("# stopped by the time budget (%.0f s)" % budget, flush=True)
        break
    rounds += 1
    r = rounds
    sess = "r%d" % r
    signame, sig = rng.choice(SIGS)
    by_sig[signame] += 1
    if rng.random() < 0.75:
        start = rng.choice(diag_starts)
        seq = questions[[it[0] for it in questions].index(pages[start][0][0]):]
        diag = True
    else:
        start = rng.choice(check_pages)
        seq = pages[start]
        diag = False
    inflight_kill = rng.random() < 0.4
    # k answers are acknowledged; with an in-flight kill, key k+1 is sent too.
    k = rng.randint(0, len(seq) - 1 if inflight_kill else len(seq))

    args = ["env", "-i"] + ENV + [mamori, "--content", content, "--answers", ans, "--page", start]
    tm("new-session -d -s %s -x %d -y %d %s" % (sess, COLS, ROWS, " ".join(q(a) for a in args)))
    pid = int(tm("display -p -t %s '#{pane_pid}'" % sess)[0])
    if not poll(lambda: any("?:ヘルプ" in l for l in screen(sess)[-1:]), 5.0):
        problem("round %d: mamori did not draw its screen: %s" % (r, "\n".join(screen(sess))[-400:]))
        os.kill(pid, signal.SIGKILL)
        break
    # The file was opened, and the last kill's temp file removed, before the screen.
    still = prev_temps & temps()
    if still:
        problem("round %d: a stale temp file survived the start: %s" % (r, sorted(still)))
    tm("send-keys -t %s c" % sess)
    acks = {}                       # item -> state acknowledged on the screen
    pending = None                  # (item, old state, new state): sent, not acknowledged
    for i in range(k + (1 if inflight_kill else 0)):
        item, text, _ = seq[i]
        cur = state.get(item)
        if diag:
            key = rng.choice([c for c in "1234" if ANSWER_KEYS[c] != cur])
            new = ANSWER_KEYS[key]
        else:
            choices = [(" ", None if cur == "done" else "done"), ("-", None if cur == "na" else "na")]
            key, new = rng.choice(choices)
        if i > 0 and not diag:
            tm("send-keys -t %s Tab" % sess)
        tm("send-keys -t %s -l %s" % (sess, q(key)))
        if i == k:                  # the in-flight key: kill before it is acknowledged
            pending = (item, cur, new)
            time.sleep(rng.uniform(0, 0.003))
            break
        # Acknowledged: the item shows its new marker, or (after the last
        # question of a page) the next page is up with its next question.
        nxt = seq[i + 1] if diag and i + 1 < len(seq) else None
        cross = nxt is not None and qpage[nxt[0]] != qpage[item]
        ok = poll(lambda: shows(sess, text, MARK[new]) or
                  (cross and shows(sess, nxt[1], MARK[state.get(nxt[0])])))
        if not ok:
            problem("round %d: key %r on %s was not acknowledged (%s expected): %s" %
                    (r, key, item, MARK[new], "\n".join(screen(sess))))
            pending = (item, cur, new)
            break
        acks[item] = new
        state[item] = new
        acked += 1
    if pending is None:
        time.sleep(rng.uniform(0, 0.005))
    os.kill(pid, sig)
    if not poll(lambda: dead(pid), 5.0):
        problem("round %d: mamori still runs 5 s after SIG%s" % (r, signame))
        os.kill(pid, signal.SIGKILL)
        poll(lambda: dead(pid), 5.0)
    if sig != signal.SIGKILL:
        # SIGTERM and SIGHUP: mamori leaves by itself (the terminal restored),
        # it is not ended by the signal.  tmux 3.3a may mark the pane dead
        # before it reaps it: a background run-shell makes it look again.
        def pane():
            tm("run-shell -b true")
            v = tm("display -p -t %s '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}'" % sess)[0].split(":")
            return v if v[0] == "1" and (v[1] or v[2]) else None
        v = poll(pane, 1.0, 0.01)
        if v is None:
            exit_unknown += 1
        elif v[2] not in ("", "0"):
            problem("round %d: SIG%s ended mamori by the signal (%s) instead of a clean exit" % (r, signame, v[2]))
    tm("kill-session -t " + sess)
    if pending:
        inflight += 1
    # The file: every acknowledged answer is in it; nothing else changed; the
    # answer in flight is either the old or the new state.
    try:
        got = read_answers()
    except (OSError, ValueError, UnicodeDecodeError) as e:
        problem("round %d: the answers file cannot be read: %s" % (r, e))
        lost += len(acks)
        break
    for item in set(got) | set(state):
        g, want = got.get(item), state.get(item)
        if pending and item == pending[0]:
            if g == pending[2]:
                inflight_saved += 1
                state[item] = g
            elif g != want:
                problem("round %d: the answer in flight on %s is %s, neither the old %s nor the new %s" %
                        (r, item, g, want, pending[2]))
            continue
        if g != want:
            if item in acks:
                lost += 1
                problem("round %d (SIG%s): the acknowledged answer %s %s is lost: the file has %s" %
                        (r, signame, item, want, g))
            else:
                changed += 1
                problem("round %d: %s changed without a key: %s, was %s" % (r, item, g, want))
            state[item] = g
    mode = os.stat(ans).st_mode & 0o777 if os.path.exists(ans) else 0
    if mode & 0o077:
        problem("round %d: the answers file is mode %o" % (r, mode))
    p = subprocess.run([mamori, "--content", content, "--progress", "--answers", ans],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(e.split("=", 1) for e in ENV))
    if p.returncode != 0:
        problem("round %d: mamori --progress --answers exits %d: %s" %
                (r, p.returncode, p.stdout.decode("utf-8", "replace")[-300:]))
    now = temps()
    if len(now) > 1:
        problem("round %d: %d temp files left: %s" % (r, len(now), sorted(now)))
    prev_temps = now

# A last start removes what the last kill left.
sess = "last"
args = ["env", "-i"] + ENV + [mamori, "--content", content, "--answers", ans]
tm("new-session -d -s %s -x %d -y %d %s" % (sess, COLS, ROWS, " ".join(q(a) for a in args)))
if not poll(lambda: any("?:ヘルプ" in l for l in screen(sess)[-1:]), 5.0):
    problem("the last start did not draw its screen")
elif temps():
    problem("temp files left after the last start: %s" % sorted(temps()))
tm("send-keys -t %s q" % sess)
ctl.stdin.write(b"kill-server\n")
ctl.stdin.close()
ctl.wait()
print("SUMMARY kill rounds: %d (KILL %d, TERM %d, HUP %d), acknowledged answers: %d, lost: %d, "
      "in flight at the kill: %d (%d of them saved), changed without a key: %d, "
      "TERM/HUP exit status unknown: %d, seconds: %.1f, seed: %s" %
      (rounds, by_sig["KILL"], by_sig["TERM"], by_sig["HUP"], acked, lost, inflight, inflight_saved,
       changed, exit_unknown, time.monotonic() - t0, seed), flush=True)
sys.exit(1 if problems else 0)
EOF
	rc=$?
	summary=$(grep '^SUMMARY' "$T/ack.out")
	summary=${summary#SUMMARY }
	[ -n "$summary" ] && echo "# $summary"
	if [ $rc -eq 0 ] && [ -n "$summary" ]; then
		ok "SIGKILL, SIGTERM or SIGHUP at a random moment: every acknowledged answer is in the file, nothing else changed, the file parses, no temp file outlives the next start"
	else
		not_ok "SIGKILL, SIGTERM or SIGHUP at a random moment: every acknowledged answer is in the file" \
			"$(head -n 40 "$T/ack.out")"
	fi
	# Enough answers were acknowledged to mean something (a time budget cut
	# short on a slow machine still has to reach a tenth of the aim).
	n=$(printf '%s\n' "$summary" | sed -n 's/.*acknowledged answers: \([0-9]*\).*/\1/p')
	want=$((ACKS / 10)); [ $want -lt 1 ] && want=1
	if [ "${n:-0}" -ge $want ]; then
		ok "the kill rounds acknowledged $n answers (aim $ACKS)"
	else
		not_ok "the kill rounds acknowledged at least $want answers (got ${n:-0})" "$summary"
	fi
	ack_stop
fi

# --- 3 and 4 need tmux ---------------------------------------------------------

# recorder and exit_code come from lib.sh.

if ! command -v tmux >/dev/null 2>&1; then
	echo "# SKIP full disk and EIO on fsync: tmux is not installed"
	finish
fi

# tick_refused DESC FILE DIR WHY RUN: on principle-1, c then Space: the save
# must fail.  The status line says so, and WHY (the error), the item stays
# unticked, the file is byte-identical and no temp file is left in DIR; q
# quits with status 0 (RUN is the recorder the pane runs).  The pane is wide
# so that the whole message fits on the status line.
tick_refused() {
	local desc=$1 file=$2 dir=$3 why=$4 run=$5 st
	cp "$file" "$T/before"
	if ! wait_status '?:ヘルプ'; then
		not_ok "$desc: mamori starts" "$(cat "$T/err" 2>/dev/null)"
		return
	fi
	# c focuses the first item: it turns reverse video.
	if ! press c; then
		not_ok "$desc: c focuses the first item"
		return
	fi
	keys Space
	if wait_status '保存できませんでした'; then
		st=$(status_line | sed 's/  */ /g')
		ok "$desc: the status line says the save failed: ${st:0:60}..."
		if printf '%s' "$st" | grep -qF -- "$why"; then
			ok "$desc: the status line says why: $why"
		else
			not_ok "$desc: the status line says why: $why" "$st"
		fi
	else
		not_ok "$desc: the status line says 保存できませんでした"
	fi
	if cmp -s "$T/before" "$file"; then
		ok "$desc: the answers file is byte-identical"
	else
		not_ok "$desc: the answers file is byte-identical" "$(diff "$T/before" "$file" 2>&1 | head -n 10)"
	fi
	# The change is undone on the screen too: no "[x]" anywhere (the file has no done item).
	if ! screen | grep -qF '[x]'; then
		ok "$desc: the item is shown unticked ([ ]): the change was undone"
	else
		not_ok "$desc: the item is shown unticked ([ ])" "$(dump_screen)"
	fi
	local left
	left=$(find "$dir" -maxdepth 1 -name '.*.tmp.*' 2>/dev/null)
	if [ -z "$left" ]; then
		ok "$desc: no temp file is left"
	else
		not_ok "$desc: no temp file is left" "$left"
	fi
	quit_status "$run"
	if [ "$QUIT_STATUS" = 0 ]; then
		ok "$desc: q still quits, status 0"
	else
		not_ok "$desc: q still quits, status 0 (got '$QUIT_STATUS')" "$QUIT_DETAIL" "$(dump_screen)"
	fi
}

# quit_status RUN: press q and wait for mamori to end; QUIT_STATUS is its
# exit status, or "still running" with QUIT_DETAIL saying what the pane's
# processes are doing.
quit_status() {
	local pid t0
	pid=$(pane_pid)
	t0=$(_now_ms)
	keys q
	QUIT_DETAIL=
	QUIT_STATUS=$(exit_code "$1") && return 0
	QUIT_STATUS="still running"
	QUIT_DETAIL="after $(($(_now_ms) - t0)) ms: $(ps -o pid=,stat=,wchan=,args= --ppid "$pid" -p "$pid" 2>&1)"
}

ORIG=$(printf 'mamori-answers 1\n# written by crash.sh\np1-2 todo 2026-11-25T09:31:12+09:00 既存のメモ\ndiag-03 partly 2026-11-25T10:15:00+09:00\n')

# --- 3. a full disk -----------------------------------------------------------

MNT="$T/full"
mkdir -p "$MNT"
if [ "$(id -u)" != 0 ]; then
	echo "# SKIP full disk: not root, cannot mount a tmpfs"
	MNT=
elif ! mount -t tmpfs -o size=64k,mode=0700 tmpfs "$MNT" 2>"$T/mount.err"; then
	echo "# SKIP full disk: mount -t tmpfs is not permitted here: $(cat "$T/mount.err")"
	MNT=
else
	printf '%s\n' "$ORIG" >"$MNT/answers.txt"
	dd if=/dev/zero of="$MNT/fill" bs=4096 >/dev/null 2>&1
	# Fill what dd's last block left, byte by byte.
	while printf x >>"$MNT/fill" 2>/dev/null; do :; done
	avail=$(df -B1 --output=avail "$MNT" | tail -n 1 | tr -d ' ')
	if [ "${avail:-1}" = 0 ] && ! printf x >>"$MNT/fill" 2>/dev/null; then
		ok "full disk: the tmpfs is full (0 bytes available)"
	else
		not_ok "full disk: the tmpfs is full" "avail=$avail"
	fi
	recorder run-full
	real=$MAMORI
	MAMORI="$T/run-full"
	mm_start 250 24 -- --answers "$MNT/answers.txt" --page principle-1
	MAMORI=$real
	tick_refused "full disk" "$MNT/answers.txt" "$MNT" "No space left on device" run-full
	umount "$MNT" 2>/dev/null || umount -l "$MNT"
	MNT=
fi

# --- 4. EIO on fsync ------------------------------------------------------------

if ! command -v strace >/dev/null 2>&1; then
	echo "# SKIP EIO on fsync: strace is not installed"
elif ! strace -f -e inject=fsync:error=EIO -o /dev/null true 2>"$T/strace.err"; then
	echo "# SKIP EIO on fsync: strace cannot trace here: $(head -n 1 "$T/strace.err")"
else
	mkdir -p "$T/eio"
	printf '%s\n' "$ORIG" >"$T/eio/answers.txt"
	# mamori under strace, as the pane's command.
	recorder run-eio strace -f -e inject=fsync:error=EIO -o /dev/null
	real=$MAMORI
	MAMORI="$T/run-eio"
	# LeakSanitizer (an --enable-sanitizers build) cannot run under ptrace: no leak check here.
	mm_start 250 24 ASAN_OPTIONS=detect_leaks=0 -- --answers "$T/eio/answers.txt" --page principle-1
	MAMORI=$real
	tick_refused "EIO on fsync" "$T/eio/answers.txt" "$T/eio" "fsync: Input/output error" run-eio
fi

finish
