#!/bin/bash
# End-to-end checks of mamori's full-screen reader, driven in tmux: the
# contents, paging and scrolling, links and history, the help, search,
# resizing, signals, and terminals/locales it must refuse or cope with.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/reader.sh
# E2E_SIZES="80x24 60x20" chooses the sizes the main walk-through runs at.

. "$(dirname "$0")/lib.sh"
e2e_init reader
need_tmux
need_python3

T=$E2E_TMP
SIZES=${E2E_SIZES:-"80x24 60x20"}

# --- what the content says ---------------------------------------------------

mm --list >"$T/list" || { echo "Bail out! mamori --list failed"; exit 99; }
NPAGES=$(grep -c '' "$T/list")
declare -A TITLE INDEX
i=0
while IFS="$(printf '\t')" read -r id title; do
	i=$((i + 1))
	TITLE[$id]=$title
	INDEX[$id]=$i
done <"$T/list"
ID_AT=()
while IFS="$(printf '\t')" read -r id _; do ID_AT+=("$id"); done <"$T/list"

# dump ID WIDTH: the page's --dump at WIDTH, in a file; prints its path.
dump() {
	local f="$T/dump-$1-$2"
	if [ ! -s "$f" ]; then
		mm --dump "$1" --width "$2" >"$f.tmp" && mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# links ID: the link targets of page ID, in order, from content/*.txt.
links() {
	awk -v id="$1" '
		/^@page / { on = ($2 == id); next }
		on && /^=> / { print $2 }' "$MAMORI_CONTENT"/*.txt
}

# pos: "PAGE-INDEX:OFFSET" of what the reader shows (offset in that page's
# dump at the pane's width, 0 if the screen is not a window of it), from
# one capture.
pos() {
	local n id w
	_scr >"$T/pos"
	n=$(tail -n 1 "$T/pos" | grep -oE '[0-9]+/'"$NPAGES" | head -n 1)
	n=${n%/*}
	[ -n "$n" ] || { echo "?:0"; return; }
	id=${ID_AT[n - 1]}
	w=$(pane_fmt '#{pane_width}')
	echo "$n:$(_offset_in "$(dump "$id" "$w")" "$T/pos")"
}

# wait_pos WANT: pos becomes WANT (within 1.5 s).
_pos_is() { [ "$(pos)" = "$1" ]; }
wait_pos() { E2E_WAIT_MS=${E2E_WAIT_MS:-1500} _poll _pos_is "$1"; }

# wait_rule: the ==== under a page's title is on screen.
wait_rule() { wait_for_re '^==+$'; }

# prefix TEXT N: the first N characters of TEXT.
prefix() { printf '%s' "${1:0:$2}"; }

# help_missing FILE: which of the keys the help must list are not in FILE
# (the help screens: a column of keys, "Down, j", then what they do).
help_missing() {
	"$PYTHON" - "$1" <<'PY'
import re, sys
keys = set()
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"^\s*(\S.*?)(\s{2,}|$)", line.rstrip("\n"))
    if not m:
        continue
    for k in re.split(r"[,\s]+", m.group(1)):
        keys.add(k)
need = ["j", "k", "Space", "n", "p", "Tab", "Enter", "h", "t", "/", "q"]
print(" ".join(k for k in need if k not in keys))
PY
}

# --- the walk-through, at each size ------------------------------------------

walk() {
	local cols=$1 rows=$2 sz="${1}x${2}" h=$(($2 - 1)) d o o2 n first second
	local id2=${ID_AT[1]} id3=${ID_AT[2]}

	# The contents.
	mm_start "$cols" "$rows"
	# The first status line says which session was resumed (lib.sh plants a
	# resume file); at 60 columns that message takes the position's room, and
	# the next key clears it: k, which on the first line moves nothing.
	wait_status 'の続き' && keys k
	if wait_line 1 '目次' && wait_status "1/$NPAGES" && wait_status '?:ヘルプ'; then
		ok "$sz: starts on the contents: 目次 on top, 1/$NPAGES and ?:ヘルプ on the status line"
	else
		not_ok "$sz: starts on the contents (目次, 1/$NPAGES, ?:ヘルプ)"
	fi
	if screen | grep -qF "> $(prefix "${TITLE[intro]}" 10)"; then
		ok "$sz: the cursor '> ' is on the first page"
	else
		not_ok "$sz: the cursor '> ' is on the first page" "$(dump_screen)"
	fi
	keys j
	if wait_for "> $(prefix "${TITLE[$id2]}" 10)" && wait_status "2/$NPAGES"; then
		ok "$sz: j moves the cursor to the second page (2/$NPAGES)"
	else
		not_ok "$sz: j moves the cursor to the second page"
	fi
	keys Down
	if wait_for "> $(prefix "${TITLE[$id3]}" 10)" && wait_status "3/$NPAGES"; then
		ok "$sz: Down moves the cursor to the third page (3/$NPAGES)"
	else
		not_ok "$sz: Down moves the cursor to the third page"
	fi
	keys k
	if wait_status "2/$NPAGES" && wait_for "> $(prefix "${TITLE[$id2]}" 10)"; then
		ok "$sz: k moves the cursor back"
	else
		not_ok "$sz: k moves the cursor back"
	fi
	keys Enter
	d=$(dump "$id2" "$cols")
	if wait_rule && wait_pos "2:1" &&
		wait_status "$(prefix "${TITLE[$id2]}" 8)" && wait_status_re "2/$NPAGES +[0-9]+%"; then
		ok "$sz: Enter opens the page: its title on top, ==== under it, title and 2/$NPAGES P% on the status line"
	else
		not_ok "$sz: Enter opens the selected page ($id2) as --dump --width $cols lays it out" "pos $(pos)"
	fi

	# Paging through a long page: table-1.
	local tid=table-1 ti=${INDEX[table-1]}
	d=$(dump $tid "$cols")
	n=$(grep -c '' "$d")
	mm_start "$cols" "$rows" -- --page $tid
	if wait_rule && wait_pos "$ti:1"; then
		ok "$sz: --page $tid opens on that page, laid out as --dump --width $cols"
	else
		not_ok "$sz: --page $tid opens on that page, laid out as --dump --width $cols" "pos $(pos)"
	fi
	press j; o=$(pos)
	same "$sz: j scrolls one line down" "$o" "$ti:2"
	press k; o=$(pos)
	same "$sz: k scrolls one line up" "$o" "$ti:1"
	for k in Space PgDn C-f; do
		press "$k"; o=$(pos); o=${o#*:}
		if [ "$o" -gt 1 ] && [ "$o" -le $((1 + h)) ]; then
			ok "$sz: $k scrolls a screen down (to line $o; at most $h lines)"
		else
			not_ok "$sz: $k scrolls a screen down (by 1..$h lines)" "offset $o"
		fi
		local bk=b
		[ "$k" = PgDn ] && bk=PgUp
		[ "$k" = C-f ] && bk=C-b
		press $bk; o2=$(pos); o2=${o2#*:}
		if [ "$o2" -ge 1 ] && [ "$o2" -lt "$o" ] && [ $((o - o2)) -le $h ]; then
			ok "$sz: $bk scrolls a screen up (to line $o2)"
		else
			not_ok "$sz: $bk scrolls a screen up" "from $o to $o2"
		fi
		[ "$o2" = 1 ] || press g
	done
	for k in G End; do
		press $k; o=$(pos)
		if [ "$o" = "$ti:$((n - h + 1))" ] && wait_status '100%'; then
			ok "$sz: $k goes to the end (the last line on the last row, 100%)"
		else
			not_ok "$sz: $k goes to the end" "pos $o, want $ti:$((n - h + 1)), dump has $n lines" "$(status_line)"
		fi
		local hk=g
		[ $k = End ] && hk=Home
		press $hk; o=$(pos)
		same "$sz: $hk goes to the top" "$o" "$ti:1"
	done

	# Next and previous page.
	local nid=${ID_AT[ti]} pid=${ID_AT[ti - 2]}
	for kp in n:p Right:Left; do
		press "${kp%:*}"; o=$(pos)
		if [ "$o" = "$((ti + 1)):1" ] && wait_status "$(prefix "${TITLE[$nid]}" 8)"; then
			ok "$sz: ${kp%:*} opens the next page ($nid, $((ti + 1))/$NPAGES)"
		else
			not_ok "$sz: ${kp%:*} opens the next page ($nid)" "pos $o"
		fi
		press "${kp#*:}"; o=$(pos)
		if [ "${o%:*}" = "$ti" ]; then
			ok "$sz: ${kp#*:} goes back to the previous page ($tid)"
		else
			not_ok "$sz: ${kp#*:} goes back to the previous page ($tid)" "pos $o"
		fi
	done
	press Left; o=$(pos)
	same "$sz: Left from $tid opens $pid" "$o" "$((ti - 1)):1"
	press Right

	# Links: Tab, S-Tab, Enter, back.
	[ "$(pos)" = "$ti:1" ] || press g
	grep '^-> ' "$d" | head -n 2 >"$T/links"
	first=$(sed -n 1p "$T/links")
	second=$(sed -n 2p "$T/links")
	press Tab
	if [ "$(reverse_lines | head -n 1)" = "$first" ] && [ "$(reverse_lines | grep -c '^-> ')" = 1 ]; then
		ok "$sz: Tab focuses the first link, in reverse video: $first"
	else
		not_ok "$sz: Tab focuses the first link in reverse video ($first)" "reverse: $(reverse_lines)"
	fi
	press Tab
	if [ "$(reverse_lines | head -n 1)" = "$second" ]; then
		ok "$sz: Tab again focuses the next link"
	else
		not_ok "$sz: Tab again focuses the next link ($second)" "reverse: $(reverse_lines)"
	fi
	press BTab
	if [ "$(reverse_lines | head -n 1)" = "$first" ]; then
		ok "$sz: S-Tab focuses the previous link"
	else
		not_ok "$sz: S-Tab focuses the previous link ($first)" "reverse: $(reverse_lines)"
	fi
	local before target
	before=$(pos)
	target=$(links $tid | head -n 1)
	press Enter; o=$(pos)
	if [ "$o" = "${INDEX[$target]}:1" ]; then
		ok "$sz: Enter on the focused link opens its target ($target)"
	else
		not_ok "$sz: Enter on the focused link opens its target ($target)" "pos $o"
	fi
	press BSpace; o=$(pos)
	if [ "$o" = "$before" ]; then
		ok "$sz: Backspace goes back to $tid at the same place (line ${before#*:})"
	else
		not_ok "$sz: Backspace goes back to $tid at the same place" "was $before, now $o"
	fi
	# Back from the end of the page (the top line is clamped there).
	press G
	before=$(pos)
	press Tab
	press Enter
	press BSpace; o=$(pos)
	if [ "$o" = "$before" ]; then
		ok "$sz: Backspace after following a link from the end of $tid: the same place (line ${before#*:})"
	else
		not_ok "$sz: Backspace after following a link from the end of $tid: the same place" \
			"was $before, now $o"
	fi
	press g
	press Tab
	press Tab
	before=$(pos)
	target=$(links $tid | sed -n 2p)
	press Enter; o=$(pos)
	same "$sz: Enter on the second link opens its target ($target)" "$o" "${INDEX[$target]}:1"
	press h; o=$(pos)
	if [ "$o" = "$before" ]; then
		ok "$sz: h goes back to $tid at the same place (line ${before#*:})"
	else
		not_ok "$sz: h goes back to $tid at the same place" "was $before, now $o"
	fi

	# The contents from a page: the cursor on the current page.
	press t
	if wait_line 1 '目次' && wait_status "$ti/$NPAGES" &&
		screen | grep -qF "> $(prefix "${TITLE[$tid]}" 10)"; then
		ok "$sz: t opens the contents with the cursor on the current page ($ti/$NPAGES)"
	else
		not_ok "$sz: t opens the contents with the cursor on the current page" "$(dump_screen)"
	fi
	press Enter; o=$(pos)
	same "$sz: Enter in the contents opens $tid again" "${o%:*}" "$ti"

	# The help, and back.
	press j j j
	before=$(pos)
	press '?'
	screen >"$T/help"
	local missing prev
	missing=$(help_missing "$T/help")
	# If it needs scrolling, see the rest too.
	for _ in 1 2 3 4 5 6 7 8; do
		[ -n "$missing" ] || break
		prev=$(_scr_e)
		keys PgDn
		E2E_WAIT_MS=300 _poll _differs "$prev" || break
		settle
		screen >>"$T/help"
		missing=$(help_missing "$T/help")
	done
	if [ -z "$missing" ]; then
		ok "$sz: ? shows the help, listing j k Space n p Tab Enter h t / q"
	else
		not_ok "$sz: ? shows the help, listing j k Space n p Tab Enter h t / q" "missing: $missing" "$(cat "$T/help")"
	fi
	press q; o=$(pos)
	if [ "$o" = "$before" ]; then
		ok "$sz: q closes the help, back where the reader was ($before)"
	else
		not_ok "$sz: q closes the help, back where the reader was" "was $before, now $o"
	fi

	# Search, with a Japanese word, on a page with several hits.
	local sid=principle-2 p1 p2 p3
	mm_start "$cols" "$rows" -- --page $sid
	wait_rule
	keys /
	if wait_status_re '^検索:'; then
		ok "$sz: / opens the prompt 「検索: 」"
	else
		not_ok "$sz: / opens the prompt 「検索: 」"
	fi
	type_text '委託先'
	keys Enter
	if wait_status '検索「委託先」' && settle && reverse_lines | grep -qF '委託先'; then
		p1=$(pos)
		ok "$sz: searching 委託先 shows a hit, highlighted ($p1)"
	else
		p1=$(pos)
		not_ok "$sz: searching 委託先 shows a hit, highlighted" "reverse: $(reverse_lines)"
	fi
	press n; p2=$(pos)
	if [ "$p2" != "$p1" ] && reverse_lines | grep -qF '委託先' &&
		{ [ "${p2%:*}" -gt "${p1%:*}" ] || [ "${p2#*:}" -gt "${p1#*:}" ]; }; then
		ok "$sz: n goes on to the next hit ($p2)"
	else
		not_ok "$sz: n goes on to the next hit" "from $p1 to $p2" "$(dump_screen)"
	fi
	press N; p3=$(pos)
	if [ "$p3" = "$p1" ] && reverse_lines | grep -qF '委託先'; then
		ok "$sz: N goes back to the previous hit ($p3)"
	else
		not_ok "$sz: N goes back to the previous hit" "want $p1, at $p3"
	fi
	keys Escape
	if _poll _status_lacks '検索「' && [ -z "$(reverse_lines)" ]; then
		ok "$sz: Esc ends the search (no prompt, no highlight)"
	else
		not_ok "$sz: Esc ends the search" "$(status_line)" "reverse: $(reverse_lines)"
	fi

	# Quit.
	keys q
	local st
	st=$(wait_exit)
	if [ "$st" = 0 ]; then
		ok "$sz: q quits with exit status 0"
	else
		not_ok "$sz: q quits with exit status 0" "status: '${st:-still running}'"
	fi
}

_status_lacks() { ! status_line 2>/dev/null | grep -qF -- "$1"; }
_status_re_lacks() { ! status_line 2>/dev/null | grep -qE -- "$1"; }

for s in $SIZES; do
	walk "${s%x*}" "${s#*x}"
done

# --- search across pages: n from the last hit on a page ---------------------

mm_start 80 24 -- --page intro
wait_rule
keys /
wait_status_re '^検索:' >/dev/null
type_text 'SECURITY ACTION'
keys Enter
if wait_status '検索「SECURITY ACTION」' && settle && reverse_lines | grep -qF 'SECURITY ACTION'; then
	p1=$(pos)
	ok "search 'SECURITY ACTION' from intro: a hit, highlighted ($p1)"
else
	not_ok "search 'SECURITY ACTION' from intro: a hit, highlighted" "$(dump_screen)"
	p1=$(pos)
fi
[ "${p1%:*}" = "?" ] && p1=1:0
# The next page holding the word, in reading order.
want=
for ((k = ${p1%:*}; k < NPAGES; k++)); do
	if grep -qF 'SECURITY ACTION' "$(dump "${ID_AT[k]}" 80)"; then
		want=$((k + 1))
		break
	fi
done
keys n
if [ -z "$want" ]; then
	not_ok "n from the last hit on a page goes to the next page with a hit" "no later page holds the word"
elif E2E_WAIT_MS=1000 wait_status "$want/$NPAGES" >/dev/null 2>&1 && settle &&
	reverse_lines | grep -qF 'SECURITY ACTION'; then
	ok "n from the last hit on a page goes to the next page with a hit (${ID_AT[want - 1]}, $want/$NPAGES)"
	keys N
	if wait_status "${p1%:*}/$NPAGES" >/dev/null 2>&1 && wait_pos "$p1"; then
		ok "N from there comes back to the hit on intro"
	else
		not_ok "N from there comes back to the hit on intro" "want $p1, at $(pos)"
	fi
else
	not_ok "n from the last hit on a page goes to the next page with a hit (${ID_AT[want - 1]}, $want/$NPAGES)" \
		"still at $(pos): $(status_line)"
	echo "# (N back to intro not checked: n did not move)"
fi
keys Escape
_poll _status_lacks '検索「' >/dev/null
before=$(pos)
keys /
wait_status_re '^検索:' >/dev/null
type_text 'zzqqxx'
keys Enter
if _poll _status_re_lacks '^検索:' && wait_status 'zzqqxx' && [ "$(pos)" = "$before" ]; then
	ok "a search without hits says so on the status line ($(status_line | sed 's/  .*//')) and stays put"
else
	not_ok "a search without hits says so on the status line and stays put" "was $before, now $(pos)" "$(status_line)"
fi

# --- checklist items take the focus too -----------------------------------------

mm_start 80 24 -- --page principle-1
if wait_rule && wait_pos "${INDEX[principle-1]}:1"; then
	ok "--page principle-1 opens directly on that page (${INDEX[principle-1]}/$NPAGES)"
else
	not_ok "--page principle-1 opens directly on that page" "pos $(pos)"
fi
press Tab
r=$(reverse_lines | head -n 1)
first_item=$(grep -m 1 '^\[ \] ' "$(dump principle-1 80)")
if [ "$r" = "$first_item" ]; then
	ok "Tab on principle-1 focuses its first checklist item '[ ] ...'"
else
	not_ok "Tab on principle-1 focuses its first checklist item" "want: $first_item" "reverse: $r"
fi

# --- resizing -------------------------------------------------------------------

rid=sa-one-star
d80=$(dump $rid 80)
mm_start 80 24 -- --page $rid
wait_rule >/dev/null
# Scroll so that the top line is the start of a list item, then one line
# into it (a continuation line).
item_line=$(grep -n '^ - パスワードは' "$d80" | head -n 1 | cut -d: -f1)
item_text=$(sed -n "${item_line}p" "$d80" | sed 's/^ *//')
cont_text=$(sed -n "$((item_line + 1))p" "$d80" | sed 's/^ *//')
keys_j() { local i; for ((i = 0; i < $1; i++)); do keys j; done; }
keys_j $((item_line - 1))
wait_line 1 "${item_text:0:10}" >/dev/null
resize 60 20
d60=$(dump $rid 60)
if wait_shows "$d60" && wait_status "${INDEX[$rid]}/$NPAGES"; then
	ok "resize 80x24 -> 60x20: the page is laid out again at 60 columns"
else
	not_ok "resize 80x24 -> 60x20: the page is laid out again at 60 columns" "$(dump_screen)"
fi
top=$(line 1 | sed 's/^ *//')
if [ "${top:0:10}" = "${item_text:0:10}" ]; then
	ok "resize 80x24 -> 60x20: the top line still starts '${item_text:0:10}'"
else
	not_ok "resize 80x24 -> 60x20: the top line still starts '${item_text:0:10}'" "top line: '$(line 1)'" "$(dump_screen)"
fi
mm_start 80 24 -- --page $rid
wait_rule >/dev/null
keys_j "$item_line"
wait_line 1 "${cont_text:0:6}" >/dev/null
resize 60 20
wait_shows "$d60" >/dev/null
if "$PYTHON" - "$cont_text" "$(line 1 | sed 's/^ *//')" "$(line 2 | sed 's/^ *//')" <<'PY'
import sys
old, l1, l2 = sys.argv[1], sys.argv[2], sys.argv[3]
key = old[:4]
i = (l1 + l2).find(key)
sys.exit(0 if 0 <= i < len(l1) else 1)
PY
then
	ok "resize with the top in the middle of a paragraph: the new top line holds its place ('${cont_text:0:4}')"
else
	not_ok "resize with the top in the middle of a paragraph: the new top line holds its place ('${cont_text:0:4}')" "$(dump_screen)"
fi

# Below 40x10 (too narrow, too short, both), and back to 60x20 each time,
# so that every message is drawn afresh.
for sz in 39x24 80x9 30x5; do
	resize "${sz%x*}" "${sz#*x}"
	if wait_for '画面が小さすぎます' && wait_for 'Terminal too small'; then
		ok "resize to $sz: 「画面が小さすぎます」 and 'Terminal too small'"
	else
		not_ok "resize to $sz: 「画面が小さすぎます」 and 'Terminal too small'"
	fi
	resize 60 20
	if wait_shows "$d60"; then
		ok "resize from $sz back to 60x20: the page again"
	else
		not_ok "resize from $sz back to 60x20: the page again" "$(dump_screen)"
	fi
done
resize 40 10
d40=$(dump $rid 40)
if wait_shows "$d40"; then
	ok "resize to 40x10: the page again, at 40 columns"
else
	not_ok "resize to 40x10: the page again, at 40 columns" "$(dump_screen)"
fi
alive=1
reached=
for sz in 1x1 2x2 1x30 200x1 20x3; do
	resize "${sz%x*}" "${sz#*x}" 2>/dev/null
	reached="$reached $(pane_fmt '#{pane_width}x#{pane_height}')"
	sleep 0.05
	pane_dead && { alive=0; break; }
done
if [ $alive = 1 ]; then
	ok "resizes to$reached: still running"
else
	not_ok "resizes to$reached: still running" "died, status $(pane_fmt '#{pane_dead_status}')"
fi
resize 80 24
if wait_shows "$d80" && wait_status "${INDEX[$rid]}/$NPAGES"; then
	ok "growing back to 80x24 shows the page again, at 80 columns"
else
	not_ok "growing back to 80x24 shows the page again, at 80 columns" "$(dump_screen)"
fi
keys q
st=$(wait_exit)
same "q after the resizes: exit status 0" "${st:-still running}" 0

# --- signals ------------------------------------------------------------------------

for sig in TERM:143 HUP:129; do
	mm_start 80 24
	wait_line 1 '目次' >/dev/null
	pid=$(pane_pid)
	comm=$(ps -o comm= -p "$pid" 2>/dev/null)
	kill -"${sig%:*}" "$pid"
	st=$(E2E_WAIT_MS=2000 wait_exit)
	if [ "$comm" = mamori ] && [ "$st" = "${sig#*:}" ]; then
		ok "SIG${sig%:*} to mamori: it exits within 2 s, status ${sig#*:}"
	else
		not_ok "SIG${sig%:*} to mamori: exits within 2 s with status ${sig#*:}" \
			"pane process '$comm', status '${st:-still running after 2 s}'"
	fi
done

# --- terminals it cannot use ------------------------------------------------------

# wait_settled FILE: FILE stops growing (pipe-pane has passed everything on).
_size_of() { wc -c <"$1"; }
wait_settled() {
	local a b
	a=$(_size_of "$1")
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.03
		b=$(_size_of "$1")
		[ "$a" = "$b" ] && return 0
		a=$b
	done
}

# First, that the pipe does see what mamori writes, when it writes.
mm_start_io 80 24 "$T/tty-out" "$T/tty-err"
wait_line 1 '目次' >/dev/null
keys q
st=$(wait_exit)
wait_settled "$T/tty-out"
if [ "$st" = 0 ] && [ "$(tr -d '\r\n' <"$T/tty-out" | wc -c)" -gt 100 ]; then
	ok "(control) with TERM=tmux-256color the same harness sees the screen written, exit 0"
else
	not_ok "(control) with TERM=tmux-256color the same harness sees the screen written, exit 0" \
		"status '${st:-running}', $(wc -c <"$T/tty-out") bytes" "stderr: $(cat "$T/tty-err")"
fi

for term in dumb nosuchterm unset; do
	if [ $term = unset ]; then
		mm_start_io 80 24 "$T/tty-out" "$T/tty-err" -u TERM
	else
		mm_start_io 80 24 "$T/tty-out" "$T/tty-err" "TERM=$term"
	fi
	st=$(wait_exit)
	wait_settled "$T/tty-out"
	# The tty saw only the echo of the newline that started mamori.
	junk=$(tr -d '\r\n' <"$T/tty-out" | od -An -c | head -n 3)
	if [ "$st" = 2 ] && [ -z "$junk" ] && grep -q '^mamori: ' "$T/tty-err" &&
		grep -q -- '--dump' "$T/tty-err"; then
		ok "TERM=$term: exit 2, nothing written to the terminal, stderr suggests --dump"
	else
		not_ok "TERM=$term: exit 2, nothing written to the terminal, stderr suggests --dump" \
			"status '${st:-running}'" "terminal got: $junk" "stderr: $(cat "$T/tty-err")"
	fi
done

# stdin the terminal, stdout a file.
_mm_cmd
_new_session 80 24 /bin/sh -c 'o=$1; e=$2; shift 2; exec "$@" >"$o" 2>"$e"' \
	sh "$T/so" "$T/se" "${E2E_CMD[@]}"
st=$(wait_exit)
if [ "$st" = 2 ] && [ ! -s "$T/so" ] && grep -q '^mamori: ' "$T/se" && grep -q -- '--dump' "$T/se"; then
	ok "stdin a terminal, stdout a file: exit 2, nothing in the file, stderr suggests --dump"
else
	not_ok "stdin a terminal, stdout a file: exit 2, nothing in the file, stderr suggests --dump" \
		"status '${st:-running}'" "file: $(head -c 300 "$T/so" | od -An -c | head -n 3)" "stderr: $(cat "$T/se")"
fi

# --- locales ----------------------------------------------------------------------------

for loc in unset ja_JP.UTF-8-missing; do
	if [ $loc = unset ]; then
		mm_start 80 24 -u LANG -u LC_ALL -u LC_CTYPE
	else
		# A locale that is not installed (C.UTF-8 is; this one may be).
		mm_start 80 24 -u LC_ALL LANG=xx_NOSUCH.UTF-8
	fi
	if wait_line 1 '目次' && wait_for "> $(prefix "${TITLE[intro]}" 10)"; then
		ok "LANG $loc: the contents show Japanese"
	else
		not_ok "LANG $loc: the contents show Japanese"
	fi
	keys q
	wait_exit >/dev/null
done

finish
