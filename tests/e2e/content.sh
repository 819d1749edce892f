#!/bin/bash
# End-to-end checks of the shipped guideline content: the checklists the
# progress bars count (3原則, 重要7項目, 5か条, 自社診断, 基本方針), and 表1
# against the source article (『中小企業いばらき』2022年9月号, 表1).
# Reads content/*.txt directly (the --dump wraps table cells) and checks
# the program agrees (--check-content, --list, --dump).
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/content.sh

. "$(dirname "$0")/lib.sh"
e2e_init content
need_python3

T=$E2E_TMP

# --- the program's view ------------------------------------------------------

"$MAMORI" --check-content "$MAMORI_CONTENT" >"$T/check" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q ': OK$' "$T/check"; then
	ok "--check-content: the shipped content is OK"
else
	not_ok "--check-content: the shipped content is OK" "exit $rc" "$(cat "$T/check")"
fi

"$MAMORI" --content "$MAMORI_CONTENT" --list >"$T/list" 2>/dev/null ||
	not_ok "--list runs"

# --- the content, parsed -------------------------------------------------------
# One line per fact, tab-separated:
#   group ID KIND PAGE FILE:LINE
#   item ID GROUP PAGE FILE:LINE TEXT
#   page ID FILE:LINE
#   row PAGE FILE:LINE CELL1 CELL2 CELL3...
#   head ITEM HEADING        (the nearest heading above an item, on its page)

"$PYTHON" - "$MAMORI_CONTENT" >"$T/facts" 2>"$T/facts.err" <<'PY'
import os, re, sys
d = sys.argv[1]
files = sorted(f for f in os.listdir(d) if f.endswith(".txt"))
groups = {}
for f in files:
    page = None
    group = None
    last_item = None
    heading = ""

    for n, raw in enumerate(open(os.path.join(d, f), encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        where = "%s:%d" % (f, n)
        if last_item is not None and line.startswith("  ") and line.strip():
            last_item[-1] += line.strip()
            continue
        if last_item is not None:
            print("\t".join(last_item))
            last_item = None
        if line.startswith("@page "):
            parts = line.split(None, 2)
            page = parts[1]
            group = None
            heading = ""
            print("page\t%s\t%s" % (page, where))
        elif line.startswith("@group "):
            parts = line.split(None, 3)
            group = parts[1]
            if len(parts) >= 3:
                groups[group] = parts[2]
                print("group\t%s\t%s\t%s\t%s" % (group, parts[2], page, where))
        elif line.startswith("[ ] "):
            m = re.match(r"\[ \] (\S+)\s+(.*)$", line)
            if m:
                last_item = ["item", m.group(1), group or "-", page or "-", where, m.group(2)]
                print("head\t%s\t%s" % (m.group(1), heading))
        elif line.startswith("#"):
            heading = line
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-+:?", c) for c in cells):
                continue
            print("\t".join(["row", page or "-", where] + cells))
    if last_item is not None:
        print("\t".join(last_item))
PY
if [ -s "$T/facts.err" ]; then
	not_ok "content/*.txt parse as UTF-8 text" "$(cat "$T/facts.err")"
fi

# items_of GROUP: the items of a group, one per line (ID<TAB>TEXT).
items_of() { awk -F'\t' -v g="$1" '$1 == "item" && $3 == g { print $2 "\t" $6 }' "$T/facts"; }
groups_of_kind() { awk -F'\t' -v k="$1" '$1 == "group" && $3 == k { print $2 }' "$T/facts"; }
count_items() { items_of "$1" | grep -c ''; }

# --- 3原則 and 重要7項目: 3 to 6 items each -----------------------------------

check_kind() {
	local kind=$1 want=$2 g n bad='' have
	have=$(groups_of_kind "$kind" | sort | tr '\n' ' ')
	if [ "$have" = "$want " ]; then
		ok "$kind groups are exactly: $want"
	else
		not_ok "$kind groups are exactly: $want" "have: $have"
	fi
	for g in $(groups_of_kind "$kind"); do
		n=$(count_items "$g")
		if [ "$n" -ge 3 ] && [ "$n" -le 6 ]; then
			ok "group $g ($kind) has $n checklist items (3-6)"
		else
			not_ok "group $g ($kind) has 3-6 checklist items" "it has $n"
		fi
	done
}
check_kind principle "principle-1 principle-2 principle-3"
check_kind action "action-1 action-2 action-3 action-4 action-5 action-6 action-7"

# Each principle/action group sits on its own page, and the program shows
# all its items there.
bad=
for g in $(groups_of_kind principle) $(groups_of_kind action); do
	page=$(awk -F'\t' -v g="$g" '$1 == "group" && $2 == g { print $4 }' "$T/facts")
	want=$(count_items "$g")
	got=$("$MAMORI" --content "$MAMORI_CONTENT" --dump "$page" --width 120 2>/dev/null | grep -c '^ *\[ \] ')
	[ "$page" = "$g" ] && [ "$got" = "$want" ] || bad="$bad
group $g on page $page: $want items in the source, $got '[ ]' lines in --dump"
done
if [ -z "$bad" ]; then
	ok "each principle/action group is on its page, and --dump shows all its '[ ]' items"
else
	not_ok "each principle/action group is on its page, and --dump shows all its items" "$bad"
fi

# --- 自社診断: 25 questions, 5 + 13 + 7 ------------------------------------------

have=$(groups_of_kind diagnosis | tr '\n' ' ')
if [ "$have" = "diagnosis-part1 diagnosis-part2 diagnosis-part3 " ]; then
	ok "diagnosis groups are diagnosis-part1, -part2, -part3, in that order"
else
	not_ok "diagnosis groups are diagnosis-part1, -part2, -part3" "have: $have"
fi
for gn in diagnosis-part1:5 diagnosis-part2:13 diagnosis-part3:7; do
	g=${gn%:*}
	want=${gn#*:}
	n=$(count_items "$g")
	if [ "$n" = "$want" ]; then
		ok "group $g has $want questions"
	else
		not_ok "group $g has $want questions" "it has $n"
	fi
done
# Numbered No.1 to No.25 in order, across the three parts.
for g in diagnosis-part1 diagnosis-part2 diagnosis-part3; do items_of "$g"; done >"$T/diag"
nums=$(cut -f2 "$T/diag" | sed -n 's/^No\.\([0-9][0-9]*\) .*/\1/p' | tr '\n' ' ')
if [ "$nums" = "$(seq 1 25 | tr '\n' ' ')" ]; then
	ok "the 25 diagnosis questions are No.1 to No.25, in order"
else
	not_ok "the 25 diagnosis questions are No.1 to No.25, in order" "numbers: $nums"
fi
total=0
for g in $(groups_of_kind diagnosis); do total=$((total + $(count_items "$g"))); done
if [ "$total" = 25 ]; then
	ok "the diagnosis has 25 questions in all"
else
	not_ok "the diagnosis has 25 questions in all" "it has $total"
fi

# --- 情報セキュリティ5か条: one item per article ---------------------------------
# The article's five titles are the headings; under each, the item a person
# ticks is a checkable statement (not the title again).

if [ "$(groups_of_kind article | tr '\n' ' ')" = "five-articles " ]; then
	ok "there is one article group, five-articles"
else
	not_ok "there is one article group, five-articles" "have: $(groups_of_kind article | tr '\n' ' ')"
fi
cat >"$T/articles" <<'EOF'
art-1	### 1. OSやソフトウェアは常に最新の状態にしよう！
art-2	### 2. ウイルス対策ソフトを導入しよう！
art-3	### 3. パスワードを強化しよう！
art-4	### 4. 共有設定を見直そう！
art-5	### 5. 脅威や攻撃の手口を知ろう！
EOF
items_of five-articles | cut -f1 | while read -r id; do
	awk -F'\t' -v i="$id" '$1 == "head" && $2 == i { print $2 "\t" $3 }' "$T/facts"
done >"$T/articles-have"
if cmp -s "$T/articles" "$T/articles-have"; then
	ok "five-articles: art-1..art-5 in order, each under its article's title as a heading"
else
	not_ok "five-articles: art-1..art-5, each under its article's title" "$(diff "$T/articles" "$T/articles-have")"
fi
bad=$(items_of five-articles | awk -F'\t' '$2 ~ /しよう！$|^[0-9]\./ || $2 !~ /。$/ { print $1 ": " $2 }')
if [ -z "$bad" ]; then
	ok "five-articles: each item is a statement of what is done, not the article's call"
else
	not_ok "five-articles: each item is a statement of what is done" "$bad"
fi

# --- 基本方針 (★★) ---------------------------------------------------------------

line=$(awk -F'\t' '$1 == "item" && $2 == "sa2-policy"' "$T/facts")
g=$(printf '%s' "$line" | cut -f3)
kind=$(awk -F'\t' -v g="$g" '$1 == "group" && $2 == g { print $3 }' "$T/facts")
if [ -n "$line" ] && [ "$kind" = policy ]; then
	ok "item sa2-policy exists, in a policy group ($g)"
else
	not_ok "item sa2-policy exists, in a policy group" "item: '$line', group '$g' kind '$kind'"
fi

# --- ids and totals ------------------------------------------------------------

dups=$(awk -F'\t' '$1 == "item" { print $2 }' "$T/facts" | sort | uniq -d)
orph=$(awk -F'\t' '$1 == "item" && $3 == "-" { print $2 " " $5 }' "$T/facts")
if [ -z "$dups$orph" ]; then
	ok "checklist item ids are unique and every item is in a group"
else
	not_ok "checklist item ids are unique and every item is in a group" "duplicates: $dups" "no group: $orph"
fi

np=$(grep -c '^page' "$T/facts")
ng=$(grep -c '^group' "$T/facts")
ni=$(grep -c '^item' "$T/facts")
if grep -q ": $np pages, $ng groups, $ni checklist items: OK" "$T/check"; then
	ok "--check-content counts what the files hold: $np pages, $ng groups, $ni items"
else
	not_ok "--check-content counts $np pages, $ng groups, $ni items" "$(cat "$T/check")"
fi
if [ "$(grep -c '' "$T/list")" = "$np" ] && [ "$(grep -c '^' "$T/list")" -gt 0 ]; then
	ok "--list has the $np pages of content/*.txt"
else
	not_ok "--list has the $np pages of content/*.txt" "--list has $(grep -c '' "$T/list")"
fi

# --- 表1 ----------------------------------------------------------------------
# Every row of the article's 表1, as the article gives it (law, 条項, 処罰など).
# One cell is corrected, and the errata page says so: the article's 14条
# reads 信頼回復措置請求, but §14 (and the article's own next cell) is 信用回復.
# The article prints the law's full name under its short one; the content
# puts it in parentheses.  Footnote marks (³) are not part of a cell.

cat >"$T/table1" <<'EOF'
個人情報保護法	40条 報告及び立入検査	委員会による立入検査、帳簿書類等の物件検査及び質問
個人情報保護法	83条 個人情報データベース等不正提供罪	1年以下の懲役又は50万円以下の罰金
個人情報保護法	84条 委員会からの命令に違反	6月以下の懲役又は30万円以下の罰金
個人情報保護法	85条 委員会への虚偽の報告など	30万円以下の罰金
個人情報保護法	87条 両罰規定	従業者等が業務に関し違反行為をした場合、法人に対しても罰金刑
マイナンバー法	48条 正当な理由なく特定個人情報ファイルを提供	4年以下の懲役若しくは200万円以下の罰金又は併科
マイナンバー法	49条 不正な利益を図る目的で、個人番号を提供又は盗用	3年以下の懲役若しくは150万円以下の罰金又は併科
マイナンバー法	50条 情報提供ネットワークシステムに関する秘密を漏えい又は盗用	同上
マイナンバー法	51条 人を欺き、人に暴行を加え、人を脅迫し、又は、財物の窃取、施設への侵入、不正アクセス等により個人番号を取得	3年以下の懲役又は150万円以下の罰金
マイナンバー法	53条 委員会からの命令に違反	2年以下の懲役又は50万円以下の罰金
マイナンバー法	54条 委員会への虚偽の報告など	1年以下の懲役又は50万円以下の罰金
マイナンバー法	55条 偽りその他不正の手段により個人番号カード等を取得	6月以下の懲役又は50万円以下の罰金
マイナンバー法	57条 両罰規定	従業者等が業務に関し違反行為をした場合、法人に対しても罰金刑
不正競争防止法	3条 差止請求	利益を侵害された者からの侵害の停止又は予防の請求
不正競争防止法	4条 損害賠償請求	利益を侵害した者は損害を賠償する責任
不正競争防止法	14条 信用回復措置請求	信用を害された者からの信用回復措置請求
金融商品取引法	197条の2 刑事罰	5年以下の懲役又は500万円以下の罰金又はこれらの併科
金融商品取引法	207条第1項2号 両罰規定	従業者等が業務に関し違反行為をした場合、法人に対しても罰金刑
金融商品取引法	198条の2 没収・追徴	犯罪行為により得た財産の必要的没収・追徴
金融商品取引法	175条 課徴金	違反者の経済的利得相当額
民法	709条 不法行為による損害賠償	故意又は過失によって他人の権利又は法律上保護される利益を侵害した者は、これによって生じた損害を賠償する責任を負う
EOF

# The rows of page table-1's table, empty law cells filled from the row
# above (the article's merged cells), header left out.
awk -F'\t' '$1 == "row" && $2 == "table-1"' "$T/facts" >"$T/rows-raw"
header=$(head -n 1 "$T/rows-raw" | cut -f4-)
if [ "$header" = "$(printf '法令\t条項\t処罰など')" ]; then
	ok "表1 (page table-1) has the article's header: 法令 | 条項 | 処罰など"
else
	not_ok "表1 (page table-1) has the header 法令 | 条項 | 処罰など" "header: $header"
fi
tail -n +2 "$T/rows-raw" | awk -F'\t' 'BEGIN { OFS = "\t" }
	{ if ($4 != "") law = $4; print law, $5, $6, $3, NF - 3 }' >"$T/rows"

if [ "$(grep -c '' "$T/rows")" = "$(grep -c '' "$T/table1")" ]; then
	ok "表1 has the article's $(grep -c '' "$T/table1") rows"
else
	not_ok "表1 has the article's $(grep -c '' "$T/table1") rows" "it has $(grep -c '' "$T/rows")"
fi
bad=$(awk -F'\t' '$5 != 3 { print $4 ": " $5 " cells" }' "$T/rows")
if [ -z "$bad" ]; then
	ok "every row of 表1 has three cells"
else
	not_ok "every row of 表1 has three cells" "$bad"
fi

# Each article row: its 条項 appears, under the right law, with the penalty
# exactly as the article gives it.
while IFS="$(printf '\t')" read -r law art pen; do
	num=${art%% *}
	row=$(awk -F'\t' -v a="$art" '$2 == a' "$T/rows")
	rlaw=$(printf '%s' "$row" | cut -f1)
	rpen=$(printf '%s' "$row" | cut -f3)
	if [ -z "$row" ]; then
		not_ok "表1: $law $num is there" \
			"no row with 条項 '$art'; rows with $num: $(grep -F "	$num" "$T/rows")"
	elif [ "${rlaw#"$law"}" = "$rlaw" ]; then
		not_ok "表1: $law $num is under $law" "$row"
	elif [ "$rpen" != "$pen" ]; then
		not_ok "表1: $law $num: 「$pen」" "the content says 「$rpen」 ($(printf '%s' "$row" | cut -f4))"
	else
		ok "表1: $law $num: 「$pen」"
	fi
done <"$T/table1"

# The dump shows the table, with every 条項 number (cells wrap, so only the
# numbers, which are short, and at a width where they fit).
"$MAMORI" --content "$MAMORI_CONTENT" --dump table-1 --width 160 >"$T/t1dump" 2>&1
miss=
for num in $(cut -f2 "$T/table1" | cut -d' ' -f1); do
	grep -qF -- "$num" "$T/t1dump" || miss="$miss $num"
done
if [ -z "$miss" ]; then
	ok "--dump table-1 shows every 条項 number of 表1"
else
	not_ok "--dump table-1 shows every 条項 number of 表1" "missing:$miss"
fi

# --- what changed since the article (FACTS.md, checked 2026-12) ---------------
# The content keeps the article's 表1 but must not leave a reader with dead
# article numbers, a penalty that no longer exists, or no word of the duty
# to report a leak.

# page_src ID: the source lines of page ID (comments left out).
page_src() {
	awk -v id="$1" '/^@page / { on = ($2 == id) } on && !/^\/\//' "$MAMORI_CONTENT"/*.txt
}
# has_all DESC PAGE WORD...: page PAGE's source holds every WORD.
has_all() {
	local desc=$1 page=$2 miss='' w
	shift 2
	page_src "$page" >"$T/src-$page"
	for w in "$@"; do
		grep -qF -- "$w" "$T/src-$page" || miss="$miss 「$w」"
	done
	if [ -s "$T/src-$page" ] && [ -z "$miss" ]; then
		ok "$desc"
	else
		not_ok "$desc" "page $page lacks:$miss"
	fi
}

# Under 表1 (after its last row), a line says whose table it is.
under=$(page_src table-1 | awk '/^\|/ { seen = 1; next } seen' | grep -c '元の記事（2022年9月号）')
if [ "$under" -ge 1 ]; then
	ok "under 表1, the content says it is the article's (2022) table"
else
	not_ok "under 表1, the content says it is the article's (2022) table"
fi
has_all "the errata page names the corrected 14条 cell" errata 信頼回復措置請求 信用回復措置請求
has_all "the 2020-amendment page gives today's article numbers and 拘禁刑" amend-2020 \
	146条 178条 179条 182条 184条 拘禁刑 2025年6月1日 2020年12月12日 2022年4月1日 1億円
has_all "the leak-report page says who, when and to whom" leak-report \
	2022年4月1日 個人情報取扱事業者 個人情報保護委員会 速報 確報 30日 60日 1,000人 本人 2026年12月時点
has_all "the 不正競争防止法 page notes the criminal penalties for 営業秘密侵害" law-competition \
	21条 22条 10年以下の拘禁刑 2,000万円 3,000万円 5億円 10億円
has_all "table-1 footnote: the database offence came with the 2015 amendment" table-1 \
	2015年 2017年5月30日

# --- a hostile file name, in the reader ------------------------------------------
# A content file named 01-ESC]0;PWNED BEL ESC[2J.txt with no @chapter (its
# name becomes the chapter's title) and a control byte (a warning: the
# reader opens it and says so on the status line).  Whatever reaches the
# terminal must hold neither the OSC that sets the title nor the BEL.

H=$T/hostile-name
rm -rf "$H" && mkdir "$H"
cp "$MAMORI_CONTENT"/*.txt "$H/"
printf '@page hostile-page 敵意\nesc \033]0;PWNED\007 here\n' >"$H/$(printf '01-\033]0;PWNED\007\033[2J.txt')"
"$PYTHON" - "$MAMORI" "$H" "$T/pty.out" >"$T/pty.res" 2>&1 <<'PY'
import os, pty, select, sys, time
mamori, content, outpath = sys.argv[1:4]
home = os.path.join(os.path.dirname(outpath), "pty-home")
env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
       "XDG_DATA_HOME": home + "/data", "XDG_STATE_HOME": home + "/state",
       "TERM": "xterm-256color", "LANG": "C.UTF-8", "ESCDELAY": "25",
       "LINES": "24", "COLUMNS": "100"}
pid, fd = pty.fork()
if pid == 0:
    os.execve(mamori, [mamori, "--content", content, "--page", "hostile-page"], env)
out = b""
def pump(seconds, until=None):
    global out
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return False
            if not data:
                return False
            out += data
            if until and until in out:
                return True
    return True
pump(3, b"PWNED")
pump(0.3)
os.write(fd, b"q")
pump(3)
_, status = os.waitpid(pid, 0)
open(outpath, "wb").write(out)
print(os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status))
PY
st=$(tail -n 1 "$T/pty.res")
if [ "$st" = 0 ] && grep -qaF 'PWNED' "$T/pty.out" &&
	! grep -qaF "$(printf '\033]0;PWNED')" "$T/pty.out" && ! grep -qaF "$(printf 'PWNED\007')" "$T/pty.out"; then
	ok "the reader opens content with a hostile file name and a control byte; no OSC or BEL reaches the terminal"
else
	not_ok "the reader on a hostile file name sends nothing raw and exits 0" "$(cat "$T/pty.res")" \
		"$(cat -v "$T/pty.out" | head -c 1500)"
fi

# NISC is named only with its name today.
bare=$(grep -n 'NISC' "$MAMORI_CONTENT"/*.txt | sed 's/NISC（現・国家サイバー統括室）//g' | grep 'NISC')
if [ -z "$bare" ]; then
	ok "NISC always appears as 「NISC（現・国家サイバー統括室）」"
else
	not_ok "NISC always appears as 「NISC（現・国家サイバー統括室）」" "$bare"
fi

# --- pages a reader finds ------------------------------------------------------
# Every page is in the contents (--list is the contents' order) and can be
# reached from the first page by following links; the pages added for
# today's reader are linked from where they help.

"$PYTHON" - "$MAMORI_CONTENT" >"$T/unreached" <<'PY2'
import os, re, sys
d = sys.argv[1]
links, pages = {}, []
for f in sorted(x for x in os.listdir(d) if x.endswith(".txt")):
    page = None
    for line in open(os.path.join(d, f), encoding="utf-8"):
        if line.startswith("@page "):
            page = line.split()[1]
            pages.append(page)
            links[page] = set()
        elif page and line.startswith("=> "):
            links[page].add(line.split()[1])
seen, todo = set(), [pages[0]] if pages else []
while todo:
    p = todo.pop()
    if p in seen:
        continue
    seen.add(p)
    todo.extend(links.get(p, ()))
for p in pages:
    if p not in seen:
        print(p)
PY2
if [ ! -s "$T/unreached" ] && [ "$(head -n 1 "$T/list" | cut -f1)" = intro ]; then
	ok "every page can be reached from the first page (intro) by links"
else
	not_ok "every page can be reached from the first page (intro) by links" "not reached: $(tr '\n' ' ' <"$T/unreached")"
fi

# links_to PAGE FROM...: each FROM page links to PAGE, and PAGE is in --list.
links_to() {
	local to=$1 miss='' from
	shift
	cut -f1 "$T/list" | grep -qxF -- "$to" || miss=" (not in --list)"
	for from in "$@"; do
		page_src "$from" | grep -q "^=> $to\\( \\|\$\\)" || miss="$miss $from"
	done
	if [ -z "$miss" ]; then
		ok "page $to is in the contents and linked from: $*"
	else
		not_ok "page $to is in the contents and linked from: $*" "missing:$miss"
	fi
}
links_to help intro action-5 case-3 leak-report
links_to leak-report law-privacy table-1 action-5
links_to sa-declare intro security-action sa-steps
links_to otasuketai intro action-2
links_to backup-ransomware intro action-5 diagnosis-part2
links_to telework intro case-2 diagnosis-part2
links_to appendices intro action-5 sa-two-star

has_all "the help page names every place to turn to" help \
	企業組織向けサイバーセキュリティ相談窓口 情報セキュリティ安心相談窓口 サイバー犯罪相談窓口 \
	個人情報保護委員会 付録8 茨城県中小企業団体中央会 2022年 2026年12月時点
has_all "the declaration page: GビズID, April 2026, IT導入補助金, 「宣言しました」" sa-declare \
	GビズID プライム メンバー エントリー 2026年4月 自己宣言ID マイページ IT導入補助金 宣言しました
has_all "the appendices page names 付録2, 5, 6, 7 and 8" appendices 付録2 付録5 付録6 付録7 付録8

# --- one notation ----------------------------------------------------------------
# Full-width 「：」 after Japanese text, スマートフォン (never スマホ), 1週間,
# 情報セキュリティ関連規程, the 自己診断 slip named once (on the errata page),
# and no 【】 written into a heading (the layout decides how headings look).

"$PYTHON" - "$MAMORI_CONTENT" >"$T/notation" <<'PY2'
import os, re, sys
d = sys.argv[1]
rules = [
    (re.compile(r"スマホ"), "スマホ (use スマートフォン)"),
    (re.compile(r"一週間"), "一週間 (use 1週間)"),
    (re.compile(r"情報セキュリティ(規程|規則)"), "情報セキュリティ規程 (use 情報セキュリティ関連規程)"),
    (re.compile(r"^#+ .*[【】]"), "【】 inside a heading"),
]
jikoshindan = []
for f in sorted(x for x in os.listdir(d) if x.endswith(".txt")):
    page = None
    for n, line in enumerate(open(os.path.join(d, f), encoding="utf-8"), 1):
        if line.startswith("//"):
            continue
        if line.startswith("@page "):
            page = line.split()[1]
        for rx, what in rules:
            if rx.search(line):
                print("%s:%d: %s" % (f, n, what))
        # Japanese text takes ：; only the footnote markup "[^N]: " keeps ASCII.
        body = re.sub(r"^\[\^[^\]]+\]: ", "", line)
        if re.search(r"[^\x00-\x7f]", body) and ": " in body:
            print("%s:%d: an ASCII colon in Japanese text (use ：)" % (f, n))
        if "自己診断" in line:
            jikoshindan.append("%s:%d (page %s)" % (f, n, page))
if len(jikoshindan) != 1 or "(page errata)" not in jikoshindan[0]:
    print("自己診断 should be named once, on the errata page: " + ", ".join(jikoshindan))
PY2
if [ ! -s "$T/notation" ]; then
	ok "one notation: ：, スマートフォン, 1週間, 情報セキュリティ関連規程, 自己診断 once, no 【】 in headings"
else
	not_ok "one notation: ：, スマートフォン, 1週間, 情報セキュリティ関連規程, 自己診断 once, no 【】 in headings" "$(cat "$T/notation")"
fi

finish
