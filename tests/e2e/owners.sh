#!/bin/bash
# End-to-end checks of owners and due dates (issue 13), driven in tmux:
# one editor for an item's note, owner and due date (Tab between the
# fields, a date that does not exist refused with the reason and the field
# kept); the item's row marked and its whole note, owner and due shown
# under it when focused; an overdue item marked on the page, in the
# 「担当と期限」 screen (overdue first, s sorts by owner, Enter opens the
# item) and counted on the dashboard; a 2 kB note typed in full is saved
# in full.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/owners.sh

. "$(dirname "$0")/lib.sh"
e2e_init owners
need_tmux
need_python3

T=$E2E_TMP
F="$T/a.txt"
# The first characters of principle-1's first two items, from the content.
item_start() {
	local t
	t=$(grep -h -m1 "^\[ \] $1 " "$MAMORI_CONTENT"/*.txt | sed "s/^\[ \] $1 //")
	printf '%s' "${t:0:6}"
}
P1_1=$(item_start p1-1)
P1_2=$(item_start p1-2)

# attr FILE ID NAME: the value of attribute NAME ("owner", "due") under ID's line.
attr() {
	awk -v id="$2" -v name="$3" '
		$1 == id { inside = 1; next }
		inside && /^[ \t]/ { if ($1 == name) { sub(/^[ \t]+[^ \t]+[ \t]+/, ""); print; exit } ; next }
		{ inside = 0 }' "$1"
}
_attr_is() { [ "$(attr "$1" "$2" "$3")" = "$4" ]; }

# --- 1. The editor: owner, a date that does not exist, then a past date ------------

mm_start 80 24 -- --answers "$F" --page principle-1
wait_for '原則1' >/dev/null
keys c
wait_status 'e:メモ' >/dev/null
keys e
check "e opens the editor with the note on the bottom row and owner and due above" \
	wait_for_re '^担当( |$)'
check "the due field is there too" wait_for_re '^期限( |$)'
keys Tab
type_text '情シス佐藤'
keys Tab
type_text '2027-02-30'
keys Enter
if wait_for 'February 2027 has 28 days' || wait_for '2027 年 2 月は 28 日'; then
	ok "2027-02-30 is refused with the reason (February 2027 has 28 days)"
else
	not_ok "2027-02-30 is refused with the reason"
fi
check "the editor stays open with the date as typed" wait_for_re '^期限 +2027-02-30'
check "nothing was saved yet" test ! -s "$F" -o -z "$(attr "$F" p1-1 owner)"
# C-u clears the due field (it kept the focus), then a date in the past: overdue.
keys C-u
type_text '2020-01-31'
keys Enter
if _poll _attr_is "$F" p1-1 owner '情シス佐藤' && _poll _attr_is "$F" p1-1 due '2020-01-31'; then
	ok "Enter saves owner 情シス佐藤 and due 2020-01-31 under p1-1 in the file"
else
	not_ok "Enter saves owner and due under p1-1" "$(cat "$F" 2>&1)"
fi
check "the file says format 2" grep -qx 'mamori-answers 2' "$F"

# --- 2. The page: the row's mark, the details under the focused item --------------

check "the focused item shows its owner and due under it, marked overdue" \
	wait_for '担当: 情シス佐藤  期限: 2020-01-31 (期限切れ)'
if status_line | grep -qF '情シス佐藤'; then
	not_ok "the owner is not in the status line (it is under the item)" "$(status_line)"
else
	ok "the owner is not in the status line (it is under the item)"
fi
check "the overdue item's row is marked: [ ]!$P1_1" wait_for "[ ]!$P1_1"

# A note on the second item, a due date in the future: marked *, not !.
keys Tab e
wait_for_re '^担当( |$)' >/dev/null
type_text '全員に説明する'
keys Tab Tab
type_text '2099-12-31'
keys Enter
check "a future due date and a note: the row is marked * ([ ]*$P1_2)" wait_for "[ ]*$P1_2"
check "the focused item shows its note under it" wait_for 'メモ: 全員に説明する'

# --- 3. The 「担当と期限」 screen ------------------------------------------------

keys O
check "O opens 担当と期限 with 2 items, 1 overdue" wait_line 1 '担当と期限  2 件 (期限切れ 1 件)'
check "the overdue item comes first, marked !" wait_line_re 4 '^! +2020-01-31 +情シス佐藤 +p1-1'
check "then the item due 2099-12-31" wait_line_re 5 '^ +2099-12-31 +- +p1-2'
keys s
check "s sorts by owner: the overdue item still first, then the owner" wait_for '並び: 担当順'
keys Down Enter
if wait_for '担当: -  期限: 2099-12-31' && wait_status 'e:メモ'; then
	ok "Enter opens the item's page with that item focused (its details shown)"
else
	not_ok "Enter opens the item's page with that item focused"
fi

# --- 4. The dashboard counts what is overdue ------------------------------------

keys P
check "the dashboard says 期限切れ 1 件" wait_for '期限切れ 1 件'
keys q
wait_gone '進捗ダッシュボード' >/dev/null
keys q
wait_exit >/dev/null

# --- 5. A 2 kB note typed in full survives ----------------------------------------

LONG=$("$PYTHON" -c 'import sys; sys.stdout.write("".join("長文メモ%03d-" % i for i in range(130)))')
LONG_BYTES=$(printf '%s' "$LONG" | wc -c)
mm_start 120 50 -- --answers "$F" --page principle-1
wait_for '原則1' >/dev/null
keys c e
wait_for_re '^担当( |$)' >/dev/null
keys C-u
# In pieces, as a paste arrives.
"$PYTHON" -c 'import sys; s = sys.argv[1]; [print(s[i:i + 200]) for i in range(0, len(s), 200)]' "$LONG" |
	while IFS= read -r piece; do type_text "$piece"; done
keys Enter
_note_is() { grep -qF -- "p1-1 " "$F" && grep -F -- "$LONG" "$F" >/dev/null; }
if _poll _note_is; then
	ok "a $LONG_BYTES-byte note typed in full is saved in full"
else
	not_ok "a $LONG_BYTES-byte note typed in full is saved in full" "$(grep '^p1-1' "$F" | wc -c) bytes on p1-1's line"
fi
check "the end of the long note shows under the item (wrapped, not cut)" wait_for '129-'
keys q
wait_exit >/dev/null

finish
