#!/bin/bash
# mamori under valgrind (issue 6, robustness): a scripted session of the
# full-screen reader in tmux (a page, tick an item, the contents, a page
# from there, the dashboard P, the help ?, quit), then --dump all,
# --progress, --check-content (clean and broken content).  Any memory
# error, and any definite or indirect leak, fails the test (valgrind exits
# 99).  Skipped when valgrind is not installed, or when MAMORI is an
# AddressSanitizer build (valgrind cannot run one: use the normal build).
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/valgrind.sh

. "$(dirname "$0")/lib.sh"
e2e_init valgrind

command -v valgrind >/dev/null 2>&1 || skip_all "valgrind missing"
if grep -qa __asan_init "$MAMORI"; then
	skip_all "valgrind cannot run an AddressSanitizer build ($MAMORI): run this test on the normal build"
fi

T=$E2E_TMP
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99
	--track-fds=no --num-callers=30)

# vg_check DESC LOG STATUS WANT: the run ended with WANT (99 is valgrind's
# own status for an error or a leak) and its log reports nothing.
vg_check() {
	local desc=$1 log=$2 st=$3 want=$4
	if [ "$st" = "$want" ] && ! grep -qE '^==[0-9]+== [^ ]' "$log"; then
		ok "valgrind: $desc: status $st, no memory error, no definite or indirect leak"
	else
		not_ok "valgrind: $desc: status $st (want $want), no memory error, no leak" \
			"$(grep -E '^==[0-9]+==' "$log" | head -n 60)"
	fi
}

# --- the full-screen reader, in tmux -------------------------------------------

need_tmux
# Everything is slower under valgrind: a generous bound for each wait.
E2E_TIMEOUT_MS=${E2E_VALGRIND_TIMEOUT_MS:-20000}
# recorder and exit_code come from lib.sh.
recorder vg-mamori "${VG[@]}" --log-file="$T/vg-ui.log"
real=$MAMORI
MAMORI="$T/vg-mamori"
mm_start 80 24 -- --page principle-1 --answers "$T/answers.txt"
MAMORI=$real


steps_ok=1
step() {
	# step DESC CMD...: one step of the session; the first failure is reported.
	local desc=$1
	shift
	[ $steps_ok = 1 ] || return 1
	if ! "$@"; then
		steps_ok=0
		not_ok "valgrind session: $desc" "$(dump_screen)"
		return 1
	fi
}
step "principle-1 is shown" wait_status '?:ヘルプ'
step "c focuses the first item" press c
step "Space ticks it ([x])" eval 'keys Space && wait_for "[x]"'
step "t opens the contents" eval 'keys t && wait_line 1 "目次"'
step "Enter opens a page" eval 'press j && keys Enter && wait_gone "目次"'
step "P opens the dashboard" press P
step "q closes the dashboard" press q
step "? opens the help" eval 'keys "?" && wait_for "mamori のキー操作"'
step "q closes the help" eval 'keys q && wait_gone "mamori のキー操作"'
pid=$(pane_pid)
step "q quits" keys q
t0=$(_now_ms)
st=$(exit_code vg-mamori)
[ $steps_ok = 1 ] && ok "valgrind session: page, tick, contents, page, dashboard, help, quit"
if [ -z "$st" ]; then
	not_ok "valgrind session: mamori exits after q (still running after $(($(_now_ms) - t0)) ms)" \
		"$(ps -o pid=,stat=,wchan=,args= --ppid "$pid" -p "$pid" 2>&1)" "$(dump_screen)"
else
	vg_check "the reader session" "$T/vg-ui.log" "$st" 0
fi
if grep -q '^p1-1 done ' "$T/answers.txt" 2>/dev/null; then
	ok "valgrind session: the tick was saved (p1-1 done)"
else
	not_ok "valgrind session: the tick was saved (p1-1 done)" "$(cat "$T/answers.txt" 2>&1)"
fi

# --- the non-interactive modes ------------------------------------------------

"${VG[@]}" --log-file="$T/vg-dump.log" "$MAMORI" --content "$MAMORI_CONTENT" --dump all --width 80 \
	>"$T/dump.out" 2>&1
vg_check "--dump all" "$T/vg-dump.log" $? 0

"${VG[@]}" --log-file="$T/vg-progress.log" "$MAMORI" --content "$MAMORI_CONTENT" --progress \
	--answers "$T/answers.txt" >"$T/progress.out" 2>&1
vg_check "--progress --answers" "$T/vg-progress.log" $? 0

# A file an editor saved without a final newline: the header is the last line.
printf 'mamori-answers 1' >"$T/no-newline.txt"
"${VG[@]}" --log-file="$T/vg-nonl.log" "$MAMORI" --content "$MAMORI_CONTENT" --progress \
	--answers "$T/no-newline.txt" >"$T/nonl.out" 2>&1
vg_check "--progress on an answers file with no final newline" "$T/vg-nonl.log" $? 0

"${VG[@]}" --log-file="$T/vg-check.log" "$MAMORI" --check-content "$MAMORI_CONTENT" \
	>"$T/check.out" 2>&1
vg_check "--check-content" "$T/vg-check.log" $? 0

# Broken content: the error paths free what they made too (status 1: problems found).
mkdir -p "$T/bad"
cp "$MAMORI_CONTENT"/*.txt "$T/bad/"
printf '@chapter 壊れた章\n@page intro 重複したページ\n=> nowhere 行き先なし\n@group g1 nokind\n[ ] p1-1 重複した項目 [^9]\n@aside 閉じていない\n| a | b |\n| c |\n\001\377\n' \
	>"$T/bad/99-broken.txt"
"${VG[@]}" --log-file="$T/vg-bad.log" "$MAMORI" --check-content "$T/bad" >"$T/bad.out" 2>&1
vg_check "--check-content on broken content" "$T/vg-bad.log" $? 1

finish
