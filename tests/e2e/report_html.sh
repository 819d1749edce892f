#!/bin/bash
# The HTML report in a real browser: `mamori --report --format html` for a
# fixture session (with a previous session, notes, one of them hostile, an
# unknown id and an unreadable line), rendered by headless Chromium to PNG
# and printed to PDF, then read back with poppler's pdfinfo and pdftotext.
# A finished session is printed too: its details fit one page, so its PDF
# has exactly two pages.  SKIP (77) without chromium or poppler-utils
# (Debian: chromium-headless-shell or chromium, fonts-noto-cjk, poppler-utils;
# build.sh installs them).  The PNG, PDF and HTML stay in the build tree as
# artefacts: tests/e2e/report_html.{png,pdf,html}.
# No tmux needed.  By hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/report_html.sh

. "$(dirname "$0")/lib.sh"
e2e_init report_html
need_python3

CHROME=
for c in chromium-headless-shell chromium chromium-browser; do
	if command -v "$c" >/dev/null 2>&1; then
		CHROME=$(command -v "$c")
		break
	fi
done
[ -n "$CHROME" ] || skip_all "no headless Chromium (apt-get install chromium-headless-shell)"
for t in pdfinfo pdftotext; do
	command -v "$t" >/dev/null 2>&1 || skip_all "$t is missing (apt-get install poppler-utils)"
done

T=$E2E_TMP
ART=$PWD/tests/e2e
[ -d "$ART" ] || ART=$PWD
DATA=$E2E_HOME/.local/share
SESS=$DATA/mamori/sessions
mkdir -p "$SESS"
chmod 700 "$DATA/mamori" "$SESS"

# mm_env ARG...: mamori with a private home, so the sessions directory is the fixture's.
mm_env() {
	env HOME="$E2E_HOME" XDG_DATA_HOME="$DATA" XDG_STATE_HOME="$E2E_HOME/.local/state" \
		"$MAMORI" --content "$MAMORI_CONTENT" "$@" </dev/null
}

# chrome ARG...: headless Chromium with its profile in the temp dir, bounded in time.
chrome() {
	env HOME="$E2E_HOME" timeout 120 "$CHROME" --no-sandbox --disable-gpu \
		--user-data-dir="$T/chrome" "$@"
}

# squash FILE: the text with every space and line break removed (pdftotext
# breaks lines where the page did; the text is what is compared).
squash() {
	tr -d ' \n\r\t\f' <"$1"
}

# ------------------------------------------------------------ the fixture
HOSTILE='<script>alert(1)</script></svg>&amp;'
COMPANY='株式会社サンプル&<b>試作</b>'
PREV_T=2026-10-25T09:00:00+09:00
NOW_T=2026-11-25T09:30:00+09:00
# The 25 answers of the 自社診断, this session and the one before.
DIAG_NOW='yes yes partly no unknown yes yes partly yes no yes yes yes partly yes yes unknown yes yes yes no yes partly yes yes'
DIAG_PREV='no no partly no unknown yes yes partly yes no yes no yes partly yes yes unknown yes no yes no yes partly yes yes'

{
	echo 'mamori-answers 1'
	for i in p1-1 p1-2 a1-1 art-1; do
		echo "$i done $PREV_T"
	done
	echo "art-3 todo $PREV_T"
	n=0
	for s in $DIAG_PREV; do
		n=$((n + 1))
		printf 'diag-%02d %s %s\n' $n "$s" "$PREV_T"
	done
} >"$SESS/2026-10-25.txt"
{
	echo 'mamori-answers 1'
	for i in p1-1 p1-2 p1-3 p1-4 p1-5 p2-1 p2-2 a1-1 a1-2 a1-3 a2-1 a2-2 art-1 art-2 art-4 art-5; do
		echo "$i done $NOW_T"
	done
	echo "art-3 todo $NOW_T $HOSTILE"
	echo "p3-1 na $NOW_T 外部に委託していない"
	echo "a3-2 todo $NOW_T 全PCのアクセス権を棚卸し"
	n=0
	for s in $DIAG_NOW; do
		n=$((n + 1))
		printf 'diag-%02d %s %s\n' $n "$s" "$NOW_T"
	done
	echo "zz-removed done $NOW_T 内容から消えた項目"
	echo 'this line cannot be read'
} >"$SESS/2026-11-25.txt"
chmod 600 "$SESS"/*.txt

# The score as the guideline counts it (4 / 2 / 0 / -1 per answer, 25
# questions, so the sum is the score), and its band's wording.
score=0
for s in $DIAG_NOW; do
	case $s in
	yes) score=$((score + 4)) ;;
	partly) score=$((score + 2)) ;;
	unknown) score=$((score - 1)) ;;
	esac
done
if [ $score -ge 100 ]; then
	band='入門レベルのセキュリティ対策は達成'
elif [ $score -ge 70 ]; then
	band='部分的な対策が不十分'
elif [ $score -ge 50 ]; then
	band='対策が不十分'
else
	band='事故がいつ起きても不思議ではない'
fi

# --------------------------------------------------------- the HTML report
R=$T/report.html
company_args=()
if mm_env --help 2>/dev/null | grep -q -- '--company'; then
	company_args=(--company "$COMPANY")
	have_company=1
else
	have_company=0
fi
mm_env --report --format html --output "$R" "${company_args[@]}" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc = 0 ] && [ -s "$R" ]; then
	ok "--report --format html --output writes the report"
else
	not_ok "--report --format html --output writes the report" "exit status $rc" "$(head -c 2000 "$T/err")"
	finish
fi
cp "$R" "$ART/report_html.html" 2>/dev/null
same "the report file is private (mode 0600)" "$(stat -c %a "$R")" 600

n=$(grep -ci '<script' "$R")
same "no <script element in the HTML (the hostile note is escaped)" "$n" 0
check "the hostile note is in the HTML as escaped text" \
	grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;&lt;/svg&gt;&amp;amp;' "$R"
if grep -Eiq '<(link|img|iframe|object|embed)[ >]|[[:space:]](src|href)=|url\(|@import' "$R"; then
	not_ok "self-contained: no external fonts, images, style sheets or frames" \
		"$(grep -Eion '<(link|img|iframe|object|embed)[ >]|[[:space:]](src|href)=|url\(|@import' "$R" | head -5)"
else
	ok "self-contained: no external fonts, images, style sheets or frames"
fi
for pat in '<html lang="ja">' '@page{size:A4' '<svg class="bar"'; do
	check "the HTML holds $pat" grep -qF "$pat" "$R"
done

# ---------------------------------------------------------- the browser
PNG=$ART/report_html.png
PDF=$ART/report_html.pdf
rm -f "$PNG" "$PDF"
chrome --screenshot="$PNG" --window-size=1240,1754 "file://$R" >"$T/chrome.out" 2>&1
size=$("$PYTHON" -c '
import struct, sys
with open(sys.argv[1], "rb") as f:
	h = f.read(24)
print("%dx%d" % struct.unpack(">II", h[16:24]) if h[:8] == b"\x89PNG\r\n\x1a\n" else "not a PNG")
' "$PNG" 2>/dev/null)
same "headless Chromium renders a 1240x1754 screenshot ($PNG)" "$size" 1240x1754

chrome --print-to-pdf="$PDF" --no-pdf-header-footer "file://$R" >"$T/chrome.out" 2>&1
if [ ! -s "$PDF" ]; then
	not_ok "headless Chromium prints the report to PDF" "$(tail -5 "$T/chrome.out")"
	finish
fi
ok "headless Chromium prints the report to PDF ($PDF)"
pages=$(pdfinfo "$PDF" 2>/dev/null | sed -n 's/^Pages: *//p')
pdftotext -raw -f 1 -l 1 "$PDF" "$T/p1.txt"
pdftotext -raw "$PDF" "$T/all.txt"
p1=$(squash "$T/p1.txt")
all=$(squash "$T/all.txt")

case $p1 in
*"${score}点/100点"*) ok "page one holds the score (${score}点 / 100点)" ;;
*) not_ok "page one holds the score (${score}点 / 100点)" "$(head -40 "$T/p1.txt")" ;;
esac
case $p1 in
*"$band"*) ok "page one holds the band ($band)" ;;
*) not_ok "page one holds the band ($band)" "$(head -40 "$T/p1.txt")" ;;
esac
case $p1 in
*'一つ星'*'二つ星'*) ok "page one holds the ★ and ★★ readiness" ;;
*) not_ok "page one holds the ★ and ★★ readiness" "$(head -40 "$T/p1.txt")" ;;
esac
pdftotext -raw -f 2 -l 2 "$PDF" "$T/p2.txt"
if [[ $p1 == *'グループごとの状況'* ]]; then
	not_ok "the details start on page two" "page one holds them:" "$(tail -20 "$T/p1.txt")"
elif [[ $(squash "$T/p2.txt") != *'グループごとの状況'* ]]; then
	not_ok "the details start on page two" "$(head -20 "$T/p2.txt")"
else
	ok "the details start on page two"
fi
if [ $have_company = 1 ]; then
	case $p1 in
	*"$COMPANY"*) ok "page one holds the company name, as text" ;;
	*) not_ok "page one holds the company name, as text" "$(head -10 "$T/p1.txt")" ;;
	esac
else
	echo "SKIP: the company name on page one: this mamori has no --company"
fi
hostile_sq=$(printf '%s' "$HOSTILE" | tr -d ' ')
case $all in
*"$hostile_sq"*) ok "the hostile note shows as its literal characters in the PDF" ;;
*) not_ok "the hostile note shows as its literal characters in the PDF" "$(grep -n 'alert' "$T/all.txt")" ;;
esac
# Nothing left out silently, and nothing cut off: the last page ends with the lines the report could not place.
pdftotext -raw -f "${pages:-1}" -l "${pages:-1}" "$PDF" "$T/last.txt"
case $(squash "$T/last.txt") in
*zz-removed*thislinecannotberead*) ok "the last page lists the unknown id and the unreadable line" ;;
*) not_ok "the last page lists the unknown id and the unreadable line" "$(cat "$T/last.txt")" ;;
esac
# Page one is the summary; the details (every group, 4 questions to improve,
# 2 unticked groups of items, notes, 9 changed answers, 2 stray lines) take
# two to four A4 pages with the Noto CJK fonts.  Many more would mean the
# layout broke (a column squeezed to a character per line, say).
if [ -n "$pages" ] && [ "$pages" -ge 3 ] && [ "$pages" -le 8 ]; then
	ok "the PDF has $pages pages (summary, then 2 to 7 of details)"
else
	not_ok "the PDF has 3 to 8 pages (summary, then details)" "pages: '$pages'"
fi

# -------------------------------------------- a finished session: 2 pages
# Every item done or 実施している, no notes, no previous session: the
# details are the group bars alone, so the PDF is exactly two pages.
SESS2=$T/full/sessions
mkdir -p "$SESS2"
chmod 700 "$T/full" "$SESS2"
{
	echo 'mamori-answers 1'
	sed -n 's/^\[ \] *\([A-Za-z0-9_.-]*\).*/\1/p' "$MAMORI_CONTENT"/*.txt | while read -r id; do
		case $id in
		diag-*) echo "$id yes $NOW_T" ;;
		*) echo "$id done $NOW_T" ;;
		esac
	done
} >"$T/full.txt"
chmod 600 "$T/full.txt"
R2=$T/full.html
mm_env --answers "$T/full.txt" --report --format html --output "$R2" >"$T/out" 2>"$T/err" ||
	not_ok "--report --format html for a finished session" "$(cat "$T/err")"
chrome --print-to-pdf="$T/full.pdf" --no-pdf-header-footer "file://$R2" >"$T/chrome.out" 2>&1
pages2=$(pdfinfo "$T/full.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
same "a finished session prints on 2 pages (summary, details)" "$pages2" 2
pdftotext -raw -f 1 -l 1 "$T/full.pdf" "$T/f1.txt"
case $(squash "$T/f1.txt") in
*'100点/100点'*'宣言の準備ができています'*) ok "its page one says 100点 and that the stars are ready" ;;
*) not_ok "its page one says 100点 and that the stars are ready" "$(head -30 "$T/f1.txt")" ;;
esac

finish
