#!/bin/bash
# End-to-end typesetting checks on `mamori --dump all` at every width from
# 20 to 120 columns, whatever the content says: no heading shows its "##"
# markup and each shows in its brackets (【】 level 2, 〔〕 level 3); no line
# ends between a number and what counts it (100万円, 2019年3月, 5か条) where
# the group fits; URLs and domain names break only after '/' or '.', never
# inside a label the line has room for, and stay whole when they fit;
# kinsoku and widths hold; and 表1's cells do not end on a line of one
# character (at widths with room to choose; check_layout judges the rest).
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/typeset.sh

. "$(dirname "$0")/lib.sh"
e2e_init typeset
need_python3

T=$E2E_TMP
failed_runs=
for w in $(seq 20 120); do
	"$MAMORI" --content "$MAMORI_CONTENT" --dump all --width "$w" >"$T/all-$w.txt" 2>"$T/err-$w" ||
		failed_runs="$failed_runs $w"
	# 表1, when the content has it (the article's table).
	"$MAMORI" --content "$MAMORI_CONTENT" --dump table-1 --width "$w" >"$T/table1-$w.txt" 2>/dev/null ||
		rm -f "$T/table1-$w.txt"
done
if [ -z "$failed_runs" ]; then
	ok "--dump all runs at every width from 20 to 120"
else
	not_ok "--dump all runs at every width from 20 to 120" "failed at:$failed_runs" "$(cat "$T/err-${failed_runs##* }")"
fi

# One line per finding: KIND WIDTH LINE: what.  Dump text is measured as
# glibc's wcwidth does in C.UTF-8 (East Asian Wide and Fullwidth: 2).
"$PYTHON" - "$T" "$MAMORI_CONTENT" >"$T/found" 2>"$T/found.err" <<'PY'
import os, re, sys, unicodedata

tmp, content = sys.argv[1], sys.argv[2]

def cw(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1

def width(s):
    return sum(cw(c) for c in s)

UNIT = r"(?:[かヶカヵケ箇](?:月|条|所|国)|[万億兆千百円年月日時分秒条点件人名社%％倍歳回台週項号版枚個割度位つ字桁階冊部種代番期章節問組])"
NUM = r"[0-9０-９]+(?:[,.][0-9０-９]+)*"
GROUP = re.compile(r"(?:第)?%s(?:%s+(?:[間目半])?(?:%s)?)*" % (NUM, UNIT, NUM))
NO_START = "、。，．・：；？！ー」』）］｝〉》】〕ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
NO_END = "「『（［｛〈《【〔"
OPEN = "（「『【〔［(\""
CLOSE = r"[ ]*[、。，．）」』】〕］)!?！？:;：；]*"
MARKER = re.compile(r"^\s*(?:-|->|\[.\]|\([^)]*\)|\d+\.)\s")
RULE = re.compile(r"^[=-]+(?:[=-]\+[=-][=-]*)+$")

def is_url(tok):
    if "://" in tok:
        return True
    host = tok.rstrip(".,)").split("/")[0]
    labels = host.split(".")
    return len(labels) >= 2 and all(re.fullmatch(r"[A-Za-z0-9-]+", l) for l in labels) \
        and re.fullmatch(r"[A-Za-z]{2,}", labels[-1]) is not None

def report(kind, w, ln, what):
    print("%s %d %d: %s" % (kind, w, ln, what))

def check_stream(w, lines, kinds):
    """lines: (line number, text without indentation, room) of one flowing text."""
    acc = ""
    for (ln, a, _), (_, b, room) in zip(lines, lines[1:]):
        if not a or not b:
            acc = ""
            continue
        tail, head = a[-40:], b[:40]
        joined, cut = tail + head, len(tail)
        if "kinsoku" in kinds and (b[0] in NO_START or a[-1] in NO_END):
            report("kinsoku", w, ln, tail[-12:] + "⏎" + head[:12])
        for m in GROUP.finditer(joined):
            if m.start() < cut < m.end():
                s0 = m.start()
                while s0 > 0 and joined[s0 - 1] in OPEN:
                    s0 -= 1
                after = re.match(CLOSE, joined[m.end():]).group().rstrip(" ")
                if width(joined[s0:m.end()] + after) <= room:
                    report("unit", w, ln, tail[-12:] + "⏎" + head[:12])
                break
        mt = re.search(r"[!#-;=?-~]+$", a)
        mh = re.match(r"[!#-;=?-~]+", b)
        tl = re.sub(r"^[^A-Za-z0-9]+", "", mt.group()) if mt else ""
        whole_a = mt is not None and mt.start() == 0
        tok_a = (acc + tl) if whole_a else tl
        if tl and mh and not re.match(r"[a-z]+://", mh.group()) and is_url(tok_a + mh.group()):
            tok = tok_a + mh.group()
            runs_on = mh.end() == len(b)
            started_here = not (whole_a and acc)
            if started_here and not runs_on:
                pre = a[:len(a) - len(tl)]
                opener = pre[len(pre.rstrip(OPEN)):]
                after = re.match(CLOSE, b[mh.end():]).group().rstrip(" ")
                if width(opener + tok + after) <= room:
                    report("url-split", w, ln, tl + "⏎" + mh.group())
            if tl[-1] not in "/." and mh.group()[0] not in "/.":
                lab = re.search(r"[A-Za-z0-9_~%-]+$", tl).group() + \
                    re.match(r"[A-Za-z0-9_~%-]*", mh.group()).group()
                if width(lab) <= room:
                    report("url-label", w, ln, tl + "⏎" + mh.group())
            acc = tok if runs_on else ""
        else:
            acc = ""

def cols_slice(line, c0, c1):
    out, col = [], 0
    for ch in line:
        if c0 <= col < c1:
            out.append(ch)
        col += cw(ch)
    return "".join(out).strip()

def analyse(w, path, kinds):
    paras, cur = [], []
    for n, raw in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        if "width" in kinds and width(raw) > w:
            report("width", w, n, raw)
        framed = raw.startswith("| ") and raw.rstrip().endswith("|")
        text = raw[2:].rstrip()[:-1].rstrip() if framed else raw.rstrip()
        if re.fullmatch(r"\+-+\+", raw) or not text.strip():
            if cur:
                paras.append(cur)
                cur = []
            continue
        cur.append((n, text, framed))
    if cur:
        paras.append(cur)
    for p in paras:
        for n, text, framed in p:
            if "heading" in kinds and re.match(r"\s*#", text):
                report("markup", w, n, text)
        rules = [i for i, (n, t, f) in enumerate(p) if RULE.fullmatch(t.strip())]
        if rules:
            rule = p[rules[0]][1]
            bounds, start = [], 0
            for m in re.finditer(r"[=-]\+[=-]", rule):
                bounds.append((start, m.start()))
                start = m.end()
            bounds.append((start, 10 ** 6))
            rows, row = [], []
            for i, (n, t, f) in enumerate(p):
                if i in rules:
                    rows.append(row)
                    row = []
                else:
                    row.append((n, t))
            rows.append(row)
            for row in rows:
                for c0, c1 in bounds:
                    room = (c1 - c0) if c1 < 10 ** 6 else w - c0
                    pieces = [(n, cols_slice(t, c0, c1)) for n, t in row]
                    pieces = [x for x in pieces if x[1]]
                    check_stream(w, [(n, t, room) for n, t in pieces], kinds)
                    if "single" in kinds and len(pieces) > 1 and len(pieces[-1][1]) == 1:
                        report("single", w, pieces[-1][0], pieces[-2][1][-6:] + "⏎" + pieces[-1][1])
            continue
        stream = []
        for n, t, f in p:
            # A list item, or a stacked table's "header: value", starts a new text.
            if stream and (MARKER.match(t) or re.match(r"^\S[^:\s]{0,30}:( |$)", t)):
                check_stream(w, stream, kinds)
                stream = []
            indent = len(t) - len(t.lstrip())
            stream.append((n, t.strip(), w - (4 if f else 0) - indent))
        check_stream(w, stream, kinds)

for w in range(20, 121):
    analyse(w, os.path.join(tmp, "all-%d.txt" % w), {"heading", "unit", "url", "kinsoku", "width"})
    t1 = os.path.join(tmp, "table1-%d.txt" % w)
    # Three columns of at least 14 leave a choice of split from about 56 columns on.
    if w >= 56 and os.path.exists(t1):
        analyse(w, t1, {"single"})

# Every heading of the content shows in its brackets (where it fits one line at 120).
dump = open(os.path.join(tmp, "all-120.txt"), encoding="utf-8").read().split("\n")
for f in sorted(os.listdir(content)):
    if not f.endswith(".txt"):
        continue
    for n, line in enumerate(open(os.path.join(content, f), encoding="utf-8"), 1):
        m = re.match(r"(#{2,3}) (.+?)\s*$", line)
        if not m or re.search(r"[\[\]`*]", m.group(2)) or width(m.group(2)) + 4 > 120:
            continue
        text = m.group(2)
        o, c = ("【", "】") if len(m.group(1)) == 2 else ("〔", "〕")
        want = text if text.startswith(o) and text.endswith(c) else o + text + c
        if not any(l.strip().strip("|").strip() == want for l in dump):
            print("heading 120 %s:%d: %s is not shown as %s" % (f, n, text, want))
PY
if [ -s "$T/found.err" ]; then
	not_ok "the dumps were analysed" "$(cat "$T/found.err")"
fi

# check_kind KIND DESCRIPTION
check_kind() {
	local n
	n=$(grep -c "^$1 " "$T/found")
	if [ "$n" = 0 ]; then
		ok "$2"
	else
		not_ok "$2" "$n found, the first:" "$(grep "^$1 " "$T/found" | head -5)"
	fi
}
check_kind markup "no line of --dump all starts a heading with '#' (widths 20-120)"
check_kind heading "every ## and ### heading shows as 【heading】 or 〔heading〕"
check_kind unit "no line ends between a number and its unit where the group fits (widths 20-120)"
check_kind url-label "URLs and domain names break only after '/' or '.' where a label fits (widths 20-120)"
check_kind url-split "a URL that fits the line is not split (widths 20-120)"
check_kind kinsoku "kinsoku: no line starts with 、。」 or small kana, none ends with 「（ (widths 20-120)"
check_kind width "no line is wider than --width (widths 20-120)"
if ls "$T"/table1-*.txt >/dev/null 2>&1; then
	check_kind single "表1: no cell ends on a line of one character (widths 56-120)"
else
	ok "表1: no cell ends on a line of one character (# SKIP: no page table-1)"
fi

finish
