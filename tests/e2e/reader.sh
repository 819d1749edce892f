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
	[ -s "$f" ] || mm --dump "$1" --width "$2" >"$f"
	echo "$f"
}

# links ID: the link targets of page ID, in order, from content/*.txt.
links() {
	awk -v id="$1" '
		/^@page / { on = ($2 == id); next }
		on && /^=> / { print $2 }' "$MAMORI_CONTENT"/*.txt
}

# pos: "PAGE-INDEX:OFFSET" of what the reader shows (offset in that page's
# dump at the pane's width, 0 if the screen is not a window of it).
pos() {
	local n id w
	n=$(status_line | grep -oE '[0-9]+/'"$NPAGES" | head -n 1)
	n=${n%/*}
	[ -n "$n" ] || { echo "?:0"; return; }
	id=${ID_AT[n - 1]}
	w=$(pane_fmt '#{pane_width}')
	echo "$n:$(page_offset "$(dump "$id" "$w")")"
}

# prefix TEXT N: the first N characters of TEXT.
prefix() { printf '%s' "${1:0:$2}"; }

# --- the walk-through, at each size ------------------------------------------

walk() {
	local cols=$1 rows=$2 sz="${1}x${2}" h=$(($2 - 1)) d o o2 n first second
	local id2=${ID_AT[1]} id3=${ID_AT[2]}

	# The contents.
	mm_start "$cols" "$rows"
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
	if wait_line 2 '==' && [ "$(pos)" = "2:1" ] &&
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
	if wait_line 2 '==' && [ "$(pos)" = "$ti:1" ]; then
		ok "$sz: --page $tid opens on that page, laid out as --dump --width $cols"
	else
		not_ok "$sz: --page $tid opens on that page, laid out as --dump --width $cols" "pos $(pos)"
	fi
	press j; o=$(pos)
	[ "$o" = "$ti:2" ] && ok "$sz: j scrolls one line down" || not_ok "$sz: j scrolls one line down" "pos $o"
	press k; o=$(pos)
	[ "$o" = "$ti:1" ] && ok "$sz: k scrolls one line up" || not_ok "$sz: k scrolls one line up" "pos $o"
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
		[ "$o" = "$ti:1" ] && ok "$sz: $hk goes to the top" || not_ok "$sz: $hk goes to the top" "pos $o"
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
	[ "$o" = "$((ti - 1)):1" ] && ok "$sz: Left from $tid opens $pid" || not_ok "$sz: Left from $tid opens $pid" "pos $o"
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
	press g
	keys Tab; wait_for_re "^$(printf '%s' "${first:0:6}")" >/dev/null
	press Tab
	before=$(pos)
	target=$(links $tid | sed -n 2p)
	press Enter; o=$(pos)
	[ "$o" = "${INDEX[$target]}:1" ] || not_ok "$sz: Enter on the second link opens $target" "pos $o"
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
	[ "${o%:*}" = "$ti" ] && ok "$sz: Enter in the contents opens $tid again" ||
		not_ok "$sz: Enter in the contents opens $tid again" "pos $o"

	# The help, and back.
	press j j j
	before=$(pos)
	press '?'
	screen >"$T/help"
	local prev
	# See all of it, if it needs scrolling.
	for _ in 1 2 3 4; do
		prev=$(_scr)
		keys PgDn
		E2E_WAIT_MS=300 _poll _differs "$prev" || break
		settle
		screen >>"$T/help"
	done
	local missing
	missing=$(python3 - "$T/help" <<'PY'
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
)
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
	local sid=principle-2 si=${INDEX[principle-2]} p1 p2 p3
	mm_start "$cols" "$rows" -- --page $sid
	wait_line 2 '=='
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

for s in $SIZES; do
	walk "${s%x*}" "${s#*x}"
done

# --- search across pages: n from the last hit on a page ---------------------

mm_start 80 24 -- --page intro
wait_line 2 '=='
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
# The next page holding the word, in reading order.
want=
for ((k = ${p1%:*}; k < NPAGES; k++)); do
	if grep -qF 'SECURITY ACTION' "$(dump "${ID_AT[k]}" 80)"; then
		want=$((k + 1))
		break
	fi
done
keys n
if E2E_WAIT_MS=1000 wait_status "$want/$NPAGES" >/dev/null 2>&1 && settle &&
	reverse_lines | grep -qF 'SECURITY ACTION'; then
	ok "n from the last hit on a page goes to the next page with a hit (${ID_AT[want - 1]}, $want/$NPAGES)"
else
	not_ok "n from the last hit on a page goes to the next page with a hit (${ID_AT[want - 1]}, $want/$NPAGES)" \
		"still at $(pos): $(status_line)"
fi
keys N
if wait_status "${p1%:*}/$NPAGES" >/dev/null 2>&1 && settle && [ "$(pos)" = "$p1" ]; then
	ok "N from there comes back to the hit on intro"
else
	not_ok "N from there comes back to the hit on intro" "want $p1, at $(pos)"
fi
keys Escape
press /
type_text 'zzqqxx'
keys Enter
if wait_for 'zzqqxx」は見つかりません' >/dev/null 2>&1 || wait_for 'zzqqxx' >/dev/null 2>&1; then
	ok "a search without hits says so (「zzqqxx」...) and stays put"
else
	not_ok "a search without hits says so"
fi

# --- checklist items take the focus too -----------------------------------------

mm_start 80 24 -- --page principle-1
if wait_line 2 '==' && [ "$(pos)" = "${INDEX[principle-1]}:1" ]; then
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
wait_line 2 '==' >/dev/null
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
if wait_status "${INDEX[$rid]}/$NPAGES" && _poll _width_is 60 && settle && [ "$(page_offset "$d60")" != 0 ]; then
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
resize 80 24
_poll _width_is 80 >/dev/null; settle
mm_start 80 24 -- --page $rid
wait_line 2 '==' >/dev/null
keys_j "$item_line"
wait_line 1 "${cont_text:0:6}" >/dev/null
resize 60 20
_poll _width_is 60 >/dev/null; settle
if python3 - "$cont_text" "$(line 1 | sed 's/^ *//')" "$(line 2 | sed 's/^ *//')" <<'PY'
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

for sz in 39x10 40x9 30x5; do
	resize "${sz%x*}" "${sz#*x}"
	if wait_for '画面が小さすぎます' && wait_for 'Terminal too small'; then
		ok "resize to $sz: 「画面が小さすぎます」 and 'Terminal too small'"
	else
		not_ok "resize to $sz: 「画面が小さすぎます」 and 'Terminal too small'"
	fi
done
resize 40 10
d40=$(dump $rid 40)
if wait_gone '画面が小さすぎます' && settle && [ "$(page_offset "$d40")" != 0 ]; then
	ok "resize to 40x10: the page again, at 40 columns"
else
	not_ok "resize to 40x10: the page again, at 40 columns" "$(dump_screen)"
fi
alive=1
for sz in 1x1 2x2 1x30 200x1 20x3; do
	resize "${sz%x*}" "${sz#*x}" 2>/dev/null
	sleep 0.05
	pane_dead && { alive=0; break; }
done
if [ $alive = 1 ]; then
	ok "resizes down to $(pane_fmt '#{pane_width}x#{pane_height}') (asked 1x1, 1x30, 200x1, 20x3): still running"
else
	not_ok "resizes down to 1x1: still running" "died at $sz, status $(pane_fmt '#{pane_dead_status}')"
fi
resize 80 24
if wait_gone '画面が小さすぎます' && _poll _width_is 80 && settle && [ "$(page_offset "$d80")" != 0 ] &&
	wait_status "${INDEX[$rid]}/$NPAGES"; then
	ok "growing back to 80x24 shows the page again, at 80 columns"
else
	not_ok "growing back to 80x24 shows the page again, at 80 columns" "$(dump_screen)"
fi
keys q
st=$(wait_exit)
[ "$st" = 0 ] && ok "q after the resizes: exit status 0" || not_ok "q after the resizes: exit status 0" "status '${st:-running}'"

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
