#!/bin/bash
# End-to-end checks of `mamori --merge FILE... [--into FILE | --new-session] [--show]`:
# three departments' fixtures (tests/data/merge) merged into a file (mode
# 0600, source lines, the rules' results, notes with their department),
# never over an existing file without --force, never through a symlink or
# over an input; into a new session; the --show table (differing rows
# marked, every line within the width, cut with a visible mark, in EUC-JP
# and Shift_JIS too); each bad input (not an answers file, one department
# twice, an unknown id, a missing file, a file a running mamori holds) with
# its FILE:LINE message, exit status 1 and nothing written; usage errors
# with 2; the inputs byte for byte as they were, with no lock or temp file
# left beside them; and the report of the merged session with its 部門別
# table.  The running mamori is a real one in tmux when tmux is there.
# By hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/merge.sh

. "$(dirname "$0")/lib.sh"
e2e_init merge
need_python3

T=$E2E_TMP
out=$T/out
err=$T/err
IN=$T/in
mkdir -p "$IN" "$T/work"
cp "$TESTS_SRCDIR"/data/merge/*.txt "$IN/"
chmod 0644 "$IN"/*.txt
# The running mamori below narrows its own file to 0600 (answers.h): narrowed already, so that is no change.
chmod 0600 "$IN/eigyo.txt"
export HOME=$E2E_HOME XDG_DATA_HOME=$E2E_HOME/data XDG_STATE_HOME=$E2E_HOME/state

run() {
	(cd "$T/work" && "$MAMORI" --content "$MAMORI_CONTENT" "$@" >"$out" 2>"$err" </dev/null)
	rc=$?
}

show() {
	echo "exit status: $rc"
	echo "stdout:"
	head -c 3000 "$out"
	echo "stderr:"
	head -c 2000 "$err"
}

# What the inputs are now: bytes, mode and time of each file, and every name in their directory.
inputs_state() {
	(cd "$IN" && ls -A && for f in *.txt; do stat -c '%n %a %Y %s' "$f"; sha256sum "$f"; done)
}
BEFORE=$(inputs_state)

THREE="$IN/soumu.txt $IN/eigyo.txt $IN/seizo.txt"

# ---------------------------------------------------------------- --into

run --merge $THREE --into merged.txt
M=$T/work/merged.txt
if [ $rc = 0 ] && [ -f "$M" ] && [ "$(stat -c %a "$M")" = 600 ] && grep -q "merged 3 files" "$out"; then
	ok "--merge of three departments --into a new file: exit 0, mode 0600"
else
	not_ok "--merge of three departments --into a new file" "$(show)"
fi
if [ -f "$M" ] && python3 - "$M" "$IN" <<'EOF'; then
import sys
text = open(sys.argv[1], encoding="utf-8").read()
lines = text.splitlines()
d = sys.argv[2]
want = [
    "mamori-answers 2",
    "source 総務部\t%s/soumu.txt" % d,
    "source 営業部\t%s/eigyo.txt" % d,
    "source 製造部\t%s/seizo.txt" % d,
    "company 株式会社サンプル",
    "started 2026-12-01T09:00:00+09:00",
]
bad = [w for w in want if w not in lines]
states = {}
for l in lines:
    f = l.split(" ")
    if len(f) >= 2 and (f[0].startswith("p") or f[0].startswith("a") or f[0].startswith("diag")):
        states[f[0]] = f[1]
rules = {"diag-01": "partly", "diag-02": "unknown", "diag-03": "no", "diag-04": "yes",
         "p1-1": "done", "p1-2": "todo", "p1-3": "na", "a1-1": "todo"}
for k, v in rules.items():
    if states.get(k) != v:
        bad.append("%s is %r, want %r" % (k, states.get(k), v))
if not any(l.startswith("diag-03 no ") and "[総務部] 総務は全台で実施 [営業部] 営業の持ち出しPCは未対応" in l for l in lines):
    bad.append("diag-03's notes are not kept with their departments")
if "  owner [総務部] 情シス佐藤 [営業部] 情シス佐藤 [製造部] 製造鈴木" not in lines:
    bad.append("p1-1's differing owners are not kept with their departments")
if "  due 2027-03-31" not in lines or "[営業部] 期限 2027-04-30" not in text:
    bad.append("the earliest due does not win, or the other is not noted")
if "department " in text:
    bad.append("a merged file has a department line of its own")
if bad:
    print("\n".join(bad)); print(text); sys.exit(1)
EOF
	ok "the merged file: the rules' answers, notes and owners with their department, sources, started, company"
else
	not_ok "the merged file's contents"
fi

cp "$M" "$T/merged.keep"
run --merge $THREE --into merged.txt
if [ $rc = 1 ] && grep -q "will not overwrite an existing file" "$err" && cmp -s "$M" "$T/merged.keep"; then
	ok "--into an existing file without --force: exit 1, the file as it was"
else
	not_ok "--into an existing file without --force" "$(show)"
fi
echo "mamori-answers 2" >"$M"
run --merge $THREE --into merged.txt --force
if [ $rc = 0 ] && cmp -s "$M" "$T/merged.keep" && [ "$(stat -c %a "$M")" = 600 ]; then
	ok "--into with --force replaces the file"
else
	not_ok "--into with --force" "$(show)"
fi
echo precious >"$T/target"
ln -s "$T/target" "$T/work/link.txt"
run --merge $THREE --into link.txt --force
if [ $rc = 1 ] && grep -q "not a regular file" "$err" && [ "$(cat "$T/target")" = precious ] &&
	[ -L "$T/work/link.txt" ]; then
	ok "--into a symlink is refused, even with --force: nothing written through it"
else
	not_ok "--into a symlink" "$(show)"
fi
run --merge $THREE --into "$IN/eigyo.txt" --force
if [ $rc = 1 ] && grep -q "one of the files being merged" "$err"; then
	ok "--into one of the inputs is refused, even with --force"
else
	not_ok "--into one of the inputs" "$(show)"
fi
if [ -z "$(ls -A "$T/work" | grep -v -x -e merged.txt -e link.txt)" ]; then
	ok "no temp file is left beside the output"
else
	not_ok "temp files beside the output" "$(ls -A "$T/work")"
fi

# ---------------------------------------------------------------- --show

run --merge $THREE --show --width 100
cp "$out" "$T/show.txt"
if [ $rc = 0 ] && python3 - "$out" 100 <<'EOF'; then
import sys, unicodedata
text = open(sys.argv[1], encoding="utf-8").read()
width = int(sys.argv[2])
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = ["%d columns: %s" % (cols(l), l) for l in text.splitlines() if cols(l) > width]
rows = {l.split()[1] if l.startswith("*") else l.split()[0]: l for l in text.splitlines()
        if l[:2] in ("* ", "  ") and len(l.split()) > 1}
head = [l for l in text.splitlines() if "総務部" in l and "営業部" in l and "製造部" in l and "結果" in l]
if not head:
    bad.append("no header row naming the three departments")
r = rows.get("diag-02", "")
if not r.startswith("* ") or r.split()[2:6] != ["一部", "不明", "実施", "不明"]:
    bad.append("diag-02 row: %r" % r)
r = rows.get("p1-3", "")
if r.startswith("*") or r.split()[1:5] != ["対象外"] * 4:
    bad.append("p1-3 row (all 該当しない, not marked): %r" % r)
r = rows.get("diag-04", "")
if not r.startswith("* ") or r.split()[2:6] != ["実施", "-", "実施", "実施"]:
    bad.append("diag-04 row (one department unanswered): %r" % r)
if "6 項目で回答が違います" not in text:
    bad.append("the head does not count 6 differing rows")
if bad:
    print("\n".join(bad)); print(text[:3000]); sys.exit(1)
EOF
	ok "--show: the departments side by side, differing rows marked with *, every line within --width"
else
	not_ok "--show table" "$(show)"
fi
run --merge $THREE --show --width 50
if [ $rc = 0 ] && grep -q '>$' "$out" && python3 - "$out" 50 <<'EOF'; then
import sys, unicodedata
w = int(sys.argv[2])
cols = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if cols(l) > w]
sys.exit(1 if bad else 0)
EOF
	ok "--show at 50 columns: long text cut with a visible '>', no line wider"
else
	not_ok "--show at 50 columns" "$(show)"
fi
if [ -n "$(ls -A "$T/work" | grep -v -x -e merged.txt -e link.txt)" ]; then
	not_ok "--show alone wrote something" "$(ls -A "$T/work")"
else
	ok "--show alone writes nothing"
fi
for loc in ja_JP.EUC-JP:EUC-JP ja_JP.SJIS:SHIFT_JIS; do
	name=${loc%%:*} cs=${loc#*:}
	if ! locale -a 2>/dev/null | grep -qix "$(echo "$name" | tr -d '-' | tr 'A-Z' 'a-z')"; then
		ok "# SKIP --show under $name: the locale is not installed"
		continue
	fi
	(cd "$T/work" && LC_ALL=$name "$MAMORI" --content "$MAMORI_CONTENT" --merge $THREE --show --width 100 \
		>"$out" 2>"$err" </dev/null)
	rc=$?
	if [ $rc = 0 ] && iconv -f "$cs" -t UTF-8 "$out" >"$T/conv.txt" 2>/dev/null &&
		grep -q '^\* diag-02 .*一部 *不明 *実施 *不明' "$T/conv.txt" && grep -q '総務部.*営業部.*製造部' "$T/conv.txt"; then
		ok "--show under $name: the table in $cs"
	else
		not_ok "--show under $name" "$(show)"
	fi
done

# ---------------------------------------------------------------- bad inputs

# bad DESC STATUS PATTERN ARGS...: refused with PATTERN on stderr, that status, nothing written.
bad() {
	local desc=$1 want=$2 pat=$3
	shift 3
	rm -f "$T/work/bad.txt"
	run "$@"
	if [ "$rc" = "$want" ] && grep -q -e "$pat" "$err" && [ ! -e "$T/work/bad.txt" ] &&
		[ ! -d "$XDG_DATA_HOME/mamori/sessions" ]; then
		ok "$desc: exit $want, '$pat', nothing written"
	else
		not_ok "$desc (want exit $want and '$pat')" "$(show)"
	fi
}
bad "not an answers file" 1 'not-answers.txt:2: not an answers file' \
	--merge "$IN/soumu.txt" "$IN/not-answers.txt" --into bad.txt
bad "two files of one department" 1 "soumu-again.txt:1: department '総務部' again" \
	--merge "$IN/soumu.txt" "$IN/eigyo.txt" "$IN/soumu-again.txt" --into bad.txt
bad "an id the content does not know" 1 "unknown-id.txt:4: unknown item id 'zz-99'" \
	--merge "$IN/soumu.txt" "$IN/unknown-id.txt" --new-session
bad "a missing file" 1 'no-such.txt: cannot open' \
	--merge "$IN/soumu.txt" "$IN/no-such.txt" --into bad.txt
bad "every problem told at once" 1 'nothing merged, nothing written' \
	--merge "$IN/not-answers.txt" "$IN/unknown-id.txt" --into bad.txt
if grep -q 'not-answers.txt:2' "$err" && grep -q 'unknown-id.txt:4' "$err"; then
	ok "both inputs' problems are told in one run"
else
	not_ok "both inputs' problems in one run" "$(show)"
fi
if command -v flock >/dev/null; then
	flock "$IN/.seizo.txt.lock" sleep 30 &
	lockpid=$!
	for _ in $(seq 100); do
		flock -n "$IN/.seizo.txt.lock" true 2>/dev/null || break
		sleep 0.02
	done
	bad "a file whose lock a writer holds" 1 'seizo.txt: in use by a running mamori' \
		--merge $THREE --into bad.txt
	kill "$lockpid" 2>/dev/null
	wait "$lockpid" 2>/dev/null
	rm -f "$IN/.seizo.txt.lock"
fi
if command -v tmux >/dev/null; then
	mm_start 80 24 -- --answers "$IN/eigyo.txt"
	for _ in $(seq 150); do [ -e "$IN/.eigyo.txt.lock" ] && break; sleep 0.02; done
	if [ -e "$IN/.eigyo.txt.lock" ]; then
		bad "a file a running mamori has open" 1 'eigyo.txt: in use by a running mamori' \
			--merge $THREE --show
	else
		not_ok "a running mamori on eigyo.txt (no lock file)"
	fi
	keys q
	wait_exit >/dev/null
	for _ in $(seq 100); do [ -e "$IN/.eigyo.txt.lock" ] || break; sleep 0.02; done
	run --merge $THREE --show
	same "once that mamori quit, the merge goes ahead" "$rc" 0
else
	ok "# SKIP a file a running mamori has open: no tmux"
fi

# ---------------------------------------------------------------- usage

usage() {
	run "$@"
	if [ $rc = 2 ] && grep -q "Try 'mamori --help'" "$err"; then
		ok "usage error: $*: exit 2"
	else
		not_ok "usage error: $*" "$(show)"
	fi
}
usage --merge
usage --merge "$IN/soumu.txt"
usage --merge "$IN/soumu.txt" --into x.txt --new-session
usage --merge "$IN/soumu.txt" --new-session=carry
usage --into x.txt
usage --show
usage --merge "$IN/soumu.txt" --list

# ---------------------------------------------------------------- the inputs

AFTER=$(inputs_state)
if [ "$BEFORE" = "$AFTER" ]; then
	ok "the inputs are byte for byte as they were (mode, time, no lock or temp file beside them)"
else
	not_ok "the inputs changed" "$(diff <(echo "$BEFORE") <(echo "$AFTER"))"
fi

# ---------------------------------------------------------------- --new-session and the report

run --merge $THREE --new-session
S=$(ls "$XDG_DATA_HOME"/mamori/sessions/*.txt 2>/dev/null | head -1)
if [ $rc = 0 ] && [ -n "$S" ] && [ "$(stat -c %a "$S")" = 600 ] &&
	grep -q "^source 営業部	$IN/eigyo.txt$" "$S" && grep -q '^diag-02 unknown ' "$S"; then
	ok "--new-session: the merge is a new session in the sessions directory, 0600, with its sources"
else
	not_ok "--new-session" "$(show)" "$(ls -la "$XDG_DATA_HOME"/mamori/sessions 2>&1)"
fi

run --report --answers merged.txt --width 80
if [ $rc = 0 ] && grep -q '^【部門別の回答】' "$out" && grep -q '^    1 総務部：' "$out" &&
	grep -q '^  \* p1-2 .*済 *未 *済 *未$' "$out" && grep -q '回答が部門で違う項目：6 件' "$out"; then
	ok "the report of a merged session has the 部門別 table, differing rows marked"
else
	not_ok "the report's 部門別 table" "$(show)"
fi
run --report --answers merged.txt --format md
if [ $rc = 0 ] && grep -q '^## 部門別の回答' "$out" && grep -q '| 総務部 | 営業部 | 製造部 | 結果 |' "$out"; then
	ok "the Markdown report has the 部門別 table"
else
	not_ok "the Markdown report's 部門別 table" "$(show)"
fi
run --report --answers "$IN/soumu.txt"
if [ $rc = 0 ] && ! grep -q '部門別' "$out"; then
	ok "a session that is not a merge has no 部門別 table"
else
	not_ok "a plain session's report" "$(show)"
fi

finish
