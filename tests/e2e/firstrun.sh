#!/bin/bash
# End-to-end checks of starting and coming back (issue 14), in tmux:
# the first run shows 「はじめての方へ」 and Enter opens the first task (the
# 5か条); the terminal cursor sits on the focused row or selected line
# after Tab, j and Enter (for screen readers); Esc, h and BS on the
# contents opened over a page go back to it; the second run says which
# session it resumed and how far it is, and opens on the page, at the
# place, where the first one stopped; --page still wins; a resume file of
# garbage is reported and ignored; quitting on a vt100 leaves the shell's
# prompt on a clean line.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/firstrun.sh

. "$(dirname "$0")/lib.sh"
e2e_init firstrun
need_tmux
# This script is about the first run and resuming: no resume file is planted (lib.sh).
E2E_RESUME=1

T=$E2E_TMP
STATE="$E2E_HOME/.local/state/mamori"
mm --list >"$T/list" || { echo "Bail out! mamori --list failed"; exit 99; }
title() { awk -F '\t' -v id="$1" '$1 == id { print $2 }' "$T/list"; }
FIRST=sa-one-star
FTITLE=$(title $FIRST)
[ -n "$FTITLE" ] || { echo "Bail out! page $FIRST is not in --list"; exit 99; }

# cursor_row: the row (0-based) where mamori left the terminal's cursor.
cursor() { pane_fmt '#{cursor_x},#{cursor_y}'; }
# The 0-based rows that hold reverse video, status line excluded.
reverse_rows() {
	screen_e | sed '$d' | grep -nE "${ESC}\[([0-9]+;)*7(;[0-9]+)*m" | cut -d: -f1 |
		awk '{ print $1 - 1 }'
}
first_reverse_row() { reverse_rows | head -n 1; }
_cursor_on_focus() { [ -n "$(first_reverse_row)" ] && [ "$(cursor)" = "0,$(first_reverse_row)" ]; }

# --- the first run --------------------------------------------------------

mm_start 80 24
if wait_line 1 'はじめての方へ' && wait_for '5か条' && wait_for '自社診断' &&
	wait_for '基本方針' && wait_for '?: すべてのキーの説明' && wait_status 'Enter'; then
	ok "first run: はじめての方へ, with the three tasks, the keys and Enter on the status line"
else
	not_ok "first run: はじめての方へ"
fi
rows=$(screen | wc -l)
same "the guide fits 80x24" "$rows" 24
check "the guide says how answers are saved" _has_fixed "変えるたびにすぐ保存されます"

keys Enter
if wait_line 1 "$FTITLE"; then
	ok "Enter on the guide opens the first task, $FTITLE"
else
	not_ok "Enter on the guide opens the first task, $FTITLE"
fi
same "with no focus the cursor is at the top left" "$(cursor)" "0,0"

# Tab: the cursor follows the focus.
keys Tab
if _poll _cursor_on_focus; then
	ok "Tab: the cursor is at the start of the focused row ($(cursor))"
else
	not_ok "Tab: the cursor is at the start of the focused row" "cursor $(cursor), reverse rows $(reverse_rows | tr '\n' ' ')"
fi
keys Tab
sleep 0.05
if _poll _cursor_on_focus; then
	ok "Tab again: the cursor moved with the focus ($(cursor))"
else
	not_ok "Tab again: the cursor moved with the focus" "cursor $(cursor), reverse rows $(reverse_rows | tr '\n' ' ')"
fi
before_t=$(screen | sed '$d')

# The contents over the page: j moves the selection and the cursor with it.
keys t
wait_line 1 '目次' >/dev/null
sel1=$(reverse_lines | head -n 1)
keys j
_moved() { [ "$(reverse_lines | head -n 1)" != "$sel1" ]; }
_poll _moved
if _poll _cursor_on_focus; then
	ok "j on the contents: the cursor is on the newly selected line ($(cursor))"
else
	not_ok "j on the contents: the cursor is on the selected line" "cursor $(cursor), selected $(first_reverse_row)"
fi

# Esc on the contents opened over a page goes back to that page, where it was.
for k in Escape h BSpace; do
	keys "$k"
	if wait_line 1 "$(printf '%s\n' "$before_t" | head -n 1)" && _poll _cursor_on_focus &&
		[ "$(screen | sed '$d')" = "$before_t" ]; then
		ok "$k on the contents opened from a page goes back to the page, at its place"
	else
		not_ok "$k on the contents opened from a page goes back to the page"
	fi
	keys t
	wait_line 1 '目次' >/dev/null
done

# Enter on the contents: a page opens, the cursor with no focus at the top.
keys j
sleep 0.05
keys Enter
wait_gone '目次' >/dev/null
same "Enter on the contents: the cursor is at the top of the page" "$(cursor)" "0,0"
keys t
wait_line 1 '目次' >/dev/null
keys Escape
wait_gone '目次' >/dev/null
# Where this run stops: one screen down on this page.
keys Space
sleep 0.1
settle
left=$(screen | sed '$d')
left_status=$(status_line)
keys q
wait_line 1 '目次' >/dev/null
keys q
st=$(wait_exit)
same "q q leaves" "$st" 0

# --- the state file -------------------------------------------------------

if [ -f "$STATE/resume" ] && [ "$(stat -c %a "$STATE/resume")" = 600 ] &&
	[ "$(stat -c %a "$STATE")" = 700 ]; then
	ok "the place is kept in \$XDG_STATE_HOME/mamori/resume (0600, directory 0700)"
else
	not_ok "the place is kept in \$XDG_STATE_HOME/mamori/resume, 0600" "$(ls -la "$STATE" 2>&1)"
fi
SESSION=$(ls "$E2E_HOME/.local/share/mamori/sessions" | grep -E '^[0-9-]+\.txt$' | head -n 1)

# --- the second run: resumed where it stopped -----------------------------

mm_start 80 24
if wait_status "前回 ${SESSION%.txt} の続き" && wait_status_re "の続き [0-9]+/[0-9]+"; then
	ok "second run: the status line says 前回 ${SESSION%.txt} の続き N/M"
else
	not_ok "second run: the status line says which session was resumed"
fi
if _lacks_fixed 'はじめての方へ' && [ "$(screen | sed '$d')" = "$left" ]; then
	ok "second run: opens on the page and at the place where the first stopped"
else
	not_ok "second run: opens where the first stopped" "$(screen | head -n 3)" "--- left:" \
		"$(printf '%s\n' "$left" | head -n 3)"
fi
# q goes to the contents (the page is over it), q again leaves.
keys q
wait_line 1 '目次' >/dev/null && ok "q on the resumed page goes to the contents" ||
	not_ok "q on the resumed page goes to the contents"
keys q
wait_exit >/dev/null

# --page still wins.
mm_start 80 24 -- --page intro
if wait_line 1 "$(title intro | cut -c1-10)"; then
	ok "--page wins over the resumed place"
else
	not_ok "--page wins over the resumed place"
fi
keys q
wait_exit >/dev/null

# The session last used wins over a newer file.
NEWER=2099-01-01.txt
printf 'mamori-answers 1\n' >"$E2E_HOME/.local/share/mamori/sessions/$NEWER"
chmod 600 "$E2E_HOME/.local/share/mamori/sessions/$NEWER"
mm_start 80 24
if wait_status "前回 ${SESSION%.txt} の続き"; then
	ok "the session last used is resumed, not the newest file ($NEWER)"
else
	not_ok "the session last used is resumed, not the newest file"
fi
keys q
keys q
wait_exit >/dev/null

# Garbage in the resume file: said, then ignored (the contents, no guide).
printf '\x89PNG\r\n\x1a\n' >"$STATE/resume"
mm_start 80 24
if wait_status '前回の位置を読めない' && _lacks_fixed 'はじめての方へ'; then
	ok "a resume file of garbage is reported on the status line and ignored"
else
	not_ok "a resume file of garbage is reported and ignored"
fi
keys q
keys q
wait_exit >/dev/null
if head -n 1 "$STATE/resume" | grep -qx 'mamori-resume 1'; then
	ok "the garbage is replaced by a good resume file on the way out"
else
	not_ok "the garbage is replaced on the way out" "$(head -c 100 "$STATE/resume" | od -c | head -3)"
fi

# --- vt100: the prompt on a clean line ------------------------------------

_mm_cmd TERM=vt100
_new_session 80 24 /bin/sh -c '"$@"; printf "PROMPT>"; sleep 30' sh "${E2E_CMD[@]}"
wait_for '目次' >/dev/null
keys q
_prompt() { _scr | grep -q 'PROMPT>'; }
if _poll _prompt && [ "$(_scr | grep 'PROMPT>')" = "PROMPT>" ]; then
	ok "vt100: after q the shell's prompt is on a clean line"
else
	not_ok "vt100: after q the shell's prompt is on a clean line" "$(_scr | grep 'PROMPT>')"
fi

finish
