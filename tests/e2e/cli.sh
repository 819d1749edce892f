#!/bin/bash
# End-to-end checks of mamori's command line: options and exit statuses,
# --list, --dump (widths, kinsoku), --check-content on good and broken
# content, and the refusal to start the reader without a terminal.
# No tmux needed.  Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/cli.sh

. "$(dirname "$0")/lib.sh"
e2e_init cli
need_python3

T=$E2E_TMP
out=$T/out
err=$T/err

# run ARG...: mamori with stdout/stderr to $out/$err; status in $rc.
run() {
	"$MAMORI" "$@" >"$out" 2>"$err" </dev/null
	rc=$?
}

show() {
	echo "exit status: $rc"
	echo "stdout:"
	head -c 2000 "$out"
	echo "stderr:"
	head -c 2000 "$err"
}

# ---------------------------------------------------------------- --help, --version

for opt in --help -h; do
	run $opt
	if [ $rc = 0 ] && grep -q '^Usage: mamori' "$out" && grep -q -- '--dump' "$out" &&
		grep -q -- '--check-content' "$out" && [ ! -s "$err" ]; then
		ok "$opt prints usage to stdout and exits 0"
	else
		not_ok "$opt prints usage to stdout and exits 0" "$(show)"
	fi
done

for opt in --version -V; do
	run $opt
	if [ $rc = 0 ] && head -n 1 "$out" | grep -Eq '^mamori [0-9]+\.[0-9]+' && [ ! -s "$err" ]; then
		ok "$opt prints 'mamori X.Y...' to stdout and exits 0"
	else
		not_ok "$opt prints the version to stdout and exits 0" "$(show)"
	fi
done

# ---------------------------------------------------------------- usage errors

# usage_error DESC ARG...: exit 2, nothing on stdout, stderr starts with
# "mamori: " and says "Try 'mamori --help'".
usage_error() {
	local desc=$1
	shift
	run "$@"
	if [ $rc = 2 ] && [ ! -s "$out" ] && head -n 1 "$err" | grep -q '^mamori: ' &&
		grep -qF "Try 'mamori --help'" "$err"; then
		ok "$desc: exit 2, 'mamori: ...' and 'Try 'mamori --help'' on stderr"
	else
		not_ok "$desc: exit 2 with a usage message on stderr" "$(show)"
	fi
}

usage_error "unknown option --bogus" --bogus
usage_error "unknown short option -x" -x
usage_error "stray argument" stray
usage_error "stray argument after --list" --list extra
usage_error "--width 5" --dump intro --width 5
usage_error "--width abc" --dump intro --width abc
usage_error "--width 19 (below the minimum)" --dump intro --width 19
usage_error "--width 12x" --dump intro --width 12x

# An option that needs an argument, given none: the message must name the
# option as typed, in plain text.
bad=
for opt in --page --dump --width --content; do
	run $opt
	if [ $rc != 2 ] || ! head -n 1 "$err" | grep -q '^mamori: ' ||
		! grep -qF -- "$opt" "$err" || LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$err"); then
		bad="$bad
$opt: $(show | cat -v)"
	fi
done
if [ -z "$bad" ]; then
	ok "--page/--dump/--width/--content without an argument: exit 2, the message names the option"
else
	not_ok "--page/--dump/--width/--content without an argument: exit 2, the message names the option" "$bad"
fi

for mode in --page --dump; do
	run --content "$MAMORI_CONTENT" $mode nosuch
	if [ $rc = 2 ] && grep -q "^mamori: .*nosuch" "$err" && [ ! -s "$out" ]; then
		ok "$mode nosuch: exit 2, message names 'nosuch'"
	else
		not_ok "$mode nosuch: exit 2, message names 'nosuch'" "$(show)"
	fi
done

# ---------------------------------------------------------------- --list

run --content "$MAMORI_CONTENT" --list
cp "$out" "$T/list"
if [ $rc = 0 ] && [ ! -s "$err" ] && [ -s "$T/list" ] &&
	! grep -qv "$(printf '^[A-Za-z0-9_.-][A-Za-z0-9_.-]*\t..*$')" "$T/list"; then
	ok "--list: exit 0, every line is ID<TAB>TITLE"
else
	not_ok "--list: exit 0, every line is ID<TAB>TITLE" "$(show)"
fi
cut -f1 "$T/list" >"$T/ids"

if [ "$(head -n 1 "$T/ids")" = intro ]; then
	ok "--list: the first page is intro"
else
	not_ok "--list: the first page is intro" "first: $(head -n 1 "$T/list")"
fi

missing=
for id in principle-1 principle-2 principle-3 action-1 action-7 table-1 diagnosis sources; do
	grep -qxF "$id" "$T/ids" || missing="$missing $id"
done
if [ -z "$missing" ]; then
	ok "--list: has principle-1..3, action-1, action-7, table-1, diagnosis, sources"
else
	not_ok "--list: has the expected pages" "missing:$missing"
fi

# Reading order = the @page lines of content/*.txt in file-name order.
LC_ALL=C ls "$MAMORI_CONTENT"/*.txt | while read -r f; do
	sed -n 's/^@page[[:space:]][[:space:]]*\([^[:space:]]*\)[[:space:]][[:space:]]*\(.*\)$/\1\t\2/p' "$f"
done >"$T/list-src"
if cmp -s "$T/list" "$T/list-src"; then
	ok "--list: $(wc -l <"$T/list") pages, in the order and with the titles of content/*.txt"
else
	not_ok "--list: the pages of content/*.txt in order" "$(diff "$T/list-src" "$T/list" | head -20)"
fi

if [ -z "$(sort "$T/ids" | uniq -d)" ]; then
	ok "--list: page ids are unique"
else
	not_ok "--list: page ids are unique" "$(sort "$T/ids" | uniq -d)"
fi

# ---------------------------------------------------------------- --dump

bad=
while IFS="$(printf '\t')" read -r id title; do
	"$MAMORI" --content "$MAMORI_CONTENT" --dump "$id" --width 80 >"$T/page" 2>"$T/page.err"
	r=$?
	if [ $r != 0 ] || [ "$(head -n 1 "$T/page")" != "$title" ] || [ -s "$T/page.err" ]; then
		bad="$bad
$id: exit $r, first line '$(head -n 1 "$T/page")', stderr '$(cat "$T/page.err")'"
	fi
done <"$T/list"
if [ -z "$bad" ]; then
	ok "--dump ID for every listed page: exit 0, the title on the first line"
else
	not_ok "--dump ID for every listed page: exit 0, the title on the first line" "$bad"
fi

# Display width of the widest line, and the lines breaking the kinsoku rules.
cat >"$T/measure.py" <<'PY'
import sys, unicodedata
def width(s):
    n = 0
    for ch in s:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufeff":
            continue
        n += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return n
NO_START = set("、。，．・：；？！ー」』）］｝〉》】ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
NO_END = set("「『（［｛〈《【")
limit = int(sys.argv[2])
text = open(sys.argv[1], "rb").read().decode("utf-8")
lines = text.split("\n")
widest, bad = 0, []
for i, l in enumerate(lines, 1):
    w = width(l)
    widest = max(widest, w)
    if w > limit:
        bad.append("line %d is %d columns: %s" % (i, w, l))
    # Table rows and framed lines: each cell is a line of its own.
    parts = l.split("|") if l.startswith("|") else [l]
    for part in parts:
        s = part.strip(" ")
        if s and s[0] in NO_START:
            bad.append("line %d starts with %s: %s" % (i, s[0], l))
        if s and s[-1] in NO_END:
            bad.append("line %d ends with %s: %s" % (i, s[-1], l))
print(widest)
for b in bad[:15]:
    print(b)
if len(bad) > 15:
    print("... and %d more" % (len(bad) - 15))
PY

for w in 20 40 60 80 120; do
	run --content "$MAMORI_CONTENT" --dump all --width $w
	cp "$out" "$T/all-$w"
	if [ $rc != 0 ] || [ -s "$err" ]; then
		not_ok "--dump all --width $w: exit 0" "$(show)"
		continue
	fi
	"$PYTHON" "$T/measure.py" "$T/all-$w" $w >"$T/m-$w"
	widest=$(head -n 1 "$T/m-$w")
	over=$(tail -n +2 "$T/m-$w" | grep ' columns: ')
	kin=$(tail -n +2 "$T/m-$w" | grep -v ' columns: ')
	if [ -z "$over" ]; then
		ok "--dump all --width $w: no line wider than $w columns (widest $widest)"
	else
		not_ok "--dump all --width $w: no line wider than $w columns" "$over"
	fi
	if [ -z "$kin" ]; then
		ok "--dump all --width $w: kinsoku (no line starts with 、。」ー small kana..., none ends with 「（...)"
	else
		not_ok "--dump all --width $w: kinsoku" "$kin"
	fi
done

# Cross-check the measure with wc -L (display width in a UTF-8 locale).
if wc_l=$(LC_ALL=C.UTF-8 wc -L <"$T/all-60" 2>/dev/null) &&
	[ "$wc_l" = "$(head -n 1 "$T/m-60")" ]; then
	ok "--dump all --width 60: wc -L agrees on the widest line ($wc_l)"
else
	not_ok "--dump all --width 60: wc -L agrees on the widest line" \
		"wc -L: $wc_l, python: $(head -n 1 "$T/m-60")"
fi

if [ "$(head -n 1 "$T/m-120")" -gt 80 ]; then
	ok "--dump all --width 120 uses more than 80 columns"
else
	not_ok "--dump all --width 120 uses more than 80 columns" "widest: $(head -n 1 "$T/m-120")"
fi

if [ "$(grep -c '' "$T/all-20")" -gt "$(grep -c '' "$T/all-80")" ]; then
	ok "--dump all: narrower width, more lines"
else
	not_ok "--dump all: narrower width, more lines"
fi

# Every page's title is in the dump of all pages.
bad=
while IFS="$(printf '\t')" read -r id title; do
	grep -qxF -- "$title" "$T/all-120" || bad="$bad $id"
done <"$T/list"
if [ -z "$bad" ]; then
	ok "--dump all holds every page's title"
else
	not_ok "--dump all holds every page's title" "missing:$bad"
fi

# Default width with stdout not a terminal: 80, or COLUMNS.
(unset COLUMNS; "$MAMORI" --content "$MAMORI_CONTENT" --dump all >"$T/def" 2>"$T/def.err" </dev/null)
if cmp -s "$T/def" "$T/all-80"; then
	ok "--dump all without --width, stdout a file, no COLUMNS: width 80"
else
	not_ok "--dump all without --width, stdout a file: width 80" \
		"widest: $("$PYTHON" "$T/measure.py" "$T/def" 1000 | head -n 1)" "$(cat "$T/def.err")"
fi
COLUMNS=40 "$MAMORI" --content "$MAMORI_CONTENT" --dump all >"$T/col" 2>/dev/null </dev/null
if cmp -s "$T/col" "$T/all-40"; then
	ok "--dump all without --width, COLUMNS=40: width 40"
else
	not_ok "--dump all without --width, COLUMNS=40: width 40" \
		"widest: $("$PYTHON" "$T/measure.py" "$T/col" 1000 | head -n 1)"
fi
COLUMNS=40 "$MAMORI" --content "$MAMORI_CONTENT" --dump all --width 120 >"$T/col" 2>/dev/null </dev/null
if cmp -s "$T/col" "$T/all-120"; then
	ok "--width 120 wins over COLUMNS=40"
else
	not_ok "--width 120 wins over COLUMNS=40"
fi

# ---------------------------------------------------------------- --check-content

run --check-content "$MAMORI_CONTENT"
if [ $rc = 0 ] && grep -q ': OK$' "$out"; then
	ok "--check-content on the shipped content: exit 0, '...: OK'"
else
	not_ok "--check-content on the shipped content: exit 0, '...: OK'" "$(show)"
fi
run "--check-content=$MAMORI_CONTENT"
if [ $rc = 0 ] && grep -q ': OK$' "$out"; then
	ok "--check-content=DIR: exit 0, '...: OK'"
else
	not_ok "--check-content=DIR: exit 0, '...: OK'" "$(show)"
fi

# broken NAME: a fresh copy of the content in $T/NAME.
broken() {
	rm -rf "${T:?}/$1"
	mkdir "$T/$1"
	cp "$MAMORI_CONTENT"/*.txt "$T/$1/"
	echo "$T/$1"
}

# append FILE TEXT: adds "\nTEXT\n" to FILE; prints TEXT's line number.
append() {
	printf '\n%s\n' "$2" >>"$1"
	grep -c '' "$1"
}

# expect_diag DESC DIR FILE LINE WORD: --check-content DIR exits 1 and
# reports FILE:LINE: with a message holding WORD (an ERE).
expect_diag() {
	local desc=$1 dir=$2 file=$3 lnum=$4 word=$5
	run --check-content "$dir"
	cat "$out" "$err" >"$T/diag"
	if [ $rc = 1 ] && grep -E "(^|/)$file:$lnum: .*$word" "$T/diag" >/dev/null &&
		! grep -q ': OK$' "$out"; then
		ok "--check-content, $desc: exit 1, '$file:$lnum: ...'"
	else
		not_ok "--check-content, $desc: exit 1, '$file:$lnum: ...' (message matching /$word/)" "$(show)"
	fi
}

d=$(broken dup)
n=$(append "$d/07-sources.txt" "@page intro 重複したページ")
expect_diag "a duplicate page id" "$d" 07-sources.txt "$n" "intro"

d=$(broken link)
n=$(append "$d/03-principles.txt" "=> nosuch x")
expect_diag "a link to a missing page" "$d" 03-principles.txt "$n" "nosuch"

d=$(broken utf8)
sed -i "10s/\$/$(printf '\377\376')/" "$d/04-actions.txt"
expect_diag "invalid UTF-8 on line 10" "$d" 04-actions.txt 10 "UTF-8"

d=$(broken ctrl)
sed -i "12s/\$/$(printf '\033')[31m/" "$d/05-security-action.txt"
expect_diag "an ESC byte on line 12" "$d" 05-security-action.txt 12 "[Cc]ontrol|0x1[Bb]|\\^\\["

d=$(broken orphan)
# On principle-1, before its @group line.
g=$(grep -n '^@group principle-1 ' "$d/03-principles.txt" | cut -d: -f1)
sed -i "$((g - 1))i [ ] orphan-1 グループより前の項目" "$d/03-principles.txt"
expect_diag "an item before any @group on its page" "$d" 03-principles.txt "$((g - 1))" "orphan-1"

# All of them at once: every one is reported, each at its place.
d=$(broken all)
n1=$(append "$d/07-sources.txt" "@page intro 重複したページ")
n2=$(append "$d/03-principles.txt" "=> nosuch x")
sed -i "10s/\$/$(printf '\377\376')/" "$d/04-actions.txt"
sed -i "12s/\$/$(printf '\033')[31m/" "$d/05-security-action.txt"
n5=$(append "$d/00-overview.txt" "[ ] orphan-2 グループのない項目")
run --check-content "$d"
cat "$out" "$err" >"$T/diag"
miss=
for want in "07-sources.txt:$n1:" "03-principles.txt:$n2:" "04-actions.txt:10:" \
	"05-security-action.txt:12:" "00-overview.txt:$n5:"; do
	grep -q "$want" "$T/diag" || miss="$miss $want"
done
if [ $rc = 1 ] && [ -z "$miss" ]; then
	ok "--check-content with five problems in five files: exit 1, all five reported"
else
	not_ok "--check-content with five problems: exit 1, all five reported" "missing:$miss" "$(show)"
fi

# The reader's other modes refuse broken content too.
run --content "$d" --list
if [ $rc != 0 ] && grep -q "07-sources.txt:$n1:" "$err"; then
	ok "--list on broken content: non-zero exit, problems on stderr"
else
	not_ok "--list on broken content: non-zero exit, problems on stderr" "$(show)"
fi

run --content "$T/no-such-dir" --list
if [ $rc != 0 ] && grep -qF "$T/no-such-dir" "$err" && [ ! -s "$out" ]; then
	ok "--content with a missing directory: exit $rc, the message names the directory"
else
	not_ok "--content with a missing directory: non-zero, the message names the directory" "$(show)"
fi

run --check-content "$T/no-such-dir"
if [ $rc != 0 ] && grep -qF "$T/no-such-dir" "$out" "$err"; then
	ok "--check-content with a missing directory: exit $rc, the message names the directory"
else
	not_ok "--check-content with a missing directory: non-zero, names the directory" "$(show)"
fi

# ---------------------------------------------------------------- hostile names

# raw_bytes FILE...: names the terminal-active bytes the files hold (ESC,
# BEL, other C0 but tab and newline, DEL, C1 as UTF-8 C2 80..9F or raw 80..9F
# after a non-UTF-8 lead); empty when there is none.
raw_bytes() {
	"$PYTHON" - "$@" <<'PY'
import sys
found = set()
for f in sys.argv[1:]:
    b = open(f, "rb").read()
    for i, c in enumerate(b):
        if c == 0x1B: found.add("ESC")
        elif c == 0x07: found.add("BEL")
        elif c < 0x20 and c not in (9, 10): found.add("C0-%02X" % c)
        elif c == 0x7F: found.add("DEL")
        elif c == 0xC2 and i + 1 < len(b) and 0x80 <= b[i + 1] <= 0x9F: found.add("C1")
print(" ".join(sorted(found)))
PY
}

HOSTILE_NAME=$(printf '00-\033]0;PWNED\007\033[2J\302\233.txt')
# The hostile file comes first (ESC sorts before 'o'): its page id 'intro'
# is the first use, so the duplicate in 00-overview.txt quotes its name.
d=$(broken hostile-dup)
printf '@chapter 敵意\n@page intro 重複\n' >"$d/$HOSTILE_NAME"
for mode in "--check-content $d" "--content $d --list" "--content $d --dump all"; do
	run $mode
	raw=$(raw_bytes "$out" "$err")
	if [ $rc = 1 ] && [ -z "$raw" ] && grep -q 'used twice (first at .*00-^\[\]0;PWNED^G' "$out" "$err"; then
		ok "hostile file name, duplicate id, ${mode%% *}: exit 1, 'first at' names it visibly, nothing raw"
	else
		not_ok "hostile file name, duplicate id, ${mode%% *}: exit 1, nothing raw" "raw: $raw" "$(show | cat -v)"
	fi
done

# The same name on a file without @chapter and with a control byte: warnings
# only, so --list and --dump work and say one line on stderr.
d=$(broken hostile-warn)
printf '@page hostile-page 敵意\nesc \033]0;PWNED\007 here\n' >"$d/$HOSTILE_NAME"
run --check-content "$d"
raw=$(raw_bytes "$out" "$err")
if [ $rc = 1 ] && [ -z "$raw" ] && grep -q ': warning: control byte 0x1B' "$out"; then
	ok "hostile file name, control byte: --check-content exit 1, the warning reported, nothing raw"
else
	not_ok "hostile file name, control byte: --check-content exit 1, nothing raw" "raw: $raw" "$(show | cat -v)"
fi
for mode in --list "--dump all" "--dump hostile-page" --progress; do
	(export HOME="$T/home" XDG_DATA_HOME="$T/home/data"; run --content "$d" $mode; echo $rc >"$T/rc")
	rc=$(cat "$T/rc")
	raw=$(raw_bytes "$out" "$err")
	if [ $rc = 0 ] && [ -z "$raw" ] && [ "$(grep -c '' "$err")" = 1 ] &&
		grep -q '^mamori: warning: content has 2 problems; first: .*00-^\[\]0;PWNED^G' "$err"; then
		ok "content with warnings only, ${mode}: exit 0, one warning line on stderr, nothing raw"
	else
		not_ok "content with warnings only, ${mode}: exit 0, one warning line, nothing raw" "raw: $raw" "$(show | cat -v)"
	fi
done
run --content "$d" --dump hostile-page
if grep -qF 'esc ^[]0;PWNED^G here' "$out"; then
	ok "--dump shows the control bytes of content with warnings in visible form"
else
	not_ok "--dump shows the control bytes in visible form" "$(show | cat -v)"
fi

d=$(broken link-only)
n=$(append "$d/03-principles.txt" "=> nosuch x")
run --content "$d" --dump principle-1
if [ $rc = 0 ] && grep -q "03-principles.txt:$n: link to a page that does not exist" "$err"; then
	ok "a broken link alone does not stop --dump (exit 0, one warning naming it)"
else
	not_ok "a broken link alone does not stop --dump" "$(show)"
fi

run --check-content "$T/$(printf 'no-\033]0;PWNED\007-dir')"
raw=$(raw_bytes "$out" "$err")
if [ $rc = 1 ] && [ -z "$raw" ] && grep -q 'no-^\[\]0;PWNED^G-dir' "$err"; then
	ok "--check-content DIR with control bytes in DIR: exit 1, DIR shown visibly, nothing raw"
else
	not_ok "--check-content DIR with control bytes in DIR: nothing raw" "raw: $raw" "$(show | cat -v)"
fi

# ---------------------------------------------------------------- not regular files

d=$(broken special)
mkfifo "$d/10-fifo.txt"
ln -s /dev/zero "$d/11-zero.txt"
ln -s /dev/urandom "$d/12-urandom.txt"
mkdir "$d/13-dir.txt"
truncate -s 10G "$d/14-sparse.txt"
start=$(date +%s)
timeout 20 "$MAMORI" --check-content "$d" >"$out" 2>"$err" </dev/null
rc=$?
took=$(($(date +%s) - start))
miss=
for want in "10-fifo.txt:0: cannot read: a FIFO" "11-zero.txt:0: cannot read: a device" \
	"12-urandom.txt:0: cannot read: a device" "13-dir.txt:0: cannot read: a directory" \
	"14-sparse.txt:0: cannot read: larger than 16 MiB"; do
	grep -qF "$want" "$out" || miss="$miss
$want"
done
if [ $rc = 1 ] && [ -z "$miss" ] && [ $took -le 5 ]; then
	ok "--check-content: a FIFO, /dev/zero, /dev/urandom, a directory, a 10 GB sparse file: each FILE:0: in ${took}s"
else
	not_ok "--check-content: FIFO, devices, directory, sparse file each reported quickly" \
		"exit $rc after ${took}s; missing:$miss" "$(show)"
fi
timeout 20 "$MAMORI" --content "$d" --list >"$out" 2>"$err" </dev/null
rc=$?
if [ $rc = 1 ] && grep -qF "10-fifo.txt:0:" "$err"; then
	ok "--list on content with a FIFO: exit 1 without waiting, the FIFO named"
else
	not_ok "--list on content with a FIFO: exit 1 without waiting" "$(show)"
fi

rm -rf "$T/empty" && mkdir "$T/empty" && echo x >"$T/empty/README.md"
run --check-content "$T/empty"
if [ $rc = 1 ] && grep -qF "$T/empty:0: no content files" "$out"; then
	ok "--check-content on a directory without *.txt: exit 1, says so"
else
	not_ok "--check-content on a directory without *.txt: exit 1, says so" "$(show)"
fi

# ---------------------------------------------------------------- modes and writes

usage_error "--list --dump all --progress" --list --dump all --progress
usage_error "--check-content --list" --check-content "$MAMORI_CONTENT" --list
usage_error "--dump intro --dump table-1" --dump intro --dump table-1
run --list --dump all --help
if [ $rc = 0 ] && grep -q '^Usage: mamori' "$out"; then
	ok "--help wins over other modes"
else
	not_ok "--help wins over other modes" "$(show)"
fi
run --content "$MAMORI_CONTENT" --list --list
if [ $rc = 0 ] && cmp -s "$out" "$T/list"; then
	ok "--list twice is --list"
else
	not_ok "--list twice is --list" "$(show)"
fi

# A full disk: the write error is told, exit 1 (--progress with no session, too).
for mode in --progress "--progress --format tsv" --list "--dump all" "--check-content $MAMORI_CONTENT" \
	"--ambiguous-width=2 --progress"; do
	(export HOME="$T/nohome" XDG_DATA_HOME="$T/nohome/data"
	 "$MAMORI" --content "$MAMORI_CONTENT" $mode >/dev/full 2>"$err" </dev/null; echo $? >"$T/rc")
	rc=$(cat "$T/rc")
	if [ $rc = 1 ] && grep -q '^mamori: writing .*failed: No space left on device' "$err"; then
		ok "$mode >/dev/full: exit 1, 'writing ... failed: No space left on device'"
	else
		not_ok "$mode >/dev/full: exit 1 with the write error" "exit $rc" "$(cat "$err")"
	fi
done
[ ! -e "$T/nohome" ] && ok "--progress with no session made no directory" ||
	not_ok "--progress with no session made no directory" "$(find "$T/nohome")"

# A reader that stops early: mamori ends quietly, status 0 (not 141: pipefail).
for mode in "--dump all" "--ambiguous-width=2 --dump all" --list; do
	"$MAMORI" --content "$MAMORI_CONTENT" $mode 2>"$err" </dev/null | head -n 1 >/dev/null
	st=${PIPESTATUS[0]}
	if [ "$st" = 0 ] && [ ! -s "$err" ]; then
		ok "$mode | head -n 1: mamori exits 0, nothing on stderr"
	else
		not_ok "$mode | head -n 1: mamori exits 0 quietly" "exit $st" "$(cat "$err")"
	fi
done

# ---------------------------------------------------------------- impossible sizes

for v in LINES=30000 COLUMNS=30000 LINES=99999999999999999999; do
	env "$v" "$MAMORI" --content "$MAMORI_CONTENT" >"$out" 2>"$err" </dev/null
	rc=$?
	if [ $rc = 2 ] && grep -qF "mamori: $v is not a terminal size" "$err" && [ ! -s "$out" ]; then
		ok "the reader with $v: exit 2, the message names $v"
	else
		not_ok "the reader with $v: exit 2, the message names it" "$(show)"
	fi
done
COLUMNS=30000 "$MAMORI" --content "$MAMORI_CONTENT" --dump intro >"$out" 2>"$err" </dev/null
rc=$?
if [ $rc = 2 ] && grep -qF "COLUMNS=30000" "$err"; then
	ok "--dump with COLUMNS=30000 and no --width: exit 2, names COLUMNS"
else
	not_ok "--dump with COLUMNS=30000: exit 2, names COLUMNS" "$(show)"
fi
COLUMNS=30000 "$MAMORI" --content "$MAMORI_CONTENT" --dump intro --width 80 >"$out" 2>"$err" </dev/null
rc=$?
if [ $rc = 0 ] && [ ! -s "$err" ]; then
	ok "--dump --width 80 with COLUMNS=30000: the width given is used, exit 0"
else
	not_ok "--dump --width 80 with COLUMNS=30000: exit 0" "$(show)"
fi

# ---------------------------------------------------------------- no terminal

"$MAMORI" --content "$MAMORI_CONTENT" </dev/null >"$out" 2>"$err"
rc=$?
if [ $rc = 2 ] && [ ! -s "$out" ] && grep -q '^mamori: ' "$err" && grep -q -- '--dump' "$err"; then
	ok "the reader with stdin/stdout not a terminal: exit 2, nothing on stdout, stderr suggests --dump"
else
	not_ok "the reader with stdout not a terminal: exit 2, nothing on stdout, stderr suggests --dump" "$(show)"
fi

finish
