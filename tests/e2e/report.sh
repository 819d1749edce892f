#!/bin/bash
# End-to-end checks of `mamori --report` in text, Markdown and CSV: the text
# fits its width with no kinsoku violation at a line start and names what is
# missing by title, never by a bare id; the CSV reads back in Python's csv
# module as one row per item (UTF-8 after the BOM, or CP932); Markdown has
# headings and tables; --output writes 0600 and keeps an existing file;
# --company is kept in the session and carried into the next one.
# No tmux needed.  By hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/report.sh

. "$(dirname "$0")/lib.sh"
e2e_init report
need_python3

T=$E2E_TMP
out=$T/out
err=$T/err
A=$T/answers.txt
export XDG_DATA_HOME=$T/data HOME=$T

run() {
	"$MAMORI" --content "$MAMORI_CONTENT" "$@" >"$out" 2>"$err" </dev/null
	rc=$?
}

show() {
	echo "exit status: $rc"
	head -c 1500 "$out"
	echo "stderr:"
	head -c 1500 "$err"
}

# A partly answered session: every kind of section has something to say.
cat >"$A" <<'EOF'
mamori-answers 1
p1-1 done 2026-11-25T09:30:00+09:00 社長が全員に説明した
diag-01 no 2026-11-25T09:31:00+09:00 担当者に聞く、来週までに。
diag-02 unknown -
diag-03 partly -
art-1 done -
zz-9 done - 消えた項目
EOF
chmod 600 "$A"

# ---------------------------------------------------------------- text

for w in 80 60; do
	run --answers "$A" --report --width $w
	if [ $rc = 0 ] && python3 - "$out" "$w" <<'EOF'; then
import sys, unicodedata
text = open(sys.argv[1], encoding="utf-8").read()
width = int(sys.argv[2])
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
bad = [l for l in text.split("\n") if cols(l) > width]
if bad:
    sys.exit("wider than %d: %r" % (width, bad[:3]))
# Kinsoku: no line starts with closing punctuation or a small kana.
heads = "、。，．」』）】〕！？ーっゃゅょぁぃぅぇぉッャュョァィゥェォ"
bad = [l for l in text.split("\n") if l.strip() and l.strip()[0] in heads]
if bad:
    sys.exit("kinsoku: %r" % bad[:3])
EOF
		ok "--report --width $w: every line fits $w columns, no line starts with 、。」） or a small kana"
	else
		not_ok "--report --width $w fits and keeps kinsoku" "$(show)"
	fi
done

run --answers "$A" --report
# The 5か条 article left open is named by its title; no bare art-3 style id anywhere.
if [ $rc = 0 ] && grep -q '全員が、10文字以上' "$out" && grep -q '未回答' "$out" &&
	! grep -Eq '(^|[^A-Za-z0-9-])(art|diag|p[0-9]|a[0-9])-[0-9]+([^0-9A-Za-z-]|$)' <(grep -v '内容にない項目' "$out"); then
	ok "--report names missing items by title, never by a bare id"
else
	not_ok "--report names missing items by title" "$(show)"
fi
if grep -q 'はじめの一歩' "$out" && grep -q '実施していない' "$out" &&
	grep -q 'zz-9' "$out" && grep -q '読めない行\|内容にない項目' "$out"; then
	ok "--report: worst answers with their はじめの一歩, and the unknown id listed at the end"
else
	not_ok "--report: improvements and unknown ids" "$(show)"
fi
# The worst first: 実施していない (No.1) before わからない (No.2) before 一部 (No.3).
if python3 - "$out" <<'EOF'; then
import sys
t = open(sys.argv[1], encoding="utf-8").read()
sec = t[t.index("【改善すること"):]
i, j, k = sec.index("No.1 "), sec.index("No.2 "), sec.index("No.3 ")
sys.exit(0 if i < j < k else 1)
EOF
	ok "--report lists what to improve worst first"
else
	not_ok "--report lists what to improve worst first" "$(show)"
fi

# Nothing answered: 未回答, not the lowest band.
printf 'mamori-answers 1\n' >"$T/empty.txt"
chmod 600 "$T/empty.txt"
run --answers "$T/empty.txt" --report
if [ $rc = 0 ] && grep -q '得点：未回答' "$out" && ! grep -q '判定：' "$out"; then
	ok "--report with nothing answered says 未回答, not a band"
else
	not_ok "--report with nothing answered says 未回答" "$(show)"
fi

# ---------------------------------------------------------------- csv

run --answers "$A" --report --format csv
if [ $rc = 0 ] && python3 - "$out" "$MAMORI_CONTENT" <<'EOF'; then
import csv, io, sys, re, glob
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n"), "not CRLF"
rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
head = rows[0]
assert head == ["グループ", "項目ID", "No.", "内容", "状態", "点数", "担当", "期限", "メモ", "最終更新"], head
# One row per item of the content: count the checklist lines.
n = 0
for f in glob.glob(sys.argv[2] + "/*.txt"):
    n += sum(1 for l in open(f, encoding="utf-8") if re.match(r"\[ \] \S", l))
assert len(rows) - 1 == n, (len(rows) - 1, n)
assert all(len(r) == 10 for r in rows), "ragged"
by = {r[1]: r for r in rows[1:]}
assert by["diag-01"][2] == "1" and by["diag-01"][4] == "実施していない" and by["diag-01"][5] == "0", by["diag-01"]
assert by["diag-01"][8] == "担当者に聞く、来週までに。", by["diag-01"]
assert by["diag-02"][5] == "-1"
assert by["p1-1"][4] == "実施済み" and by["p1-1"][9].startswith("2026-11-25T09:30"), by["p1-1"]
assert by["art-3"][4] == "未回答" and by["art-3"][5] == ""
EOF
	ok "--format csv: BOM, CRLF, Python's csv reads one row per item with the 10 columns"
else
	not_ok "--format csv reads back" "$(show)"
fi

run --answers "$A" --report --format csv --charset CP932
if [ $rc = 0 ] && python3 - "$out" <<'EOF'; then
import csv, io, sys
raw = open(sys.argv[1], "rb").read()
assert not raw.startswith(b"\xef\xbb\xbf")
rows = list(csv.reader(io.StringIO(raw.decode("shift_jis"), newline="")))
assert rows[0][0] == "グループ" and len(rows) > 50
EOF
	ok "--format csv --charset CP932 decodes as Shift_JIS"
else
	not_ok "--format csv --charset CP932 decodes as Shift_JIS" "$(show)"
fi

run --answers "$A" --report --format csv --charset UTF-8
if [ $rc = 0 ] && [ "$(head -c 3 "$out" | od -An -tx1 | tr -d ' ')" = efbbbf ]; then
	ok "--format csv --charset UTF-8: UTF-8 with a BOM"
else
	not_ok "--format csv --charset UTF-8: UTF-8 with a BOM" "$(show)"
fi

# ---------------------------------------------------------------- md

run --answers "$A" --report --format md
if [ $rc = 0 ] && grep -q '^# ' "$out" && grep -q '^## ' "$out" && grep -q '^|---' "$out"; then
	ok "--format md has headings and tables"
else
	not_ok "--format md has headings and tables" "$(show)"
fi

# ---------------------------------------------------------------- --output, --company

run --answers "$A" --report --output "$T/r.txt"
mode=$(stat -c %a "$T/r.txt" 2>/dev/null)
if [ $rc = 0 ] && [ "$mode" = 600 ] && grep -q 'SECURITY ACTION' "$T/r.txt"; then
	ok "--output writes the report with mode 0600"
else
	not_ok "--output writes the report with mode 0600" "$(show)" "mode $mode"
fi
echo mine >"$T/r.txt"
run --answers "$A" --report --output "$T/r.txt"
if [ $rc = 1 ] && [ "$(cat "$T/r.txt")" = mine ] && grep -q -- '--force' "$err"; then
	ok "--output keeps an existing file and says --force replaces it"
else
	not_ok "--output keeps an existing file" "$(show)"
fi
run --answers "$A" --report --output "$T/r.txt" --force --format md
if [ $rc = 0 ] && grep -q '^## ' "$T/r.txt"; then
	ok "--output --force replaces it"
else
	not_ok "--output --force replaces it" "$(show)"
fi

# The company is kept in the session (the latest one, as the reader would open it).
mkdir -p "$XDG_DATA_HOME/mamori/sessions"
chmod 700 "$XDG_DATA_HOME" "$XDG_DATA_HOME/mamori" "$XDG_DATA_HOME/mamori/sessions"
sess=$XDG_DATA_HOME/mamori/sessions/2026-01-01.txt
printf 'mamori-answers 1\np1-1 done -\n' >"$sess"
chmod 600 "$sess"
run --report --company '株式会社サンプル'
if [ $rc = 0 ] && grep -q '^company 株式会社サンプル$' "$sess" && grep -q '株式会社サンプル' "$out"; then
	ok "--company is shown and kept in the session's answers file"
else
	not_ok "--company is kept in the session" "$(show)" "$(cat "$sess" 2>/dev/null)"
fi
run --report
if grep -q '会社名：株式会社サンプル' "$out"; then
	ok "the next report reads the company from the session"
else
	not_ok "the next report reads the company from the session" "$(show)"
fi

finish
