#!/bin/bash
# End-to-end checks of the screen stack (issue 9), driven in tmux: q and Esc
# go back exactly one screen and quit only from the bottom one, the help
# goes back to the screen it came from, and a key typed right after the
# terminal grows from "too small" to a usable size is not lost.
#
# The bottom screen is the one mamori starts on: the contents without
# --page, the page itself with --page (so `--page X`, `t`, `q` is back on X,
# and a second `q` quits, as a bare `--page X`, `q` always has).
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/screens.sh

. "$(dirname "$0")/lib.sh"
e2e_init screens
need_tmux
need_python3

T=$E2E_TMP

mm --list >"$T/list" || { echo "Bail out! mamori --list failed"; exit 99; }
NPAGES=$(grep -c '' "$T/list")
PID=to-owners
PTITLE=$(awk -F '\t' -v id=$PID '$1 == id { print $2 }' "$T/list")
PIDX=$(awk -F '\t' -v id=$PID '$1 == id { print NR }' "$T/list")
[ -n "$PTITLE" ] || { echo "Bail out! page $PID is not in --list"; exit 99; }

# Which screen is showing, told by its first line; a page by its number and
# how far into it the reader is ("2/42  50%") on the status line.
_on_page() {
	_scr | tail -n 1 | grep -qE "(^| )$PIDX/$NPAGES +[0-9]+%" &&
		! _on_sessions && ! _on_dashboard && ! _on_contents && ! _on_help
}
_on_sessions() { _line_has 1 'セッション'; }
_on_dashboard() { _line_has 1 '進捗ダッシュボード'; }
_on_contents() { _line_has 1 '目次'; }
_on_help() { _line_has 1 'キー操作'; }
# on NAME: wait (bounded) until screen NAME shows.
on() { _poll "_on_$1"; }
# what: the name of the screen showing now, for failure details.
what() {
	local n
	for n in page sessions dashboard contents help; do
		"_on_$n" && { echo "$n"; return; }
	done
	if pane_dead; then
		echo "nothing (mamori exited, status $(pane_fmt '#{pane_dead_status}'))"
	else
		echo "an unknown screen: $(line 1)"
	fi
}
# expect DESC NAME: after a key, screen NAME shows.
expect() {
	if on "$2"; then
		ok "$1"
	else
		not_ok "$1" "showing $(what)"
	fi
}
# quit_with KEY DESC: mamori is running; KEY makes it end with status 0.
quit_with() {
	local st
	if pane_dead; then
		not_ok "$2" "mamori had already exited before $1, status $(pane_fmt '#{pane_dead_status}')"
		return
	fi
	keys "$1"
	st=$(wait_exit)
	if [ "$st" = 0 ]; then
		ok "$2"
	else
		not_ok "$2" "status '${st:-still running}', showing $(what)"
	fi
}
# The page area (every row but the status line), reverse video (a cursor,
# a focus) marked with [[ ]]: to see that a screen popped back to is where
# it was, its cursor too.  (capture-pane -e is not canonical: tmux puts the
# same reset at the end of one line or the start of the next.)
body() {
	_scr_e | sed '$d' | "$PYTHON" -c '
import re, sys
rev = False
for line in sys.stdin.read().split("\n"):
    out = "[[" if rev else ""
    for tok in re.split(r"(\x1b\[[0-9;:]*m)", line):
        if not tok.startswith("\x1b["):
            out += tok
            continue
        was = rev
        for p in (tok[2:-1].split(";") if tok[2:-1] else ["0"]):
            p = p.split(":")[0] or "0"
            if p == "0" or p == "27":
                rev = False
            elif p == "7":
                rev = True
        if rev != was:
            out += "[[" if rev else "]]"
    print((out + ("]]" if rev else "")).replace("[[]]", ""))
'
}
_body_is() { [ "$(body)" = "$1" ]; }
# back_on NAME BODY: screen NAME shows, with BODY (bounded: the redraw may
# be under way).
back_on() { on "$1" && _poll _body_is "$2"; }

# --- q and Esc pop one screen at a time ----------------------------------------

for k in q Escape; do
	mm_start 80 24 -- --page $PID
	on page || not_ok "--page $PID opens $PID" "showing $(what)"
	keys S
	expect "$k: --page $PID, S: the sessions screen" sessions
	keys P
	expect "$k: ... P: the dashboard" dashboard
	keys $k
	expect "$k: the first $k goes back from the dashboard to the sessions screen" sessions
	keys $k
	expect "$k: the second $k goes back from the sessions screen to the page" page
	quit_with $k "$k: the third $k, on the bottom screen (the --page page), quits with status 0"
done

# --- the help goes back to the screen it came from ------------------------------

mm_start 80 24 -- --page $PID
on page >/dev/null
press j j j
page_before=$(body)
keys S
on sessions >/dev/null
keys P
on dashboard >/dev/null
press j j
dash_before=$(body)
keys '?'
expect "? on the dashboard shows the help" help
keys q
if back_on dashboard "$dash_before"; then
	ok "q in the help goes back to the dashboard, cursor where it was"
else
	not_ok "q in the help goes back to the dashboard, cursor where it was" "showing $(what)" \
		"$(diff <(printf '%s\n' "$dash_before") <(body) | cat -v)"
fi
keys q
expect "q then goes back to the sessions screen" sessions
keys q
if back_on page "$page_before"; then
	ok "q then goes back to the page, scrolled where it was"
else
	not_ok "q then goes back to the page, scrolled where it was" "showing $(what)" "$(dump_screen)"
fi

# The same from a page, on a fresh start (the one above may be stuck).
mm_start 80 24 -- --page $PID
on page >/dev/null
press j j j
page_before=$(body)
keys '?'
expect "? on the page shows the help" help
keys Escape
if back_on page "$page_before"; then
	ok "Esc in the help goes back to the page, where it was"
else
	not_ok "Esc in the help goes back to the page, where it was" "showing $(what)"
fi

# --- the contents over a page --------------------------------------------------

keys t
expect "t on the page ($PID, opened with --page) shows the contents" contents
keys q
if back_on page "$page_before"; then
	ok "q in the contents opened by t goes back to the page, where it was"
else
	not_ok "q in the contents opened by t goes back to the page, where it was" "showing $(what)"
fi
quit_with q "q on the page again (the bottom screen) quits with status 0"

# Without --page the contents is the bottom screen: a page opened from it
# goes back to it.
mm_start 80 24
on contents || not_ok "without --page mamori starts on the contents" "showing $(what)"
for ((i = 1; i < PIDX; i++)); do keys j; done
wait_status "$PIDX/$NPAGES" >/dev/null
settle
contents_before=$(body)
keys Enter
expect "Enter in the contents opens $PID" page
keys q
if back_on contents "$contents_before"; then
	ok "q on a page opened from the contents goes back to the contents, cursor on it"
else
	not_ok "q on a page opened from the contents goes back to the contents, cursor on it" \
		"showing $(what)"
fi
quit_with q "q on the contents (the bottom screen) quits with status 0"

# --- a key right after the terminal grows back from "too small" ----------------
#
# The resize and the key go in one tmux command, so that the key is already
# waiting when mamori learns of the new size; mamori 0.1 read it while it
# still thought the terminal too small and dropped it (20 of 20 runs).

second=$(sed -n 2p "$T/list" | cut -f 2)
# start_small: mamori on the contents at 80x24, then shrunk to 30x8.
start_small() {
	mm_start 80 24
	on contents >/dev/null
	wait_status "1/$NPAGES" >/dev/null
	resize 30 8
	wait_for '画面が小さすぎます'
}
# Control: a key sent once the screen is back was never lost.
if start_small; then
	ok "resized to 30x8: the too-small screen"
else
	not_ok "resized to 30x8: the too-small screen"
fi
resize 80 24
wait_gone '画面が小さすぎます' >/dev/null
settle
keys j
if wait_status "2/$NPAGES" && wait_for "> ${second:0:10}"; then
	ok "(control) j sent once the screen is back at 80x24 moves the cursor (2/$NPAGES)"
else
	not_ok "(control) j sent once the screen is back at 80x24 moves the cursor (2/$NPAGES)" \
		"status: $(status_line)"
fi

start_small >/dev/null
tm resize-window -t "$E2E_SESS" -x 80 -y 24 \; send-keys -t "$E2E_SESS" j
if on contents && wait_status "2/$NPAGES" && wait_for "> ${second:0:10}"; then
	ok "j sent together with the resize back to 80x24 moves the cursor (2/$NPAGES)"
else
	not_ok "j sent together with the resize back to 80x24 moves the cursor (2/$NPAGES)" \
		"status: $(status_line)"
fi

# The same with a key that pushes a screen: ? opens the help.
start_small >/dev/null
tm resize-window -t "$E2E_SESS" -x 80 -y 24 \; send-keys -t "$E2E_SESS" '?'
if on help; then
	ok "? sent together with the resize back to 80x24 opens the help"
	keys q
	on contents >/dev/null
else
	not_ok "? sent together with the resize back to 80x24 opens the help" "showing $(what)"
fi
quit_with q "q after the resizes quits with status 0"

# The dashboard's R writes the session's report beside the sessions directory, mode 0600, and says where.
mm_start 80 24
wait_status "1/$NPAGES" >/dev/null 2>&1
keys P
on dashboard
keys R
wait_for '形式' >/dev/null 2>&1
keys C-u
type_text 'md'
keys Enter
wait_status 'レポートを書きました' >/dev/null 2>&1
rep=$(find "$E2E_HOME/.local/share/mamori" -maxdepth 1 -name 'report-*.md' | head -n 1)
if [ -n "$rep" ] && [ "$(stat -c %a "$rep")" = 600 ] && grep -q '^#' "$rep" && _status_has 'レポートを書きました'; then
	ok "dashboard: R, md, Enter writes $(basename "$rep") (mode 600, Markdown) and says so"
else
	not_ok "dashboard: R writes the report and names it" "file: '${rep:-none}'" "$(status_line)"
fi
keys q q
wait_exit >/dev/null

finish
