# Shared helpers for mamori's end-to-end tests.  Source it from bash:
#
#   . "$(dirname "$0")/lib.sh"
#   e2e_init reader            # temp dir, private socket name, cleanup trap
#   need_tmux                  # exit 77 (SKIP) if tmux is missing
#   mm_start 80 24 [ENV...] [-- ARG...]   # mamori as the pane's command
#   wait_for '目次' || ...      # poll capture-pane, bounded; screen on timeout
#   keys j j Enter / press j   # send keys / send and wait for a redraw
#   st=$(wait_exit)            # wait for the pane to die, print its status
#   ok "..." / not_ok "..." [DETAIL...] / same DESC GOT WANT / check DESC CMD...
#   finish                     # "N passed, M failed", exit 0 or 1
#
# Environment (set by `make check`; guessed from this file's place otherwise):
#   MAMORI          the built binary
#   MAMORI_CONTENT  the source content/ directory
#   TESTS_SRCDIR    the source tests/ directory (for tmux.conf)
# E2E_TIMEOUT_MS bounds every wait (default 3000); E2E_DEADLINE_S a whole
# script (default 120).
#
# Results go to stdout, one line per check ("ok - ..." / "not ok - ...",
# details indented under "#"), then "N passed, M failed"; a wait that times
# out shows the screen on stderr.  A broken harness (tmux gone) stops the
# script with "Bail out!" and exit 99 (a hard error for automake).

E2E_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TESTS_SRCDIR:=$(cd "$E2E_LIB_DIR/.." && pwd)}"
: "${MAMORI_CONTENT:=$(cd "$TESTS_SRCDIR/../content" 2>/dev/null && pwd)}"
: "${MAMORI:=$(cd "$TESTS_SRCDIR/.." && pwd)/mamori}"
export MAMORI MAMORI_CONTENT TESTS_SRCDIR

# The tests themselves read UTF-8 (grep, python3, wc -L).  C.UTF-8 is on
# every glibc system; the program's own locale is set per pane.
export LC_ALL=C.UTF-8
unset LANGUAGE
# Not inside the caller's tmux, whatever it is.
unset TMUX TMUX_PANE

E2E_PASSED=0
E2E_FAILED=0
E2E_NAME=
E2E_TMP=
E2E_SOCK=
E2E_SERVER=0
E2E_CONF=
ESC=$(printf '\033')

# --- results ---------------------------------------------------------------

ok() {
	E2E_PASSED=$((E2E_PASSED + 1))
	printf 'ok - %s\n' "$*"
}

# not_ok DESC [DETAIL...]: a failed check; details go out indented.
not_ok() {
	E2E_FAILED=$((E2E_FAILED + 1))
	printf 'not ok - %s\n' "$1"
	shift
	local d
	for d in "$@"; do
		printf '%s\n' "$d" | sed 's/^/#   /'
	done
}

# check DESC CMD [ARG...]: ok if CMD succeeds, else not ok (with its output).
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc" "$out"
	fi
}

# same DESC GOT WANT: ok if GOT is WANT, else not ok saying both.
same() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2', want '$3'"
	fi
}

finish() {
	printf '%d passed, %d failed\n' "$E2E_PASSED" "$E2E_FAILED"
	[ "$E2E_FAILED" -eq 0 ] && exit 0
	exit 1
}

# bail_out MESSAGE: the harness itself broke (tmux gone, say): stop here,
# with the counts so far, as a hard error.
bail_out() {
	printf 'Bail out! %s\n' "$*"
	printf '%d passed, %d failed\n' "$E2E_PASSED" "$((E2E_FAILED + 1))"
	exit 99
}

skip_all() {
	printf 'SKIP: %s\n' "$*"
	exit 77
}

# --- setup and cleanup -----------------------------------------------------

e2e_cleanup() {
	if [ "$E2E_SERVER" = 1 ]; then
		timeout 10 tmux -L "$E2E_SOCK" kill-server >/dev/null 2>&1
		# The server may leave its socket file behind.
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$E2E_SOCK"
		E2E_SERVER=0
	fi
	if [ -n "$E2E_TMP" ] && [ -d "$E2E_TMP" ]; then
		rm -rf "$E2E_TMP"
	fi
}

# e2e_init NAME: counters, temp dir, socket name, cleanup trap.
e2e_init() {
	E2E_NAME=$1
	E2E_START_MS=$(_now_ms)
	E2E_SOCK="mamori-test-$$-$E2E_NAME"
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mamori-e2e-$E2E_NAME.XXXXXX") ||
		{ echo "cannot make a temp dir" >&2; exit 99; }
	trap e2e_cleanup EXIT
	trap 'e2e_cleanup; exit 130' INT
	trap 'e2e_cleanup; exit 143' TERM
	trap 'e2e_cleanup; exit 129' HUP
	# A private home, so that nothing the program saves leaks out of the test.
	E2E_HOME="$E2E_TMP/home"
	mkdir -p "$E2E_HOME"
	if [ ! -x "$MAMORI" ]; then
		echo "Bail out! MAMORI is not an executable: '$MAMORI'" >&2
		exit 99
	fi
	if [ ! -d "$MAMORI_CONTENT" ]; then
		echo "Bail out! MAMORI_CONTENT is not a directory: '$MAMORI_CONTENT'" >&2
		exit 99
	fi
	E2E_CONF="$TESTS_SRCDIR/tmux.conf"
	[ -f "$E2E_CONF" ] || E2E_CONF="$E2E_LIB_DIR/../tmux.conf"
}

need_tmux() {
	command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
}

# PYTHON: python3 to measure text with.  A system one is preferred: a
# version manager's shim can take 100 ms to start.
need_python3() {
	if [ -z "${PYTHON:-}" ]; then
		if [ -x /usr/bin/python3 ]; then
			PYTHON=/usr/bin/python3
		else
			PYTHON=$(command -v python3) || skip_all "python3 is not installed"
		fi
	fi
}

# mm CMD-ARGS: run mamori on the source content, outside tmux.
mm() {
	"$MAMORI" --content "$MAMORI_CONTENT" "$@"
}

# --- tmux ------------------------------------------------------------------

# Every tmux client call is bounded: tmux 3.3a's client was seen to hang
# for good (a run-shell after a pane died), and a hung call would stall the
# whole run past any deadline the polling loop checks.
tm() {
	timeout 10 tmux -u -L "$E2E_SOCK" -f "$E2E_CONF" "$@"
}

# The environment a pane normally gets: a known terminal and a UTF-8 locale,
# a fast Esc, a private home.
E2E_PANE_ENV_DEFAULT="TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ESCDELAY=25"

# mm_start COLS ROWS [ENV-ARG...] [-- MAMORI-ARG...]
# Starts mamori on the source content as the command of a fresh pane (a
# new session), at COLS x ROWS.  The pane's environment is `env -i` plus
# PATH, a private HOME and XDG_*, the defaults in E2E_PANE_ENV_DEFAULT,
# then the ENV-ARGs: NAME=VALUE sets (or overrides) a variable, `-u NAME`
# leaves NAME out.  mamori is the pane's process (#{pane_pid}).
mm_start() {
	local cols=$1 rows=$2
	shift 2
	_mm_cmd "$@" || return 2
	_new_session "$cols" "$rows" "${E2E_CMD[@]}"
}

# mm_start_io COLS ROWS OUT ERR [ENV-ARG...] [-- MAMORI-ARG...]
# Like mm_start, but every byte mamori writes to the terminal goes to OUT
# as well (tmux pipe-pane), and its stderr goes to ERR instead of the pane.
# The pane waits for a newline before it starts mamori, so that nothing is
# missed: OUT begins with the "\r\n" echo of that newline.
mm_start_io() {
	local cols=$1 rows=$2 out=$3 err=$4
	shift 4
	_mm_cmd "$@" || return 2
	: >"$out"
	_new_session "$cols" "$rows" /bin/sh -c 'e=$1; shift; read _ || exit 99; exec "$@" 2>"$e"' \
		sh "$err" "${E2E_CMD[@]}" || return 1
	tm pipe-pane -O -t "$E2E_SESS" "cat >>'$out'" || return 1
	keys Enter
}

# Every start opens the contents, as it did before mamori kept a place to
# resume (issue 14): each pane gets a state directory of its own holding a
# resume file that names no page (so no 「はじめての方へ」 either).  Its own:
# a mamori being stopped as the next starts writes its place on the way
# out.  A script about the first run or resuming sets E2E_RESUME=1 (then
# $E2E_HOME/.local/state is used, and kept; tests/e2e/firstrun.sh).
# _seed_resume [STATE_HOME]: plant it there instead (a shell's mamori).
E2E_NSTATE=0
E2E_STATE_HOME=
_seed_resume() {
	if [ -z "$1" ]; then
		E2E_STATE_HOME=
		[ -n "${E2E_RESUME:-}" ] && return 0
		E2E_NSTATE=$((E2E_NSTATE + 1))
		E2E_STATE_HOME="$E2E_TMP/state$E2E_NSTATE"
	fi
	local d="${1:-$E2E_STATE_HOME}/mamori"
	mkdir -p "$d" && chmod 700 "${1:-$E2E_STATE_HOME}" "$d" &&
		printf 'mamori-resume 1\nscreen contents\n' >"$d/resume" && chmod 600 "$d/resume"
}

_mm_cmd() {
	local sets=() drop=() args=()
	_seed_resume
	while [ $# -gt 0 ]; do
		case $1 in
		--) shift; args=("$@"); break ;;
		-u) drop+=("$2"); shift 2 ;;
		*=*) sets+=("$1"); shift ;;
		*) echo "mm_start: bad argument '$1'" >&2; return 2 ;;
		esac
	done
	local defaults e d keep
	read -r -a defaults <<<"$E2E_PANE_ENV_DEFAULT"
	E2E_CMD=(env -i "PATH=$PATH" "HOME=$E2E_HOME"
		"XDG_DATA_HOME=$E2E_HOME/.local/share" "XDG_STATE_HOME=${E2E_STATE_HOME:-$E2E_HOME/.local/state}"
		"XDG_CONFIG_HOME=$E2E_HOME/.config" "XDG_CACHE_HOME=$E2E_HOME/.cache")
	for e in "${defaults[@]}" "${sets[@]}"; do
		keep=1
		for d in "${drop[@]}"; do [ "${e%%=*}" = "$d" ] && keep=0; done
		[ $keep = 1 ] && E2E_CMD+=("$e")
	done
	E2E_CMD+=("$MAMORI" --content "$MAMORI_CONTENT" "${args[@]}")
	E2E_LAST_CMD="mamori ${args[*]}"
	[ ${#sets[@]} -gt 0 ] && E2E_LAST_CMD="${sets[*]} $E2E_LAST_CMD"
	[ ${#drop[@]} -gt 0 ] && E2E_LAST_CMD="$E2E_LAST_CMD (without ${drop[*]})"
	return 0
}

# One server per test script; every mamori gets a session of its own (a
# killed server exits asynchronously, so starting a new server on the same
# socket at once races with the old one going away).
E2E_SESS=
E2E_NSESS=0
_new_session() {
	local cols=$1 rows=$2
	shift 2
	if [ -n "$E2E_SESS" ]; then
		tm kill-session -t "$E2E_SESS" >/dev/null 2>&1
	fi
	E2E_NSESS=$((E2E_NSESS + 1))
	E2E_SESS="e2e$E2E_NSESS"
	E2E_SERVER=1
	tm new-session -d -s "$E2E_SESS" -x "$cols" -y "$rows" "$@" ||
		bail_out "tmux new-session failed (socket $E2E_SOCK)"
	return 0
}

screen() { tm capture-pane -p -t "$E2E_SESS"; }
# The screen with attributes (SGR escapes) kept.
screen_e() { tm capture-pane -p -e -t "$E2E_SESS"; }
# line N: the Nth line (1-based) of the screen.
line() { screen | sed -n "${1}p"; }
# The last line of the pane (the status line), whatever the pane height.
# (capture-pane prints one line per row, blank rows too.)
status_line() { screen | tail -n 1; }
pane_fmt() { tm display-message -p -t "$E2E_SESS" "$1"; }
keys() { tm send-keys -t "$E2E_SESS" "$@"; }
# Literal text (no key names).
type_text() { tm send-keys -t "$E2E_SESS" -l "$1"; }
pane_pid() { pane_fmt '#{pane_pid}'; }
# tmux 3.3a may mark a pane dead before it has reaped the process (no
# status yet), and then only reaps it on its next SIGCHLD: a background
# `run-shell -b true` makes one.  (A foreground `run-shell true` was seen
# to hang its client for good.)
pane_dead() {
	tm run-shell -b true >/dev/null 2>&1
	[ "$(pane_fmt '#{pane_dead}' 2>/dev/null)" = 1 ]
}
# The pane is dead and its exit status (or signal) is known.
_reaped() {
	tm run-shell -b true >/dev/null 2>&1
	case $(pane_fmt '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}' 2>/dev/null) in
	1:[0-9]*:* | 1::[0-9]*) return 0 ;;
	esac
	return 1
}
resize() { tm resize-window -t "$E2E_SESS" -x "$1" -y "$2"; }

# How long a wait may take before the check fails, in milliseconds.  The
# first screen is normally there within 20 ms; this only bounds a failure.
E2E_TIMEOUT_MS=${E2E_TIMEOUT_MS:-3000}

_now_ms() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		local t=${EPOCHREALTIME/[.,]/}
		echo $((t / 1000))
	else
		date +%s%3N
	fi
}

dump_screen() {
	echo "--- screen (${E2E_LAST_CMD:-?}) ---"
	screen 2>&1
	echo "--- end of screen ---"
}

# _poll PREDICATE-CMD...: run it every 10 ms until it succeeds, for at most
# E2E_TIMEOUT_MS (or E2E_WAIT_MS if set for this call).  A script that has
# run for E2E_DEADLINE_S in all is stopped: many failing waits in a row
# mean the harness is broken, and `make check` must not hang on it.
E2E_DEADLINE_S=${E2E_DEADLINE_S:-120}
E2E_START_MS=
_poll() {
	local now end
	now=$(_now_ms)
	end=$((now + ${E2E_WAIT_MS:-$E2E_TIMEOUT_MS}))
	[ -n "$E2E_START_MS" ] && [ $((now - E2E_START_MS)) -gt $((E2E_DEADLINE_S * 1000)) ] &&
		bail_out "still running after ${E2E_DEADLINE_S} s"
	while :; do
		"$@" && return 0
		[ "$(_now_ms)" -ge "$end" ] && return 1
		sleep 0.01
	done
}

_scr() { screen 2>/dev/null; }
_scr_e() { screen_e 2>/dev/null; }
_has_fixed() { _scr | grep -qF -- "$1"; }
_has_re() { _scr | grep -qE -- "$1"; }
_line_has() { _scr | sed -n "${1}p" | grep -qF -- "$2"; }
_line_re() { _scr | sed -n "${1}p" | grep -qE -- "$2"; }
_status_has() { status_line 2>/dev/null | grep -qF -- "$1"; }
_status_re() { status_line 2>/dev/null | grep -qE -- "$1"; }
_differs() { [ "$(_scr_e)" != "$1" ]; }
_lacks_fixed() { ! _scr | grep -qF -- "$1"; }

_wait_report() {
	# On timeout: say what was awaited and show the screen, on stderr, so
	# that the check's own line on stdout stays one line.  If the session
	# is gone, nothing after this can work: stop.
	tm has-session -t "$E2E_SESS" >/dev/null 2>&1 ||
		bail_out "the tmux session $E2E_SESS on $E2E_SOCK went away (waiting for: $*)"
	{
		echo "# timed out waiting for: $*"
		dump_screen | sed 's/^/#   /'
	} >&2
	return 1
}

# wait_for TEXT: the screen shows TEXT (fixed string).
# recorder NAME [PREFIX...]: writes $E2E_TMP/NAME, a script to stand in for MAMORI
# as a pane's command: it runs PREFIX... MAMORI with its arguments and
# writes mamori's exit status to $E2E_TMP/NAME.status.  The status is not asked of
# tmux: tmux 3.3a sometimes marks a pane dead before it reaps the process,
# and then #{pane_dead_status} stays empty and `run-shell` (which lib.sh's
# pane_dead uses to make it reap) can hang for good.
recorder() {
	local name=$1
	shift
	{
		echo '#!/bin/sh'
		printf "rm -f '%s'\n" "$E2E_TMP/$name.status"
		printf ' %q' "$@" "$MAMORI"
		echo ' "$@"'
		printf "echo \$? >'%s'\n" "$E2E_TMP/$name.status"
	} >"$E2E_TMP/$name"
	chmod +x "$E2E_TMP/$name"
}
# exit_code NAME: the exit status of the last run of recorder NAME, once it
# has ended (10 s at most); returns 1, printing nothing, if it has not.
_has_status() { [ -s "$E2E_TMP/$1.status" ]; }
exit_code() {
	E2E_WAIT_MS=10000 _poll _has_status "$1" || return 1
	cat "$E2E_TMP/$1.status"
}

wait_for() { _poll _has_fixed "$1" || _wait_report "text '$1'"; }
# wait_for_re ERE: some screen line matches ERE.
wait_for_re() { _poll _has_re "$1" || _wait_report "regex /$1/"; }
# wait_line N TEXT: line N holds TEXT.
wait_line() { _poll _line_has "$1" "$2" || _wait_report "line $1 with '$2'"; }
wait_line_re() { _poll _line_re "$1" "$2" || _wait_report "line $1 matching /$2/"; }
# wait_status TEXT / wait_status_re ERE: on the last line of the pane.
wait_status() { _poll _status_has "$1" || _wait_report "status line with '$1'"; }
wait_status_re() { _poll _status_re "$1" || _wait_report "status line matching /$1/"; }
# wait_gone TEXT: the screen no longer shows TEXT.
wait_gone() { _poll _lacks_fixed "$1" || _wait_report "'$1' to go away"; }
# wait_change SNAPSHOT: the screen is no longer SNAPSHOT (from `screen_e`:
# attributes count, so a focus that moves is a change), then settles.
wait_change() {
	_poll _differs "$1" || { _wait_report "the screen to change"; return 1; }
	settle
}

# settle: wait until two captures 15 ms apart are the same (a redraw that
# is under way has finished).  Use it after a wait_* that saw the start of
# a change, never instead of one.
settle() {
	local a b n=0
	a=$(_scr_e)
	while [ $n -lt 50 ]; do
		sleep 0.015
		b=$(_scr_e)
		[ "$a" = "$b" ] && return 0
		a=$b
		n=$((n + 1))
	done
	return 1
}

# press KEY...: send keys and wait for the screen to change (and settle).
# Fails (with the screen) if nothing changes.
press() {
	local before
	before=$(_scr_e)
	keys "$@"
	wait_change "$before"
}

# wait_exit: wait for the pane to die; prints its exit status (or
# "signal N" if a signal killed it).  Returns 1, printing nothing, if it is
# still alive (or not reaped) after E2E_TIMEOUT_MS.
wait_exit() {
	_poll _reaped || return 1
	local st
	st=$(pane_fmt '#{pane_dead_status}')
	[ -n "$st" ] || st="signal $(pane_fmt '#{pane_dead_signal}')"
	echo "$st"
}

# --- reading the screen --------------------------------------------------------

# reverse_lines: the lines of the page area (every row but the status line)
# that hold reverse video (an SGR with parameter 7), attributes stripped.
reverse_lines() {
	screen_e | sed '$d' | grep -E "${ESC}\[([0-9]+;)*7(;[0-9]+)*m" |
		sed "s/${ESC}\[[0-9;]*m//g"
}

# page_offset DUMPFILE: where the page body on screen (every row but the
# status line) sits in DUMPFILE (the page's --dump at the pane's width):
# prints the 1-based number of the dump line shown on the top row, or 0 if
# the screen shows no window of the dump.  Trailing blanks do not count;
# rows past the end of the dump must be empty.
page_offset() {
	_scr >"$E2E_TMP/.screen"
	_offset_in "$1" "$E2E_TMP/.screen"
}
_offset_in() {
	awk '
		{ sub(/[ \t\r]+$/, "") }
		FILENAME == ARGV[1] { d[++nd] = $0; next }
		{ s[++ns] = $0 }
		END {
			nb = ns - 1                     # without the status line
			for (off = 0; off < nd; off++) {
				same = 1
				for (i = 1; i <= nb; i++) {
					want = (off + i <= nd) ? d[off + i] : ""
					if (s[i] != want) { same = 0; break }
				}
				if (same) { print off + 1; exit }
			}
			print 0
		}' "$1" "$2"
}

# wait_shows DUMPFILE: the page body on screen is a window of DUMPFILE
# (the page laid out at the pane's new width, say, after a resize).
_shows() { [ "$(page_offset "$1")" != 0 ]; }
wait_shows() { _poll _shows "$1" || _wait_report "a window of $(basename "$1")"; }
