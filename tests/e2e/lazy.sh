#!/bin/bash
# End-to-end checks of lazy loading: the reader builds an index at start and
# parses a page when it is first shown.  A page the reader shows (in a pane
# tall enough for all of it) must be exactly `mamori --dump PAGE` (which
# parses everything first), at the shipped size and in bench/scale.py's
# 100x tree; and a broken page deep in a large tree, which an eager load
# would refuse at start, is told in the status line when it is opened, and
# the reader goes on (next page, back, quit with status 0).
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/lazy.sh

. "$(dirname "$0")/lib.sh"
e2e_init lazy
need_tmux
need_python3

T=$E2E_TMP
COLS=80
# The status line of a page shows "PAGE/PAGES": the page is drawn.
READY='[0-9]+/[0-9]+'

# same_as_dump DESC PAGE: open PAGE in a pane as tall as its dump, compare the rows.
same_as_dump() {
	local desc=$1 page=$2 n
	mm --dump "$page" --width $COLS | sed 's/ *$//' >"$T/want"
	n=$(wc -l <"$T/want")
	# The text rows, the score row of a page with questions, the status line.
	mm_start $COLS $((n + 2)) -- --page "$page"
	# Drawn: its title on the first row, the page number in the status line.
	if ! wait_line 1 "$(head -n 1 "$T/want")" || ! wait_status_re "$READY"; then
		not_ok "$desc" "the reader did not start"
		return
	fi
	screen | head -n "$n" | sed 's/ *$//' >"$T/got"
	if cmp -s "$T/got" "$T/want"; then
		ok "$desc"
	else
		not_ok "$desc" "$(diff "$T/want" "$T/got" | head -20)"
	fi
	keys q
}

# A few pages of every kind: the first, a table, checklist items, the last.  (Not the
# 自社診断: --dump prints each question's 解説 under it, the reader on its own screen;
# check_lazy compares those pages' lines.)
pages=$(mm --list | cut -f1)
first=$(echo "$pages" | head -n 1)
last=$(echo "$pages" | tail -n 1)
for p in $first table-1 action-1 sa-two-star $last; do
	echo "$pages" | grep -qx "$p" || continue
	same_as_dump "page $p shown lazily is its --dump, byte for byte" "$p"
done

# The 100x tree: pages deep in it, parsed only when opened.
"$PYTHON" "$TESTS_SRCDIR/../bench/scale.py" "$MAMORI_CONTENT" "$T/big" 100 >/dev/null ||
	bail_out "bench/scale.py failed"
SMALL=$MAMORI_CONTENT
MAMORI_CONTENT=$T/big
big_pages=$(mm --list | cut -f1)
same "the 100x tree has 100 times the pages" "$(echo "$big_pages" | wc -l)" \
	"$(($(echo "$pages" | wc -l) * 100))"
for p in intro table-1_x50 action-3_x98 $(echo "$big_pages" | tail -n 1); do
	echo "$big_pages" | grep -qx "$p" || continue
	same_as_dump "100x: page $p shown lazily is its --dump, byte for byte" "$p"
done

# A company's broken page deep in the tree: a table row with more cells
# than its header (an error: cells are dropped) and a link to nowhere.
victim=$(ls "$T/big" | sort | sed -n '790p')
vpage=$(grep -m1 '^@page' "$T/big/$victim" | awk '{print $2}')
vline=$(($(grep -n -m1 '^@page' "$T/big/$victim" | cut -d: -f1) + 1))
sed -i "${vline}a\\
\\
| 部署 | 担当 |\\
| 総務 | 佐藤 | 余分 |\\
\\
=> no-such-page 行き先のないリンク\\
" "$T/big/$victim"
bad_line=$(grep -n -m1 '余分' "$T/big/$victim" | cut -d: -f1)
if mm --check-content "$T/big" >/dev/null 2>&1; then
	not_ok "the broken tree fails --check-content"
else
	ok "the broken tree fails --check-content"
fi
mm_start $COLS 24 -- --page "$first"
if wait_status_re "$READY" && ! status_line | grep -q 'problem'; then
	ok "the reader starts on the broken 100x tree without a word about a page not shown"
else
	not_ok "the reader starts on the broken 100x tree without a word about a page not shown" "$(screen)"
fi
keys q
# Wide enough for the whole message with its temp path.
mm_start 250 24 -- --page "$vpage"
if wait_status_re "content has 2 problems \\(1 error\\); first: .*${victim}:${bad_line}: table row has 3 cells"; then
	ok "the broken page's problems are told in the status line when it is opened"
else
	not_ok "the broken page's problems are told in the status line when it is opened" "$(status_line)"
fi
# Shown as far as it goes: the good cells are there.
if screen | grep -q '総務'; then
	ok "the broken page is shown"
else
	not_ok "the broken page is shown" "$(screen)"
fi
keys n
wait_status_re "$READY" >/dev/null
keys p
wait_status_re "$READY" >/dev/null
keys q
st=$(wait_exit)
same "the reader goes on and quits with status 0" "$st" 0
MAMORI_CONTENT=$SMALL

finish
