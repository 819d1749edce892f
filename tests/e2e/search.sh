#!/bin/bash
# End-to-end checks of search in the reader (issue 9), driven in tmux: a
# phrase that the layout breaks across two lines is found; width and case
# fold (全角/半角 letters, digits and kana); the status line counts the hits
# ("k/M") and says when the search wraps around; a search with no hit from
# the contents leaves the contents alone; an empty pattern repeats the last
# search; Up and Down in the prompt walk its history; the current hit is in
# reverse video and the other hits on screen are underlined.
#
# Wording is assumed as little as possible: "見つかりません" for no hit, the
# prompt "検索:", a hit count as the first "k/M" on the status line that is
# not the page's "P/42  NN%", and for the wrap-around one of 先頭 最初 末尾
# 最後 折り返 一周 wrap top bottom (a status that says none of them after an
# ordinary n).  Hits are compared folded (NFKC, then case folding).
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/search.sh

. "$(dirname "$0")/lib.sh"
e2e_init search
need_tmux
need_python3

T=$E2E_TMP
mm --list >"$T/list" || { echo "Bail out! mamori --list failed"; exit 99; }
NPAGES=$(grep -c '' "$T/list")

# attrs.py MODE ...: reads capture-pane -e of the page area (the status line
# left out) on stdin.  A message too long for the status line (which now
# starts with the session's name, so a search's "検索「...」 k/M" can be
# one) is also drawn whole on the rows just above it, in reverse video from
# a blank first column: those bottom rows are the status line's, not the
# page's, and are left out too.  The reverse-video characters, in reading order, are
# the current hit; runs of underlined characters that are not reversed and
# are exactly a hit, the other hits (links are underlined too, but a link's
# run is its whole text).  Comparisons fold (NFKC, case) and ignore blanks.
#   is WANT        exit 0 if the reverse characters fold to WANT
#   under WANT N   exit 0 if N or more underlined runs are WANT
#   unmarked WANT  exit 0 if nothing is reversed and no underlined run is WANT
#   where          print the row and column of the first reverse character
#   show           print both, for failure details
cat >"$T/attrs.py" <<'PY'
import re, sys, unicodedata

def fold(s):
    return "".join(unicodedata.normalize("NFKC", s).casefold().split())

def cells(line, state):
    """The (character, reverse, underline) cells of one captured row; state
    carries the attributes on from row to row, as the capture does."""
    out = []
    for tok in re.split(r"(\x1b\[[0-9;:]*m)", line):
        if tok.startswith("\x1b["):
            params = tok[2:-1].split(";") if tok[2:-1] else ["0"]
            for p in params:
                sub = p.split(":")
                p = sub[0] or "0"
                if p == "0":
                    state["rev"] = state["und"] = False
                elif p == "7":
                    state["rev"] = True
                elif p == "27":
                    state["rev"] = False
                elif p == "4":
                    state["und"] = not (len(sub) > 1 and sub[1] == "0")
                elif p == "24":
                    state["und"] = False
            continue
        out += [(ch, state["rev"], state["und"]) for ch in tok]
    return out

state = {"rev": False, "und": False}
lines = sys.stdin.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
rows = [cells(line, state) for line in lines]
# The long-message block: whole rows at the bottom, reverse from a blank
# column 0 to their last character (capture-pane drops trailing blanks).
while rows and rows[-1] and rows[-1][0][0] == " " and all(c[1] for c in rows[-1]):
    rows.pop()

rtext, runs, first = "", [], None
for row, line in enumerate(rows):
    col, prev_und = 0, False
    for ch, rev, und in line:
        if rev:
            if not ch.isspace():
                if first is None:
                    first = (row + 1, col)
                rtext += ch
        elif und and not ch.isspace():
            if prev_und and runs:
                runs[-1] += ch
            else:
                runs.append(ch)
        prev_und = und and not rev and not ch.isspace()
        col += 1
    # A hit may go on at the start of the next line: join runs across the break.
    if prev_und and runs:
        runs[-1] += "\n"
runs = [r.replace("\n", "") for r in "|".join(runs).replace("\n|", "").split("|")]

mode = sys.argv[1]
if mode == "is":
    sys.exit(0 if rtext and fold(rtext) == fold(sys.argv[2]) else 1)
if mode == "under":
    want = fold(sys.argv[2])
    n = sum(1 for r in runs if fold(r) == want)
    sys.exit(0 if n >= int(sys.argv[3]) else 1)
if mode == "unmarked":
    want = fold(sys.argv[2])
    sys.exit(0 if not rtext and not any(fold(r) == want for r in runs) else 1)
if mode == "where":
    print("%d:%d" % first if first else "none")
    sys.exit(0)
print("reverse: %r" % rtext)
print("underlined: %r" % [r for r in runs if r])
PY
_attrs() { _scr_e | sed '$d' | "$PYTHON" "$T/attrs.py" "$@"; }
_rev_is() { _attrs is "$1"; }
_under() { _attrs under "$1" "$2"; }
# wait_rev WANT: the current hit (reverse video) is WANT, folded.
wait_rev() { _poll _rev_is "$1" || _wait_report "the reverse text to be '$1'"; }
shown() { _attrs show; printf 'status: %s\n' "$(status_line)"; }
where() { _attrs where; }

_status_lacks() { ! status_line 2>/dev/null | grep -qF -- "$1"; }
_status_re_lacks() { ! status_line 2>/dev/null | grep -qE -- "$1"; }
_has_count() { [ -n "$(count)" ]; }

# count: the hit count "k/M" on the status line (the first k/M that is not
# the page number followed by a percentage), or nothing.
count() {
	status_line | sed -E 's#[0-9]+/[0-9]+ +[0-9]+%##g' | grep -oE '[0-9]+/[0-9]+' | head -n 1
}
WRAP_RE='先頭|最初|末尾|最後|折り返|一周|[Ww][Rr][Aa][Pp]|[Tt][Oo][Pp]|[Bb][Oo][Tt][Tt][Oo][Mm]'

# search PATTERN: / PATTERN Enter, then wait for the prompt to close and the
# screen to settle.  An empty PATTERN sends only / and Enter.
search() {
	keys /
	wait_status_re '^検索:' >/dev/null || return 1
	[ -n "$1" ] && type_text "$1"
	keys Enter
	_poll _status_re_lacks '^検索:' || _wait_report "the prompt to close"
	settle
}
# end_search: Esc, and the current hit is gone.
_no_rev() { [ "$(where)" = none ]; }
end_search() {
	keys Escape
	_poll _no_rev || _wait_report "the highlight to go"
}
# wait_rule: the ==== under a page's title is on screen.
wait_rule() { wait_for_re '^==+$'; }

# --- a phrase across a line break ----------------------------------------------

P=セキュリティ対策について、その考え方
mm_start 80 24 -- --page to-owners
wait_rule >/dev/null
# The premise: at 80 columns the layout breaks the phrase.
if mm --dump to-owners --width 80 | grep -qF "$P"; then
	echo "# note: --dump to-owners --width 80 holds '$P' on one line; the check below is weaker"
fi
search "$P"
if _status_lacks '見つかりません' && wait_rev "$P"; then
	ok "on to-owners at 80 columns /$P finds the phrase, wrapped over two lines, in reverse video"
else
	not_ok "on to-owners at 80 columns /$P finds the phrase, wrapped over two lines, in reverse video" "$(shown)"
fi
end_search

# --- the current hit, and the others -------------------------------------------

search 情報
if wait_rev 情報; then
	ok "/情報: the current hit alone is in reverse video"
else
	not_ok "/情報: the current hit alone is in reverse video" "$(shown)"
fi
if _poll _under 情報 2; then
	ok "/情報: the other hits on screen are underlined"
else
	not_ok "/情報: the other hits on screen are underlined" "$(shown)"
fi
w1=$(where)
keys n
_poll eval '[ "$(where)" != "$w1" ]' >/dev/null
w2=$(where)
if [ "$w2" != "$w1" ] && [ "$w2" != none ] && wait_rev 情報 && _under 情報 2; then
	ok "n moves the reverse video to the next hit ($w1 -> $w2, row:column), the others stay underlined"
else
	not_ok "n moves the reverse video to the next hit, the others stay underlined" "$w1 -> $w2" "$(shown)"
fi
end_search
if _poll _attrs unmarked 情報; then
	ok "Esc ends the search: no hit is marked any more"
else
	not_ok "Esc ends the search: no hit is marked any more" "$(shown)"
fi

# --- width and case folding ----------------------------------------------------

mm_start 80 24 -- --page intro
wait_rule >/dev/null
for pair in 'ＩＰＡ:IPA' '取組５:取組5' 'ｾｷｭﾘﾃｨ:セキュリティ' 'ipa:IPA' 'security action:SECURITY ACTION'; do
	pat=${pair%%:*} want=${pair#*:}
	search "$pat"
	if _status_lacks '見つかりません' && wait_rev "$want"; then
		ok "/$pat finds $want (shown in reverse video)"
	else
		not_ok "/$pat finds $want (shown in reverse video)" "$(shown)"
	fi
	end_search
done

# --- which hit of how many, and the wrap-around ----------------------------------

mm_start 80 24 -- --page intro
wait_rule >/dev/null
search 取組5
_poll _has_count
c=$(count)
m=${c#*/}
if [ -n "$c" ] && [ "${c%/*}" = 1 ] && [ "$m" -ge 2 ] && _rev_is 取組5; then
	ok "/取組5 from the top of the first page: the status line counts the first hit ($c)"
else
	not_ok "/取組5 from the top of the first page: the status line counts the first hit (1/M)" "$(shown)"
	m=
fi
if [ -n "$m" ]; then
	keys n
	_poll eval '[ "$(count)" = "2/$m" ]' >/dev/null
	if [ "$(count)" = "2/$m" ] && _rev_is 取組5 && _status_re_lacks "$WRAP_RE"; then
		ok "n: 2/$m, and no word of wrapping"
	else
		not_ok "n: 2/$m, and no word of wrapping" "$(shown)"
	fi
	keys N
	_poll eval '[ "$(count)" = "1/$m" ]' >/dev/null
	same "N: back to 1/$m" "$(count)" "1/$m"
	keys N
	_poll eval '[ "$(count)" = "$m/$m" ]' >/dev/null
	if [ "$(count)" = "$m/$m" ] && wait_rev 取組5 && status_line | grep -qE "$WRAP_RE"; then
		ok "N from the first hit wraps to the last ($m/$m) and says so ($(status_line | sed 's/  .*//'))"
	else
		not_ok "N from the first hit wraps to the last ($m/$m) and says so" "$(shown)"
	fi
	keys n
	_poll eval '[ "$(count)" = "1/$m" ]' >/dev/null
	if [ "$(count)" = "1/$m" ] && wait_rev 取組5 && status_line | grep -qE "$WRAP_RE"; then
		ok "n from the last hit wraps to the first (1/$m) and says so ($(status_line | sed 's/  .*//'))"
	else
		not_ok "n from the last hit wraps to the first (1/$m) and says so" "$(shown)"
	fi
fi

# --- an empty pattern repeats the last search ------------------------------------

end_search
search ''
if _status_lacks '見つかりません' && wait_rev 取組5 && _poll _has_count; then
	ok "after Esc, / and Enter with an empty pattern searches 取組5 again ($(count))"
else
	not_ok "after Esc, / and Enter with an empty pattern searches 取組5 again" "$(shown)"
fi
end_search

# --- the prompt's history --------------------------------------------------------

search IPA
end_search
# The prompt holds exactly PATTERN (a hint may follow after blanks).
_prompt_is() { status_line | grep -qE "^検索: *$1( |\$)"; }
keys /
wait_status_re '^検索:' >/dev/null
keys Up
if _poll _prompt_is IPA; then
	ok "Up in the prompt recalls the last pattern (IPA)"
else
	not_ok "Up in the prompt recalls the last pattern (IPA)" "status: $(status_line)"
fi
keys Up
if _poll _prompt_is 取組5; then
	ok "Up again recalls the one before (取組5)"
else
	not_ok "Up again recalls the one before (取組5)" "status: $(status_line)"
fi
keys Down
if _poll _prompt_is IPA; then
	ok "Down goes forward again (IPA)"
else
	not_ok "Down goes forward again (IPA)" "status: $(status_line)"
fi
keys Enter
if _poll _status_re_lacks '^検索:' && wait_rev IPA; then
	ok "Enter on the recalled pattern searches it"
else
	not_ok "Enter on the recalled pattern searches it" "$(shown)"
fi

# --- no hit from the contents ------------------------------------------------------

mm_start 80 24
wait_line 1 '目次' >/dev/null
keys j j
wait_status "3/$NPAGES" >/dev/null
settle
before=$(_scr)
search zzqqxx
if wait_status '見つかりません' && wait_line 1 '目次' && [ "$(_scr | sed '$d')" = "$(printf '%s\n' "$before" | sed '$d')" ] &&
	wait_status "3/$NPAGES"; then
	ok "a search with no hit from the contents says 見つかりません and leaves the contents as they were"
else
	not_ok "a search with no hit from the contents says 見つかりません and leaves the contents as they were" \
		"$(dump_screen)"
fi
keys q
st=$(wait_exit)
same "q on the contents after it: exit status 0" "${st:-still running}" 0

finish
