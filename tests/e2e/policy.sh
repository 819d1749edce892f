#!/bin/bash
# End-to-end checks of `mamori --policy-draft`: the 情報セキュリティ基本方針
# draft for SECURITY ACTION's 二つ星.  On stdout and in a file, as text and
# as Markdown: the five headings of 付録2's sample, today's date, the
# company or its placeholder; text that fits its width with no kinsoku
# break and no ambiguous-width character; --output that never overwrites
# without --force (the file left as it was), --force that replaces, the
# file's mode; usage errors.  No tmux needed.  By hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/policy.sh

. "$(dirname "$0")/lib.sh"
e2e_init policy
need_python3

T=$E2E_TMP
out=$T/out
err=$T/err

run() {
	"$MAMORI" "$@" >"$out" 2>"$err" </dev/null
	rc=$?
}

show() {
	echo "exit status: $rc"
	echo "stdout:"
	head -c 3000 "$out"
	echo "stderr:"
	head -c 2000 "$err"
}

HEADINGS="経営者の責任 社内体制の整備 従業員の取り組み 法令・契約上の要求事項の遵守 違反・事故への対応"

# The date the draft is dated with, read before and after the run (a run across midnight passes).
today() { date '+%Y年%-m月%-d日 制定'; }

# has_structure FILE md|text: each heading once, in order, as a heading of the format, then the date.
cat >"$T/structure.py" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
fmt, dates, heads = sys.argv[2], sys.argv[3].split("|"), sys.argv[4].split()
pos, bad = 0, []
for i, h in enumerate(heads, 1):
    want = ("## %d. %s" if fmt == "md" else "%d. %s") % (i, h)
    m = re.search("^" + re.escape(want) + "$", text[pos:], re.M)
    if not m:
        bad.append("heading %r missing or out of order" % want)
        continue
    if text.count(h) != 1:
        bad.append("heading %r appears %d times" % (h, text.count(h)))
    pos += m.end()
if not any(d in text[pos:] for d in dates):
    bad.append("no date %r after the last section" % dates[0])
title = "# 情報セキュリティ基本方針" if fmt == "md" else "情報セキュリティ基本方針"
if not re.search("^" + re.escape(title) + "$", text, re.M):
    bad.append("no title line %r" % title)
print("\n".join(bad))
PY

has_structure() {
	local d1 res
	d1=$(today)
	res=$("$PYTHON" "$T/structure.py" "$1" "$2" "$DATE0|$d1" "$HEADINGS") || res="structure.py failed"
	[ -z "$res" ] || {
		echo "$res"
		return 1
	}
}

# Width, kinsoku and East Asian ambiguous characters of a text draft.
cat >"$T/measure.py" <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
NO_START = set("、。，．・：；？！ー」』）］｝〉》】ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
NO_END = set("「『（［｛〈《【")
limit = int(sys.argv[2])
bad = []
for i, l in enumerate(open(sys.argv[1], encoding="utf-8").read().split("\n"), 1):
    if width(l) > limit:
        bad.append("line %d is %d columns: %s" % (i, width(l), l))
    s = l.strip(" ")
    if s and s[0] in NO_START:
        bad.append("line %d starts with %s: %s" % (i, s[0], l))
    if s and s[-1] in NO_END:
        bad.append("line %d ends with %s: %s" % (i, s[-1], l))
    amb = [c for c in l if unicodedata.east_asian_width(c) == "A"]
    if amb:
        bad.append("line %d has ambiguous-width %s: %s" % (i, "".join(amb), l))
print("\n".join(bad[:15]))
PY

# ---------------------------------------------------------------- stdout, text

DATE0=$(today)
run --policy-draft
cp "$out" "$T/plain.txt"
if [ $rc = 0 ] && [ ! -s "$err" ] && res=$(has_structure "$out" text); then
	ok "--policy-draft: exit 0, the five headings of 付録2 in order, then today's date"
else
	not_ok "--policy-draft: exit 0, the five headings of 付録2 in order, then today's date" "$res" "$(show)"
fi

if [ "$(grep -c '【会社名】' "$out")" = 2 ] && grep -q '^【代表者の役職】 【代表者名】$' "$out" &&
	grep -q '【責任者の役職と氏名】' "$out"; then
	ok "--policy-draft without --company: placeholders for the company (twice) and the representative"
else
	not_ok "--policy-draft without --company: placeholders" "$(show)"
fi

# The note on top: a draft, its source, publishing, what 二つ星 asks.
flat=$(tr -d '\n ' <"$out")
note_ok=1
for want in '【下書き】' 'IPA『中小企業の情報セキュリティ対策ガイドライン』付録2' '従業員全員に知らせ' \
	'社外にも公開' '情報セキュリティ自社診断」で自社の現状を確かめ' '二つ星'; do
	case $flat in *"$want"*) ;; *)
		note_ok=0
		not_ok "the draft's note says $want" "$(head -n 14 "$out")"
		;;
	esac
done
if [ $note_ok = 1 ] && sed -n 2p "$out" | grep -q '^【下書き】'; then
	ok "the note on top: a draft to edit, IPA's 付録2 as source, publish to employees, what 二つ星 asks"
else
	not_ok "the note is the first thing in the draft" "$(head -n 3 "$out")"
fi

for w in 80 40 20; do
	if [ $w = 80 ]; then
		run --policy-draft --company '株式会社とても長い名前のサンプル情報セキュリティ推進本部'
	else
		run --policy-draft --company '株式会社とても長い名前のサンプル情報セキュリティ推進本部' --width $w
	fi
	res=$("$PYTHON" "$T/measure.py" "$out" $w)
	if [ $rc = 0 ] && [ -z "$res" ]; then
		ok "text draft at $w columns: no line wider, kinsoku kept, no ambiguous-width character"
	else
		not_ok "text draft at $w columns: no line wider, kinsoku kept, no ambiguous-width character" \
			"$res" "$(show)"
	fi
done

run --policy-draft --company '株式会社サンプル'
if [ $rc = 0 ] && ! grep -q '【会社名】' "$out" && grep -q '^株式会社サンプル（以下「当社」）は' "$out" &&
	grep -A1 "^$(today)\$" "$out" | grep -q '^株式会社サンプル$'; then
	ok "--company: the name opens the preamble and follows the date; no placeholder left for it"
else
	not_ok "--company: the name opens the preamble and follows the date" "$(show)"
fi

# ---------------------------------------------------------------- Markdown

run --policy-draft --format md --company '株式会社サンプル'
cp "$out" "$T/draft.md"
if [ $rc = 0 ] && res=$(has_structure "$out" md) && grep -q '^> \*\*【下書き】' "$out" &&
	grep -q '^> - ' "$out"; then
	ok "--format md: '# ' title, '## N. ' headings in order, the note as a block quote"
else
	not_ok "--format md: headings and the note" "$res" "$(show)"
fi
# A renderer joins a paragraph's lines with a space: each paragraph is one line.
if grep -q '^当社の経営者は、.*続くようにします。$' "$out"; then
	ok "--format md: a paragraph is one line (no space between wrapped Japanese)"
else
	not_ok "--format md: a paragraph is one line" "$(show)"
fi
run --policy-draft --format md --company '*太字* <b>x</b>'
if [ $rc = 0 ] && grep -qF '\*太字\* \<b\>x\</b\>（以下「当社」）' "$out"; then
	ok "--format md: Markdown in the company's name is escaped, shown as typed"
else
	not_ok "--format md: Markdown in the company's name is escaped" "$(show)"
fi

# ---------------------------------------------------------------- --output

cd "$T" || bail_out "cd $T"
umask 022
run --policy-draft --output draft.txt
if [ $rc = 0 ] && [ -f draft.txt ] && res=$(has_structure draft.txt text) && grep -qF "'draft.txt'" "$out" &&
	[ ! -s "$err" ] && [ "$(stat -c %a draft.txt)" = 644 ]; then
	ok "--output FILE: written (mode 644 under umask 022), stdout names it"
else
	not_ok "--output FILE: written, mode 644, stdout names it" "$res" "$(show)" "$(ls -l draft.txt 2>&1)"
fi
if cmp -s draft.txt "$T/plain.txt"; then
	ok "--output FILE holds what stdout shows"
else
	not_ok "--output FILE holds what stdout shows" "$(diff "$T/plain.txt" draft.txt | head)"
fi

echo '編集済みの基本方針' >edited.txt
before=$(sha256sum edited.txt)
run --policy-draft --output edited.txt
if [ $rc = 1 ] && [ "$(sha256sum edited.txt)" = "$before" ] && grep -qF "'edited.txt'" "$err" &&
	grep -q -- '--force' "$err" && ! grep -q 'wrote' "$out"; then
	ok "--output on an existing file: exit 1, the file unchanged, the message names it and --force"
else
	not_ok "--output on an existing file: exit 1, the file unchanged" "$(show)" "$(cat edited.txt)"
fi

umask 077
run --policy-draft --format md --output edited.txt --force
if [ $rc = 0 ] && has_structure edited.txt md >/dev/null && ! grep -q '編集済み' edited.txt; then
	ok "--force: the existing file replaced by the draft"
else
	not_ok "--force: the existing file replaced by the draft" "$(show)" "$(head -n 5 edited.txt)"
fi
same "--force under umask 077: the umask decides the mode" "$(stat -c %a edited.txt)" 600
umask 022

left=$(ls -A "$T" | grep '\.tmp\.' || true)
same "no temp file left beside the draft" "$left" ""

# --force never replaces what is not a regular file: a symlink (its target untouched), a directory.
echo 'target' >target.txt
ln -s target.txt link.txt
run --policy-draft --output link.txt --force
if [ $rc = 1 ] && [ -L link.txt ] && [ "$(cat target.txt)" = target ] && grep -qF "'link.txt'" "$err"; then
	ok "--force on a symlink: refused, the link and its target unchanged"
else
	not_ok "--force on a symlink: refused" "$(show)"
fi
mkdir adir
run --policy-draft --output adir --force
if [ $rc = 1 ] && [ -d adir ] && [ -z "$(ls -A adir)" ] && grep -qF "'adir'" "$err"; then
	ok "--force on a directory: refused"
else
	not_ok "--force on a directory: refused" "$(show)"
fi
run --policy-draft --output "$T/no/such/dir/draft.txt"
if [ $rc = 1 ] && grep -q 'draft.txt' "$err" && grep -q 'No such file' "$err"; then
	ok "--output into a missing directory: exit 1, says which file and why"
else
	not_ok "--output into a missing directory: exit 1, says why" "$(show)"
fi

# ---------------------------------------------------------------- usage errors

for args in "--policy-draft --format tsv" "--progress --format md" "--list --output x.txt" \
	"--policy-draft --force" "--policy-draft --progress"; do
	# shellcheck disable=SC2086
	run $args
	if [ $rc = 2 ] && [ ! -s "$out" ] && grep -q "Try 'mamori --help'" "$err" && [ ! -e x.txt ]; then
		ok "usage error: $args (exit 2, nothing written)"
	else
		not_ok "usage error: $args (exit 2, nothing written)" "$(show)"
	fi
done

# ---------------------------------------------------------------- legacy locales

if locale -a 2>/dev/null | grep -qix 'ja_JP.eucjp'; then
	LC_ALL=ja_JP.EUC-JP "$MAMORI" --policy-draft >"$T/euc.out" 2>"$err" </dev/null
	rc=$?
	if [ $rc = 0 ] && iconv -f EUC-JP -t UTF-8 "$T/euc.out" >"$T/euc.txt" 2>/dev/null &&
		cmp -s "$T/euc.txt" "$T/plain.txt"; then
		ok "under ja_JP.EUC-JP the draft on stdout is EUC-JP, the same text"
	else
		not_ok "under ja_JP.EUC-JP the draft on stdout is EUC-JP" "$(show)"
	fi
	LC_ALL=ja_JP.EUC-JP "$MAMORI" --policy-draft --output euc-file.txt >"$out" 2>"$err" </dev/null
	if cmp -s euc-file.txt "$T/plain.txt"; then
		ok "under ja_JP.EUC-JP the --output file is UTF-8"
	else
		not_ok "under ja_JP.EUC-JP the --output file is UTF-8" "$(show)"
	fi
else
	ok "# SKIP ja_JP.EUC-JP is not installed (localedef -i ja_JP -f EUC-JP ja_JP.EUC-JP)"
fi

finish
