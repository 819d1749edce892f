#!/bin/bash
# Crash safety of saving (issue 6, robustness): the answers file is always
# the old or the new version, never a mix, whatever happens while mamori
# saves it.
#   1. kill -9 at random moments while keys that save are pressed, many
#      rounds: the file always parses and is complete, at most one stale
#      temp file is left, and the next start removes it.
#   2. a full disk (a tiny tmpfs; needs root and mount, else skipped): a
#      tick is refused, the file stays byte-identical, the user is told.
#   3. EIO on fsync (strace fault injection): the same.
# Part 1 drives mamori through a pty from python3 (pty.fork, keys written
# straight to the pty, SIGKILL by pid): through tmux a round costs several
# times more.  Parts 2 and 3 run in tmux.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/crash.sh
# E2E_CRASH_ROUNDS=N changes the number of kill rounds (default 200).

. "$(dirname "$0")/lib.sh"
e2e_init crash
need_python3

T=$E2E_TMP
ROUNDS=${E2E_CRASH_ROUNDS:-200}
MNT=

# The tmpfs must be unmounted before lib.sh removes the temp dir.
crash_cleanup() {
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
    if lines[0] != b"mamori-answers 1":
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

# --- 2 and 3 need tmux ---------------------------------------------------------

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

# --- 2. a full disk -----------------------------------------------------------

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

# --- 3. EIO on fsync ------------------------------------------------------------

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
