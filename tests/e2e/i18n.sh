#!/bin/bash
# End-to-end checks of the messages outside the full screen (GNU gettext,
# po/ja.po): --help and errors are Japanese under a Japanese locale (even
# one that is not installed: a UTF-8 locale stands in) and English under C;
# under EUC-JP and Shift_JIS locales they come out in that charset, the C
# library's strerror text included.  No tmux needed.  Run by `make check`,
# or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/i18n.sh

. "$(dirname "$0")/lib.sh"
e2e_init i18n
need_python3

T=$E2E_TMP
out=$T/out
err=$T/err
export XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state

# under LOCALE ARG...: mamori under LANG=LOCALE alone (lib.sh sets LC_ALL); status in $rc.
under() {
	local loc=$1
	shift
	env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG="$loc" "$MAMORI" --content "$MAMORI_CONTENT" "$@" \
		>"$out" 2>"$err" </dev/null
	rc=$?
}

show() {
	echo "exit status: $rc"
	echo "stdout:"
	head -c 1500 "$out"
	echo "stderr:"
	head -c 1500 "$err"
}

# 1 when the locale is installed (locale -a spells codesets its own way).
have_locale() { locale -a 2>/dev/null | grep -qix "$1"; }

# ------------------------------------------------ --help

under ja_JP.UTF-8 --help
if [ $rc = 0 ] && grep -q '^使い方: mamori' "$out" && grep -q -- '--page ID            ページ ID を開く' "$out" &&
	grep -q -- '--ask GROUP|all      質問に' "$out" && ! grep -q '^Usage:' "$out"; then
	ok "LANG=ja_JP.UTF-8 --help is Japanese"
else
	not_ok "LANG=ja_JP.UTF-8 --help is Japanese" "$(show)"
fi
# Japanese lines keep to 80 columns (a Japanese character is two).
wide=$(python3 -c '
import sys, unicodedata
for l in open(sys.argv[1], encoding="utf-8"):
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n"))
    if w > 80: print(w, l.rstrip("\n"))
' "$out" 2>&1)
same "LANG=ja_JP.UTF-8 --help: no line wider than 80 columns" "$wide" ""

for loc in C POSIX C.UTF-8 en_US.UTF-8; do
	under $loc --help
	if [ $rc = 0 ] && grep -q '^Usage: mamori' "$out" && grep -q -- '--page ID            open at page ID' "$out" &&
		! grep -q '使い方' "$out"; then
		ok "LANG=$loc --help is English"
	else
		not_ok "LANG=$loc --help is English" "$(show)"
	fi
done

# LANGUAGE, as gettext reads it, wins over LANG.
env -u LC_ALL LANG=ja_JP.UTF-8 LANGUAGE=en "$MAMORI" --help >"$out" 2>"$err"
grep -q '^Usage: mamori' "$out" && ok "LANGUAGE=en under LANG=ja_JP.UTF-8: English" ||
	not_ok "LANGUAGE=en under LANG=ja_JP.UTF-8: English" "$(head -3 "$out")"

# ------------------------------------------------ errors

under C --page
if [ $rc = 2 ] && grep -q "^mamori: --page needs a page id (see mamori --list)$" "$err" &&
	grep -qF "Try 'mamori --help' for more information." "$err"; then
	ok "LANG=C --page with no id: 'mamori: --page needs a page id', exit 2"
else
	not_ok "LANG=C --page with no id: 'mamori: --page needs a page id', exit 2" "$(show)"
fi
under ja_JP.UTF-8 --page
if [ $rc = 2 ] && grep -q "^mamori: --page にはページ ID" "$err" && grep -q "詳しくは 'mamori --help'" "$err"; then
	ok "LANG=ja_JP.UTF-8 --page with no id: the same in Japanese"
else
	not_ok "LANG=ja_JP.UTF-8 --page with no id: the same in Japanese" "$(show)"
fi
# Every option that takes an argument says what it needs, not "unknown option".
for opt in --dump --width --content --answers --format --charset --ambiguous-width --company \
	--output --ask; do
	under C "$opt"
	if [ $rc = 2 ] && grep -q "^mamori: $opt needs " "$err"; then
		ok "$opt with no argument: '$opt needs ...'"
	else
		not_ok "$opt with no argument: '$opt needs ...'" "$(show)"
	fi
done
under C --page --list
grep -q "^mamori: --page needs a page id" "$err" && ok "--page --list: --page needs a page id" ||
	not_ok "--page --list: --page needs a page id" "$(show)"

under C --dump nosuch-page
if [ $rc = 2 ] && grep -q "^mamori: no such page id (see mamori --list): 'nosuch-page'" "$err"; then
	ok "LANG=C --dump nosuch-page: English error"
else
	not_ok "LANG=C --dump nosuch-page: English error" "$(show)"
fi
under ja_JP.UTF-8 --dump nosuch-page
if [ $rc = 2 ] && grep -q "^mamori: そのページ ID はありません (mamori --list で確認): 'nosuch-page'" "$err"; then
	ok "LANG=ja_JP.UTF-8 --dump nosuch-page: Japanese error"
else
	not_ok "LANG=ja_JP.UTF-8 --dump nosuch-page: Japanese error" "$(show)"
fi

# The full screen's refusal of a terminal it cannot drive (TERM=dumb: no
# cursor addressing) is told in the locale's language and points to the line
# mode.  On a pseudo-terminal, so that TERM is what is refused, not a pipe.
dumb_on_pty() {
	env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG="$1" TERM=dumb python3 -c '
import os, pty, subprocess, sys
m, s = pty.openpty()
with open(sys.argv[1], "wb") as err:
    sys.exit(subprocess.run(sys.argv[2:], stdin=s, stdout=s, stderr=err).returncode)
' "$err" "$MAMORI" --content "$MAMORI_CONTENT" >"$out" 2>&1
	rc=$?
}
dumb_on_pty C
if [ $rc = 2 ] && grep -q "^mamori: the terminal in TERM cannot move the cursor (TERM=dumb?)\.$" "$err" &&
	grep -qF "try 'mamori --ask all'" "$err"; then
	ok "TERM=dumb LANG=C: refused in English, points to --ask all, exit 2"
else
	not_ok "TERM=dumb LANG=C: refused in English, points to --ask all, exit 2" "$(show)"
fi
dumb_on_pty ja_JP.UTF-8
if [ $rc = 2 ] && grep -q "^mamori: TERM の端末はカーソルを動かせません" "$err" &&
	grep -qF "'mamori --ask all' を" "$err" && ! grep -q 'cannot move' "$err"; then
	ok "TERM=dumb LANG=ja_JP.UTF-8: refused in Japanese, points to --ask all, exit 2"
else
	not_ok "TERM=dumb LANG=ja_JP.UTF-8: refused in Japanese, points to --ask all, exit 2" "$(show)"
fi

# --ask speaks the locale's language too.
printf 'q\n' | env -u LC_ALL LANG=ja_JP.UTF-8 TERM=dumb "$MAMORI" --content "$MAMORI_CONTENT" \
	--ask five-articles >"$out" 2>"$err"
grep -q '^現在: 未回答$' "$out" && grep -q '^1 実施済み / 2 未実施 / 3 該当しない' "$out" &&
	ok "LANG=ja_JP.UTF-8 --ask: prompts in Japanese" ||
	not_ok "LANG=ja_JP.UTF-8 --ask: prompts in Japanese" "$(show)"

# ------------------------------------------------ legacy charsets

# legacy LOCALE ICONV: --help and an error are Japanese, in that charset.
legacy() {
	local loc=$1 cs=$2
	if ! have_locale "$loc"; then
		ok "# SKIP $loc is not installed (localedef; see build.sh)"
		return
	fi
	under "$loc" --help
	if [ $rc = 0 ] && ! iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1 &&
		iconv -f "$cs" -t UTF-8 "$out" 2>/dev/null | grep -q '^使い方: mamori'; then
		ok "LANG=$loc --help: Japanese in $cs (not UTF-8)"
	else
		not_ok "LANG=$loc --help: Japanese in $cs (not UTF-8)" "$(show)"
	fi
	# An error with the C library's own text (strerror) in it: one charset throughout.
	under "$loc" --answers "$T/no/such/dir/answers.txt" --progress
	if [ $rc = 1 ] && iconv -f "$cs" -t UTF-8 "$err" >"$T/err.utf8" 2>/dev/null &&
		grep -q "answers.txt" "$T/err.utf8" && ! grep -q $'\xef\xbf\xbd\|?\{3\}' "$T/err.utf8"; then
		ok "LANG=$loc: an error with strerror's text decodes as $cs"
	else
		not_ok "LANG=$loc: an error with strerror's text decodes as $cs" "$(show)" \
			"$(iconv -f "$cs" -t UTF-8 "$err" 2>&1)"
	fi
}
legacy ja_JP.eucjp EUC-JP
legacy ja_JP.sjis CP932

finish
