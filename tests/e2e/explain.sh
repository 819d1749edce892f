#!/bin/bash
# End-to-end checks of the explanations (`@explain ITEM ... @end`, a
# question's 解説): every 自社診断 question in the shipped content has one,
# --dump prints it framed under its own question at every width, and
# --check-content names FILE:LINE for each way an @explain can be broken.
# Which items are questions, and what each 解説 says, is read from
# content/*.txt here, not written into the test.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/explain.sh

. "$(dirname "$0")/lib.sh"
e2e_init explain
need_python3

T=$E2E_TMP

# --- the shipped content is clean, explanations included ----------------------

"$MAMORI" --check-content "$MAMORI_CONTENT" >"$T/check" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q ': OK$' "$T/check"; then
	ok "--check-content: the shipped content, with its 解説, is OK"
else
	not_ok "--check-content: the shipped content, with its 解説, is OK" "exit $rc" "$(cat "$T/check")"
fi

# --- the questions and their 解説, from the files ------------------------------
# One line per question: ID<TAB>PAGE<TAB>TEXT<TAB>FIRST-PARAGRAPH-OF-ITS-解説 ("" if none).

"$PYTHON" - "$MAMORI_CONTENT" >"$T/questions" 2>"$T/questions.err" <<'PY'
import os, re, sys
d = sys.argv[1]
files = sorted(f for f in os.listdir(d) if f.endswith(".txt"))
kinds, questions, explains = {}, [], {}
for f in files:
    page = group = None
    explain = None      # [id, first paragraph] while inside @explain
    last = None         # the question whose continuation lines may follow
    for raw in open(os.path.join(d, f), encoding="utf-8"):
        line = raw.rstrip("\n")
        if last is not None and line.startswith("  ") and line.strip():
            last[2] += line.strip()
            continue
        last = None
        if explain is not None:
            if line == "@end":
                explains.setdefault(explain[0], explain[1])
                explain = None
            elif line.strip() and not explain[2]:
                explain[1] += line.strip()
            elif explain[1]:
                explain[2] = True   # the first paragraph ended
            continue
        if line.startswith("@explain "):
            explain = [line.split()[1], "", False]
        elif line.startswith("@page "):
            page, group = line.split()[1], None
        elif line.startswith("@group "):
            parts = line.split(None, 3)
            group = parts[1]
            if len(parts) >= 3:
                kinds[group] = parts[2]
        elif line.startswith("[ ] ") and group and kinds.get(group) == "diagnosis":
            m = re.match(r"\[ \] (\S+)\s+(.*)$", line)
            last = [m.group(1), page, m.group(2)]
            questions.append(last)
for q in questions:
    print("\t".join([q[0], q[1], q[2], explains.get(q[0], "")]))
PY
if [ -s "$T/questions.err" ]; then
	not_ok "content/*.txt parse as UTF-8 text" "$(cat "$T/questions.err")"
fi
nq=$(wc -l <"$T/questions")
if [ "$nq" -gt 0 ]; then
	ok "the content has $nq 自社診断 questions"
else
	not_ok "the content has 自社診断 questions" "none found in $MAMORI_CONTENT"
fi
missing=$(awk -F'\t' '$4 == "" { print $1 }' "$T/questions")
if [ -z "$missing" ]; then
	ok "every question ($nq) has an @explain in the content"
else
	not_ok "every question has an @explain in the content" "without: $missing"
fi

# --- --dump shows each 解説 framed under its own question -----------------------
# For each question: the dump of its page has the question's "[ ] " line, and
# the frame right under it is titled 解説 and holds that question's 解説 (its
# first paragraph, whitespace aside).  Every line fits the width.

for width in 20 33 40 60 80 100 120; do
	for page in $(cut -f2 "$T/questions" | uniq); do
		"$MAMORI" --content "$MAMORI_CONTENT" --dump "$page" --width "$width" \
			>"$T/dump-$page-$width" 2>"$T/dump.err" ||
			not_ok "--dump $page --width $width runs" "$(cat "$T/dump.err")"
	done
	"$PYTHON" - "$T" "$width" >"$T/verdict-$width" 2>&1 <<'PY'
import re, sys, unicodedata
tmp, width = sys.argv[1], int(sys.argv[2])

def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

def squash(s):
    return re.sub(r"\s+", "", s)

dumps, problems = {}, []
for row in open("%s/questions" % tmp, encoding="utf-8"):
    qid, page, text, first = row.rstrip("\n").split("\t")
    if page not in dumps:
        dumps[page] = open("%s/dump-%s-%d" % (tmp, page, width), encoding="utf-8").read().split("\n")
        for n, l in enumerate(dumps[page], 1):
            if cols(l) > width:
                problems.append("%s line %d is %d columns: %r" % (page, n, cols(l), l))
    lines = dumps[page]
    # The question: its "[ ] " line and the lines that continue it, up to the frame.
    start = None
    for i, l in enumerate(lines):
        if not l.startswith("[ ] "):
            continue
        j = i + 1
        while j < len(lines) and lines[j].startswith(" ") and not lines[j].lstrip().startswith(("+", "|")):
            j += 1
        if squash(text[:12]) in squash(l[4:] + "".join(lines[i + 1:j])):
            start = (i, j)
            break
    if start is None:
        problems.append("%s: question not found in --dump %s" % (qid, page))
        continue
    j = start[1]
    frame = []
    if j < len(lines) and lines[j].lstrip().startswith("+"):
        k = j + 1
        while k < len(lines) and lines[k].lstrip().startswith("|"):
            frame.append(lines[k].strip().strip("|"))
            k += 1
    if not frame or "解説" not in frame[0]:
        problems.append("%s: no frame titled 解説 under the question" % qid)
        continue
    if squash(first[:16]) not in squash("".join(frame[1:])):
        problems.append("%s: the frame under it is not its 解説 (want %r...)" % (qid, first[:16]))
for p in problems:
    print(p)
PY
	if [ -s "$T/verdict-$width" ]; then
		not_ok "--dump --width $width: each question's 解説 framed under it, every line fits" \
			"$(head -20 "$T/verdict-$width")"
	else
		ok "--dump --width $width: each of the $nq questions has its own 解説 framed under it, every line fits"
	fi
done

# --- broken @explain blocks are reported with FILE:LINE ------------------------

B=$T/broken
W=$T/warned
cp -r "$MAMORI_CONTENT" "$B"
rm -f "$B/README.md"
q1=$(sed -n 1p "$T/questions" | cut -f1)
q2=$(sed -n 2p "$T/questions" | cut -f1)
q3=$(sed -n 3p "$T/questions" | cut -f1)
p3=$(sed -n 3p "$T/questions" | cut -f2)
cp -r "$B" "$W"
# Line 1: an item that does not exist, holding (line 3) a link that goes nowhere;
# line 5: a second @explain for q1; line 8: q2's, never closed.
printf '%s\n' "@explain no-such-item" "text" "=> no-such-page どこか" "@end" \
	"@explain $q1" "二つ目" "@end" "@explain $q2" "閉じていない" >"$B/99-broken.txt"
"$MAMORI" --check-content "$B" >"$T/broken.out" 2>"$T/broken.err"
rc=$?
same "--check-content on broken @explain blocks exits 1" "$rc" 1
expect() {
	if grep -qF -- "$3" "$2"; then
		ok "--check-content: $1"
	else
		not_ok "--check-content: $1" "want a line with: $3" "got:" "$(cat "$2")"
	fi
}
expect "an unknown item, at its @explain line" "$T/broken.out" \
	"$B/99-broken.txt:1: @explain for an item that does not exist: 'no-such-item'"
expect "a link inside that goes nowhere, at its line" "$T/broken.out" \
	"$B/99-broken.txt:3: warning: link to a page that does not exist: 'no-such-page'"
expect "a second @explain for one item, naming the first" "$T/broken.out" \
	"$B/99-broken.txt:5: a second @explain for item '$q1' (first at "
expect "an @explain never closed" "$T/broken.out" \
	"$B/99-broken.txt:8: @explain $q2 is not closed with @end"

# q3 loses its 解説: a warning at the question's own line; the reader still shows the rest.
"$PYTHON" - "$W" "$q3" <<'PY'
import os, re, sys
d, q = sys.argv[1], sys.argv[2]
for f in os.listdir(d):
    if not f.endswith(".txt"):
        continue
    p = os.path.join(d, f)
    s = open(p, encoding="utf-8").read()
    t = re.sub(r"^@explain %s\n.*?^@end\n" % re.escape(q), "", s, flags=re.S | re.M)
    if t != s:
        open(p, "w", encoding="utf-8").write(t)
PY
qfile=$(grep -l "^\[ \] $q3 " "$W"/*.txt | head -1)
qline=$(grep -n "^\[ \] $q3 " "$qfile" | cut -d: -f1)
"$MAMORI" --check-content "$W" >"$T/warned.out" 2>&1
same "--check-content on a question without 解説 exits 1" "$?" 1
expect "a question left without its 解説, at the question's line" "$T/warned.out" \
	"$qfile:$qline: warning: question '$q3' has no 解説"
want=$(awk -F'\t' -v p="$p3" '$2 == p' "$T/questions" | wc -l)
"$MAMORI" --content "$W" --dump "$p3" --width 80 >"$T/warned.dump" 2>/dev/null
same "--dump of that page still shows the other questions' 解説" \
	"$(grep -c '^    | 解説' "$T/warned.dump")" $((want - 1))

# In the reader: i on a focused question opens its 解説; Enter on its link opens the page; q goes back.
if command -v tmux >/dev/null 2>&1; then
	mm_start 80 24 LANG=C.UTF-8 -- --answers "$T/reader.txt" --page diagnosis-part1
	wait_status '?:ヘルプ' >/dev/null 2>&1
	keys c
	if wait_status 'i:解説' >/dev/null 2>&1; then
		ok "reader: a focused question names i:解説 on the status line"
	else
		not_ok "reader: a focused question names i:解説 on the status line" "$(status_line)"
	fi
	first=$(awk -v id="$(awk -F'\t' '$2 == "diagnosis-part1" { print $1; exit }' "$T/questions")" '
		$0 == "@explain " id { on = 1; next } on && NF { print; exit }' "$MAMORI_CONTENT"/*.txt | cut -c1-12)
	keys i
	if wait_for "| 解説" >/dev/null 2>&1 && _has_fixed "$first"; then
		ok "reader: i shows the question's 解説 (framed, its first words: $first)"
	else
		not_ok "reader: i shows the question's 解説" "want '$first'" "$(screen)"
	fi
	keys Enter
	if wait_status_re '[0-9]+%  \?:' >/dev/null 2>&1 && _lacks_fixed '| 解説'; then
		ok "reader: Enter on the 解説's link opens the linked page"
	else
		not_ok "reader: Enter on the 解説's link opens the linked page" "$(screen)"
	fi
	keys h
	keys q
	st=$(wait_exit) || st=
	same "reader: back, then q quits" "$st" 0
else
	ok "# SKIP reader checks: tmux is not installed"
fi

finish
