#!/bin/bash
# The answers file and the sessions directory against a second program and
# a hostile shared server (issue 10), with the real binary in tmux:
#   1. a line added by hand while mamori runs survives mamori's next save;
#   2. after the file is replaced by rename (mv, rsync, editors) a second
#      mamori still finds it in use (the lock is on .NAME.lock);
#   3. a failed fsync of the directory after the rename is not called
#      "undone": the change is on disk and on screen;
#   4. a symlink or a directory planted at $XDG_DATA_HOME/mamori by another
#      user (a real second user, made with useradd; skipped when not root)
#      is refused by the reader and by --progress, naming it.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/shared.sh

. "$(dirname "$0")/lib.sh"
e2e_init shared
need_tmux

T=$E2E_TMP
P1_1='IT活用を進めるうえで'
P1_2='どの対策をどこまで'

# A second pane beside the current one (the first mamori keeps running).
mm_start_also() {
	local cols=$1 rows=$2
	shift 2
	_mm_cmd "$@" || return 2
	E2E_NSESS=$((E2E_NSESS + 1))
	E2E_SESS="e2e$E2E_NSESS"
	tm new-session -d -s "$E2E_SESS" -x "$cols" -y "$rows" "${E2E_CMD[@]}"
}

_file_re() { [ -f "$1" ] && grep -qE -- "$2" "$1"; }
wait_file_re() { _poll _file_re "$1" "$2" || _wait_report "$1 matching /$2/"; }

# --- 1. an edit by hand while mamori runs ---------------------------------------

F=$T/edit.txt
mm_start 80 24 -- --answers "$F" --page principle-1
wait_for '原則1' >/dev/null
keys c
wait_for "[ ] $P1_1" >/dev/null
keys Space
check "Space ticks p1-1 and saves it" wait_file_re "$F" '^p1-1[ 	]+done[ 	]'
printf 'p1-3 na 2026-11-25T09:00:00+09:00 added by hand\n' >>"$F"
keys Tab Space
check "the next tick (p1-2) is saved" wait_file_re "$F" '^p1-2[ 	]+done[ 	]'
check "the line added by hand is still there" grep -qE '^p1-3 na 2026-11-25T09:00:00\+09:00 added by hand$' "$F"
check "p1-1 is still done" grep -qE '^p1-1[ 	]+done[ 	]' "$F"
# An editor's save: a new file renamed over the name.
{ cat "$F"; printf 'art-1 done - from an editor\n'; } >"$F.new"
mv "$F.new" "$F"
keys Tab Space
check "a tick after an editor's replace is saved" wait_file_re "$F" '^p1-3[ 	]+done[ 	]'
check "the editor's line is still there" grep -qE '^art-1 done - from an editor$' "$F"
keys q
wait_exit >/dev/null

# --- 2. the one-writer rule across a replace by rename ---------------------------

F=$T/two.txt
mm_start 80 24 -- --answers "$F" --page principle-1
FIRST=$E2E_SESS
wait_for '原則1' >/dev/null
keys c
wait_for "[ ] $P1_1" >/dev/null
keys Space
wait_file_re "$F" '^p1-1[ 	]+done' >/dev/null
cp "$F" "$F.new"
mv "$F.new" "$F"
mm_start_also 80 24 -- --answers "$F" --page principle-1
wait_for '原則1' >/dev/null
check "after mv over the file a second mamori is still read-only (読み取り専用)" wait_status '読み取り専用'
keys c Tab Space
settle >/dev/null 2>&1
check "the second did not write p1-2" bash -c "! grep -q '^p1-2' '$F'"
tm kill-session -t "$E2E_SESS" >/dev/null 2>&1
E2E_SESS=$FIRST
keys Tab Space
check "the first still writes (p1-2 done)" wait_file_re "$F" '^p1-2[ 	]+done'
keys q
wait_exit >/dev/null
check "the lock file is gone once the writer quits" test ! -e "$T/.two.txt.lock"

# --- 3. fsync of the directory fails after the rename ---------------------------

if ! command -v strace >/dev/null 2>&1; then
	echo "# SKIP directory fsync: strace is not installed"
elif ! strace -f -e inject=fsync:error=EIO:when=2+2 -o /dev/null true 2>/dev/null; then
	echo "# SKIP directory fsync: strace cannot inject here"
else
	F=$T/sync.txt
	printf 'mamori-answers 1\n' >"$F"
	chmod 600 "$F"
	# Each save is fsync(temp), then fsync(directory): fail every second one.
	_mm_cmd -- --answers "$F" --page principle-1
	_new_session 80 24 strace -f -o /dev/null -e inject=fsync:error=EIO:when=2+2 "${E2E_CMD[@]}"
	wait_for '原則1' >/dev/null
	keys c
	wait_for "[ ] $P1_1" >/dev/null
	keys Space
	check "the change is in the file" wait_file_re "$F" '^p1-1[ 	]+done'
	check "it stays ticked on screen" wait_for "[x] $P1_1"
	if status_line | grep -qF '取り消しました'; then
		not_ok "the status line does not claim the change was undone" "$(status_line)"
	else
		ok "the status line does not claim the change was undone"
	fi
	keys q
	wait_exit >/dev/null
fi

# --- 4. a parent planted by another user ----------------------------------------

if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null 2>&1 || ! command -v setpriv >/dev/null 2>&1; then
	echo "# SKIP planted parent: needs root, useradd and setpriv"
else
	EVIL=mamori-e2e-evil
	id "$EVIL" >/dev/null 2>&1 || useradd -M -r -s /usr/sbin/nologin "$EVIL" 2>/dev/null
	if ! id "$EVIL" >/dev/null 2>&1; then
		echo "# SKIP planted parent: cannot create user $EVIL"
	else
		EUID_EVIL=$(id -u "$EVIL")
		SHARED=$T/shared
		mkdir -p "$SHARED"
		chmod 1777 "$SHARED"
		chmod 711 "$T"
		as_evil() { setpriv --reuid="$EUID_EVIL" --regid="$(id -g "$EVIL")" --clear-groups "$@"; }
		as_evil mkdir -p "$SHARED/trap/sessions"
		as_evil chmod -R 777 "$SHARED/trap"
		as_evil sh -c "printf 'mamori-answers 1\np1-1 done -\n' >'$SHARED/trap/sessions/2026-01-01.txt'"
		as_evil ln -s "$SHARED/trap" "$SHARED/mamori"
		out=$(XDG_DATA_HOME=$SHARED mm --progress 2>&1)
		st=$?
		check "--progress refuses the planted symlink (status 1)" test "$st" = 1
		if printf '%s' "$out" | grep -qF "$SHARED/mamori" && printf '%s' "$out" | grep -qF 'symbolic link'; then
			ok "the message names $SHARED/mamori as a symbolic link"
		else
			not_ok "the message names $SHARED/mamori as a symbolic link" "$out"
		fi
		mm_start 80 24 "XDG_DATA_HOME=$SHARED" -- --page principle-1
		st=$(wait_exit)
		check "the reader refuses to start there (status 1)" test "$st" = 1
		check "nothing was made in the attacker's directory" \
			test "$(ls -A "$SHARED/trap/sessions")" = 2026-01-01.txt
		# A real directory of the other user, open to all.
		as_evil rm "$SHARED/mamori"
		as_evil mkdir -m 777 "$SHARED/mamori"
		out=$(XDG_DATA_HOME=$SHARED mm --progress 2>&1)
		st=$?
		if [ "$st" = 1 ] && printf '%s' "$out" | grep -qF 'another user'; then
			ok "--progress refuses a mamori directory of another user, naming it"
		else
			not_ok "--progress refuses a mamori directory of another user, naming it" "status $st: $out"
		fi
		check "and the reader makes no sessions directory in it" test ! -e "$SHARED/mamori/sessions"
		userdel "$EVIL" >/dev/null 2>&1
	fi
fi

# --- 5. the sessions directory swapped for a symlink while mamori runs ----------
# A new session made from the sessions screen (S, then N and y: N asks
# first, issue 13) goes into the directory mamori opened and checked at
# start, not where the symlink points.
H=$E2E_HOME/.local/share/mamori
mm_start 80 24 -- --page principle-1
wait_for '原則1' >/dev/null
mkdir -p "$T/attacker"
mv "$H/sessions" "$H/sessions.real" && ln -s "$T/attacker" "$H/sessions"
keys S
wait_for 'セッション' >/dev/null 2>&1
keys N
wait_status '(y/N)' >/dev/null 2>&1
keys y
# "新しいセッション NAME を始めました" (the question holds 新しいセッション too).
wait_status 'を始めました' >/dev/null 2>&1
n_real=$(find "$H/sessions.real" -name '*.txt' | wc -l)
n_attacker=$(find "$T/attacker" -type f | wc -l)
if [ "$n_real" = 2 ] && [ "$n_attacker" = 0 ]; then
	ok "S, N, y after the sessions directory was swapped for a symlink: the new session is in the real one"
else
	not_ok "a new session goes into the directory checked at start" \
		"real: $(ls "$H/sessions.real")" "attacker's: $(ls "$T/attacker")" "$(status_line)"
fi
keys q q
wait_exit >/dev/null
rm -f "$H/sessions" && mv "$H/sessions.real" "$H/sessions"

finish
