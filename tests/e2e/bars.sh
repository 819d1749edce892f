#!/bin/bash
# End-to-end checks that the bars mean what they say (issue 14), driven in
# tmux at 80x24 with fixture sessions for each case that was shown wrong:
# - Part3 answered 実施していない seven times: its bar is its points (0 of
#   28), the answered count (7/7) beside it, never a full bar;
# - only the 基本方針 ticked, the 25 questions open: 二つ星 is 1 of 26
#   conditions, nowhere 100% (the dashboard, and the contents' summary and
#   the 二つ星 page's bar);
# - nothing answered: the score says 未回答, not the lowest band;
# - all 実施している and every item done: 100 everywhere;
# - 5か条 art-1 ticked while No.1 says 実施していない: a warning on top of
#   the dashboard, and No.1 in the list of what to improve.
# The contents shows the summary bars and the Enter hint on its first screen.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/bars.sh

. "$(dirname "$0")/lib.sh"
e2e_init bars
need_tmux
need_python3

T=$E2E_TMP

# fixture NAME LINE...: an answers file of "id state" lines.
fixture() {
	local f="$T/$1.txt"
	shift
	printf 'mamori-answers 1\n' >"$f"
	local l
	for l in "$@"; do printf '%s -\n' "$l" >>"$f"; done
	chmod 600 "$f" # (else mamori narrows it and says so over the hint line)
}

# Every item id of the content, from its checklist lines ("[ ] id text").
ALL=()
while read -r id; do ALL+=("$id"); done < <(sed -nE 's/^\[ \] ([A-Za-z0-9_.-]+) .*/\1/p' \
	"$MAMORI_CONTENT"/*.txt | sort -u)
[ ${#ALL[@]} -gt 25 ] || bail_out "cannot list the content's items (${#ALL[@]})"

fixture part3 "diag-19 no" "diag-20 no" "diag-21 no" "diag-22 no" "diag-23 no" "diag-24 no" \
	"diag-25 no"
fixture policy "sa2-policy done"
fixture empty
lines=()
for id in "${ALL[@]}"; do
	case $id in
	diag-*) lines+=("$id yes") ;;
	*) lines+=("$id done") ;;
	esac
done
fixture allyes "${lines[@]}"
fixture conflict "art-1 done" "diag-01 no" "diag-02 yes"

# dash NAME: the dashboard of fixture NAME at 80x24.
dash() {
	mm_start 80 24 -- --answers "$T/$1.txt"
	wait_for '目次' || return 1
	keys P
	wait_line 1 '進捗ダッシュボード'
}

# scroll_find TEXT: j on the dashboard until TEXT shows (bounded).
scroll_find() {
	local i
	for i in $(seq 1 60); do
		_has_fixed "$1" && return 0
		keys j
		sleep 0.02
	done
	_has_fixed "$1"
}

# --- Part3: 0 of 28 points, 7/7 answered --------------------------------------
if dash part3 && wait_for_re 'Part3 組織としての対策 \(回答 7/7\) +\[-+\] +0/28pt'; then
	ok "Part3 with seven 実施していない: 0/28pt beside (回答 7/7), an empty bar"
else
	not_ok "Part3 with seven 実施していない: 0/28pt beside (回答 7/7)" "$(screen)"
fi
if screen | grep -F 'Part3' | grep -qE '\[#+\]|100%'; then
	not_ok "Part3's row has no full bar and no 100%" "$(screen | grep -F Part3)"
else
	ok "Part3's row has no full bar and no 100%"
fi
if scroll_find '実施していない: No.19' && wait_for '改善すること'; then
	ok "the dashboard lists No.19 under 改善すること (what to improve)"
else
	not_ok "the dashboard lists No.19 under 改善すること" "$(screen)"
fi

# --- Only the policy: 二つ星 1/26, never 100% ---------------------------------
if dash policy && scroll_find '二つ星: まだ足りないものがあります' &&
	wait_for_re '二つ星: まだ足りないものがあります +\[-+\] +3% +1/26'; then
	ok "policy only, 25 open: 二つ星 shows 3% 1/26 on the dashboard"
else
	not_ok "policy only: 二つ星 3% 1/26 on the dashboard" "$(screen)"
fi
keys q
on_contents() { _line_has 1 '目次'; }
if _poll on_contents && wait_for_re '二つ星 +\[-+\] +3% +1/26'; then
	ok "policy only: the contents' summary shows 二つ星 3% 1/26"
else
	not_ok "policy only: the contents' summary shows 二つ星 3% 1/26" "$(screen)"
fi

# The contents at 80x24: the summary bars and the Enter hint on the first screen.
scr=$(screen)
for want in '3原則' '重要7項目' '一つ星 (5か条)' '二つ星' '自社診断の得点 (回答 0/25)'; do
	if printf '%s\n' "$scr" | sed -n '2,5p' | grep -qF -- "$want"; then
		ok "contents' first screen, summary: $want"
	else
		not_ok "contents' first screen, summary: $want" "$scr"
	fi
done
if printf '%s\n' "$scr" | sed -n '23p' | grep -qF 'Enter:選んだページを開く'; then
	ok "contents' first screen: the line above the status says what Enter does"
else
	not_ok "contents' first screen: an Enter hint above the status line" "$scr"
fi
# No line is wider than the terminal (the summary's two columns fit in 80).
wide=$(printf '%s\n' "$scr" | "$PYTHON" -c '
import sys, unicodedata
for l in sys.stdin.read().splitlines():
    if sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l) > 80:
        print(l)')
[ -z "$wide" ] && ok "contents: no line wider than 80 columns" ||
	not_ok "contents: a line wider than 80 columns" "$wide"

# --- Nothing answered: 未回答, not the lowest band ------------------------------
if dash empty && scroll_find '得点: 未回答' && wait_for_re '得点: 未回答.*-/100pt'; then
	ok "nothing answered: 得点: 未回答 and -/100pt"
else
	not_ok "nothing answered: 得点: 未回答 and -/100pt" "$(screen)"
fi
if scroll_find 'SECURITY ACTION' && ! _has_fixed '事故がいつ起きても不思議ではない'; then
	ok "nothing answered: the lowest band is not shown"
else
	not_ok "nothing answered: the lowest band is not shown" "$(screen)"
fi

# --- Everything 実施している and done: 100 ---------------------------------------
if dash allyes && scroll_find '得点: 入門レベル' &&
	wait_for_re '得点: 入門レベルのセキュリティ対策は達成.*100/100pt'; then
	ok "all yes: 得点 100/100pt, 入門レベルのセキュリティ対策は達成"
else
	not_ok "all yes: 得点 100/100pt" "$(screen)"
fi
if scroll_find '二つ星: 宣言の準備ができています' &&
	wait_for_re '二つ星: 宣言の準備ができています +\[#+\] 100% +26/26' && ! _has_fixed '改善すること'; then
	ok "all yes: 二つ星 100% 26/26, nothing to improve"
else
	not_ok "all yes: 二つ星 100% 26/26, nothing to improve" "$(screen)"
fi

# --- art-1 done, No.1 実施していない: a warning on top ----------------------------
if dash conflict && wait_line 4 '要確認: 5か条の1つ目は済なのに、自社診断 No.1 は「実施していない」'; then
	ok "art-1 done, No.1 実施していない: the warning is the dashboard's first row"
else
	not_ok "art-1 done, No.1 実施していない: a warning on top" "$(screen)"
fi
# Enter on it opens the question's page.
keys Enter
if wait_for 'Part1 基本的対策' && wait_gone '進捗ダッシュボード'; then
	ok "Enter on the warning opens the page of No.1"
else
	not_ok "Enter on the warning opens the page of No.1" "$(screen)"
fi

finish
