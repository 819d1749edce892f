#!/bin/bash
# End-to-end checks of the keys people already know (issue 14), in tmux:
# Home, End, PgUp, PgDn and Delete as Tera Term, PuTTY, Windows Terminal,
# the Linux console and screen/tmux send them, whatever TERM says (raw
# bytes sent with send-keys -H, under TERM=xterm and TERM=vt100, whose
# terminfo entries lack most of them); diagnosis answers read as words in
# the row; a checklist item unticked (todo) looks unlike one never
# answered; and an answer is cleared with 0 or Delete (gone from the file).
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/keys.sh

. "$(dirname "$0")/lib.sh"
e2e_init keys
need_tmux

T=$E2E_TMP
ANS="$T/answers.txt"
mm --list >"$T/list" || { echo "Bail out! mamori --list failed"; exit 99; }
title() { awk -F '\t' -v id="$1" '$1 == id { print $2 }' "$T/list"; }
LONG=sa-one-star
LTITLE=$(title $LONG)
[ -n "$LTITLE" ] || { echo "Bail out! page $LONG is not in --list"; exit 99; }

# The status line's percent: how far down the page the screen is.
pct() { status_line | grep -oE '[0-9]+%' | tail -n 1; }
_at_end() { [ "$(pct)" = "100%" ]; }
_at_top() { _line_has 1 "$LTITLE"; }
_not_top() { ! _line_has 1 "$LTITLE"; }

# hexkeys HEX...: raw bytes, as a terminal sends them.
hexkeys() { tm send-keys -t "$E2E_SESS" -H "$@"; }

for term in xterm vt100; do
	mm_start 80 24 TERM=$term -- --answers "$ANS" --page $LONG
	wait_line 1 "$LTITLE" >/dev/null
	for pair in "ESC[4~ End (Tera Term, PuTTY, screen):1b 5b 34 7e:ESC[1~ Home:1b 5b 31 7e" \
		"ESC[F End (xterm, Windows Terminal):1b 5b 46:ESC[H Home:1b 5b 48" \
		"ESC O F End (application mode):1b 4f 46:ESC O H Home:1b 4f 48" \
		"ESC[8~ End (rxvt):1b 5b 38 7e:ESC[7~ Home:1b 5b 37 7e"; do
		IFS=: read -r ename ebytes hname hbytes <<<"$pair"
		# shellcheck disable=SC2086
		hexkeys $ebytes
		if _poll _at_end; then
			ok "TERM=$term: $ename goes to the end of the page"
		else
			not_ok "TERM=$term: $ename goes to the end of the page" "status: $(status_line)"
		fi
		# shellcheck disable=SC2086
		hexkeys $hbytes
		if _poll _at_top; then
			ok "TERM=$term: $hname goes back to the top"
		else
			not_ok "TERM=$term: $hname goes back to the top" "line 1: $(line 1)"
		fi
	done
	# PgDn and PgUp as every one of them sends them.
	hexkeys 1b 5b 36 7e
	if _poll _not_top; then ok "TERM=$term: ESC[6~ (PgDn) scrolls a screen down"; else
		not_ok "TERM=$term: ESC[6~ (PgDn) scrolls a screen down"; fi
	hexkeys 1b 5b 35 7e
	if _poll _at_top; then ok "TERM=$term: ESC[5~ (PgUp) scrolls back up"; else
		not_ok "TERM=$term: ESC[5~ (PgUp) scrolls back up"; fi
	keys q
	wait_exit >/dev/null
done

# --- answers as words, todo unlike never answered, and clearing ---------

mm_start 80 24 -- --answers "$ANS" --page diagnosis-part1
wait_line 1 'Part1' >/dev/null
keys c
wait_status '1:実施' >/dev/null
_row_starts() { _scr | grep -q "^$1"; }
keys 1
if _poll _row_starts '実施No.1' && _row_starts '\[ \] No.2'; then
	ok "1: No.1 reads 実施 in its row (not [1]); No.2 still [ ]"
else
	not_ok "1: No.1 reads 実施 in its row" "$(_scr | grep 'No\.[12]')"
fi
keys 3
if _poll _row_starts 'なしNo.2'; then ok "3: No.2 reads なし"; else
	not_ok "3: No.2 reads なし" "$(_scr | grep 'No\.2')"; fi
keys 2
keys 4
if _poll _row_starts '一部No.3' && _poll _row_starts '不明No.4'; then
	ok "2 and 4 read 一部 and 不明"
else
	not_ok "2 and 4 read 一部 and 不明" "$(_scr | grep 'No\.[34]')"
fi
grep -q '^diag-02 no ' "$ANS" && ok "No.2 is saved as no" || not_ok "No.2 is saved as no" "$(cat "$ANS")"
# Back to No.2 and clear it with Delete (ESC[3~, whatever TERM says).
keys BTab BTab BTab
sleep 0.1
hexkeys 1b 5b 33 7e
if _poll _row_starts '\[ \] No.2' && wait_status '回答を消しました'; then
	ok "Delete (ESC[3~) clears the focused answer: No.2 is [ ] again"
else
	not_ok "Delete clears the focused answer" "$(_scr | grep 'No\.2')" "$(status_line)"
fi
_saved_gone() { ! grep -q '^diag-02 ' "$ANS"; }
if _poll _saved_gone && grep -q '^diag-01 yes ' "$ANS"; then
	ok "the cleared answer is gone from the file; the others stay"
else
	not_ok "the cleared answer is gone from the file" "$(cat "$ANS")"
fi
keys BTab
sleep 0.1
keys 0
if _poll _row_starts '\[ \] No.1'; then ok "0 clears an answer too"; else
	not_ok "0 clears an answer too" "$(_scr | grep 'No\.1')"; fi
keys 0
if wait_status 'まだ回答していません'; then ok "0 on an unanswered question says so"; else
	not_ok "0 on an unanswered question says so" "$(status_line)"; fi
keys q
wait_exit >/dev/null

# A checklist item: done, then unticked (todo), looks unlike one never answered.
mm_start 80 24 -- --answers "$ANS" --page $LONG
wait_line 1 "$LTITLE" >/dev/null
keys c
wait_status 'Space:済/未' >/dev/null
keys Space
_first_item() { _scr | grep -E '^(\[.\]) ' | head -n 1 | cut -c1-3; }
_item_is() { [ "$(_first_item)" = "$1" ]; }
if _poll _item_is '[x]'; then ok "Space ticks the item: [x]"; else
	not_ok "Space ticks the item: [x]" "$(_first_item)"; fi
keys Space
if _poll _item_is '[_]'; then ok "Space again: todo shows [_], not the [ ] of never answered"; else
	not_ok "Space again: todo shows [_]" "$(_first_item)"; fi
hexkeys 1b 5b 33 7e
if _poll _item_is '[ ]'; then ok "Delete: the item is not answered again, [ ]"; else
	not_ok "Delete: the item is not answered again" "$(_first_item)"; fi
keys q
wait_exit >/dev/null

finish
