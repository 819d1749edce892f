#!/bin/bash
# End-to-end checks of keyboard input (issue 10), driven in tmux: an
# invalid byte sequence typed at the keyboard (a terminal set to the wrong
# charset) ends at the first byte that cannot continue it, and every key
# after it still works: in the main loop, the search line and the note
# editor, in UTF-8, EUC-JP and Shift_JIS locales.  Notes have no length
# limit but the file's own, and a long paste is taken in without a redraw
# per character.  A SIGTERM sent at any moment ends mamori at once, without
# waiting for a key.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/input.sh

. "$(dirname "$0")/lib.sh"
e2e_init input
need_tmux
need_python3

T=$E2E_TMP
NPAGES=$(mm --list | grep -c '')

# Invalid sequences, as hex bytes, and what each is (for the messages).
SEQS=("ff" "c3 41" "e3 81" "f4 90 80 80" "80" "ed a0 80")
NAMES=("0xFF" "C3 then 'A'" "a truncated E3 81" "F4 90 80 80 (above U+10FFFF)" "a lone continuation byte" "a surrogate ED A0 80")

have_loc() { [ "$1" = C.UTF-8 ] || locale -a 2>/dev/null | grep -qix "$(echo "$1" | tr -d '-')"; }

# 1. The main loop: after each invalid sequence, j still moves the contents' cursor.
mm_start 80 24 LANG=C.UTF-8 -- --answers "$T/a.txt"
wait_status "1/$NPAGES" >/dev/null 2>&1
fails=()
want=1
for i in "${!SEQS[@]}"; do
	# shellcheck disable=SC2086
	keys -H ${SEQS[$i]}
	keys j
	want=$((want + 1))
	wait_status "$want/$NPAGES" >/dev/null 2>&1 || fails+=("after ${NAMES[$i]}, j did not move the cursor to $want/$NPAGES")
done
keys -H e3 81
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fails+=("q after a truncated sequence: exit '${st:-still running}', want 0")
if [ ${#fails[@]} = 0 ]; then
	ok "C.UTF-8: every key after an invalid sequence works (${#SEQS[@]} kinds), q quits"
else
	not_ok "C.UTF-8: every key after an invalid sequence works" "${fails[@]}" "$(screen 2>&1)"
fi

# Under EUC-JP and Shift_JIS tmux cannot show the screen (it speaks UTF-8): q after
# the bytes must still quit.  0xFF, and a lead byte followed by a digit (no trail byte in
# either charset; the digit is a key of its own, unbound on the contents), are invalid in both.
for loc in ja_JP.EUC-JP ja_JP.SJIS; do
	have_loc "$loc" || { ok "# SKIP $loc: locale not installed"; continue; }
	fails=()
	for seq in "ff" "a4 31" "81 31" "e3 81 31" "8f 31"; do
		mm_start 80 24 "LANG=$loc" -u LC_ALL -- --answers "$T/a-$loc.txt"
		wait_status "1/$NPAGES" >/dev/null 2>&1
		# shellcheck disable=SC2086
		keys -H $seq
		keys q
		st=$(wait_exit) || st=
		[ "$st" = 0 ] || fails+=("bytes $seq then q: exit '${st:-still running}', want 0")
		[ -n "$st" ] || { keys q q; wait_exit >/dev/null; }
	done
	if [ ${#fails[@]} = 0 ]; then
		ok "$loc: q after an invalid or unfinished sequence still quits"
	else
		not_ok "$loc: q after an invalid or unfinished sequence still quits" "${fails[@]}"
	fi
done

# 2. The search line: Esc and Enter still work after an invalid byte, and the search runs.
mm_start 80 24 LANG=C.UTF-8 -- --answers "$T/s.txt"
wait_status "1/$NPAGES" >/dev/null 2>&1
keys /
wait_for '検索:' >/dev/null 2>&1
keys -H ff
keys Escape
if _poll _lacks_fixed '検索:'; then
	ok "search line: Esc after 0xFF closes it"
else
	not_ok "search line: Esc after 0xFF closes it" "$(screen)"
fi
keys /
wait_for '検索:' >/dev/null 2>&1
keys -H c3
type_text 'IPA'
keys Enter
if wait_status_re '検索「.*IPA」|見つかりません' >/dev/null 2>&1; then
	ok "search line: C3 then 'IPA' Enter: the search ran (the broken byte did not eat the keys)"
else
	not_ok "search line: C3 then 'IPA' Enter: the search ran" "$(screen)"
fi
keys Escape q
wait_exit >/dev/null

# note_editor FILE: mamori on principle-1 with answers in FILE, the note editor open on its first item.
note_editor() {
	mm_start 80 24 LANG=C.UTF-8 -- --answers "$1" --page principle-1
	wait_status '?:ヘルプ' >/dev/null 2>&1
	keys c
	wait_status 'e:メモ' >/dev/null 2>&1
	keys e
	wait_for 'メモ (' >/dev/null 2>&1
}

# 3. The note editor: typing goes on after an invalid byte, and the note is saved with it shown as U+FFFD.
ANS="$T/note.txt"
note_editor "$ANS"
type_text 'abc'
keys -H c3
type_text 'def'
keys -H e3 81
keys Enter
_note_saved() { grep -q 'abc.*def' "$ANS" 2>/dev/null; }
if _poll _note_saved; then
	line=$(grep 'abc' "$ANS")
	if printf '%s' "$line" | grep -q $'abc\xef\xbf\xbddef'; then
		ok "note editor: typing after C3 goes on, Enter after a truncated sequence saves; the lost byte shows as U+FFFD"
	else
		not_ok "note editor: the lost byte shows as U+FFFD" "line: $line"
	fi
else
	not_ok "note editor: typing after C3 goes on, Enter saves" "$(screen)" "file: $(cat "$ANS" 2>&1)"
fi
keys q
wait_exit >/dev/null

# 4. A long note from the file: e then Enter keeps it byte for byte (it was cut at 1,023 bytes).
python3 - "$T/long.txt" <<'PY'
import sys
note = ("重要な情報の持ち出しルールを決める。" * 200)[:3000] + "END"
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("mamori-answers 1\n")
    f.write("p1-1 todo 2026-11-25T09:30:00+09:00 " + note + "\n")
PY
before=$(grep '^p1-1 ' "$T/long.txt" | cut -d' ' -f4-)
mm_start 80 24 LANG=C.UTF-8 -- --answers "$T/long.txt" --page principle-1
wait_status '?:ヘルプ' >/dev/null 2>&1
keys c
wait_status 'メモ' >/dev/null 2>&1
keys e
wait_for 'メモ (' >/dev/null 2>&1
keys Enter
settle
keys q
wait_exit >/dev/null
after=$(grep '^p1-1 ' "$T/long.txt" | cut -d' ' -f4-)
if [ "$before" = "$after" ] && [ ${#after} -gt 3000 ]; then
	ok "a ${#before}-character note: e then Enter keeps it whole"
else
	not_ok "a long note: e then Enter keeps it whole" "before ${#before} characters, after ${#after}: ...${after: -20}"
fi

# 5. A 100 kB paste into the note editor is taken in, whole (it froze the screen for 27 s, then was cut).
python3 -c "import sys; sys.stdout.write(('あいうえおabcde' * 10000)[:50000])" >"$T/paste.txt"
ANS="$T/paste-ans.txt"
note_editor "$ANS"
t0=$(_now_ms)
tm load-buffer -b paste "$T/paste.txt"
tm paste-buffer -b paste -t "$E2E_SESS"
type_text 'ZZ'
E2E_TIMEOUT_MS=20000 wait_status_re 'ZZ *$' >/dev/null 2>&1
t1=$(_now_ms)
keys Enter
_pasted() { [ "$(grep -c 'ZZ' "$ANS" 2>/dev/null)" = 1 ]; }
if _poll _pasted; then
	n=$(grep 'ZZ' "$ANS" | python3 -c "import sys; l=sys.stdin.read(); print(len(l.split(' ', 3)[3].rstrip()))")
	if [ "$n" = 50002 ]; then
		ok "a $(wc -c <"$T/paste.txt")-byte paste into the note editor is saved whole (shown after $((t1 - t0)) ms)"
	else
		not_ok "a 100 kB paste is saved whole" "note length $n characters, want 50002"
	fi
else
	not_ok "a 100 kB paste into the note editor is taken in and saved" "$(screen)"
fi
keys q
wait_exit >/dev/null

# 6. SIGTERM at any moment ends mamori without waiting for a key (it raced the blocking read).
late=0
runs=40
for i in $(seq "$runs"); do
	mm_start 80 24 LANG=C.UTF-8 -- --answers "$T/sig.txt"
	pid=$(pane_pid)
	# Somewhere between starting up and sitting idle.
	sleep "0.0$((RANDOM % 10))"
	kill -TERM "$pid" 2>/dev/null
	# 143 once mamori's handler is in; killed by the signal itself before that.
	st=$(E2E_TIMEOUT_MS=2000 wait_exit) || st=
	case $st in 143 | "signal 15") ;; *) late=$((late + 1)) ;; esac
done
if [ "$late" = 0 ]; then
	ok "SIGTERM at a random moment: $runs of $runs runs ended within 2 s without a key"
else
	not_ok "SIGTERM at a random moment ends mamori at once" "$late of $runs runs still running 2 s later"
fi

finish
