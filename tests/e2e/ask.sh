#!/bin/bash
# End-to-end checks of the line mode, mamori --ask GROUP|all: answers read
# line by line from a pipe are saved to the session (and --progress scores
# them), with TERM=dumb or no TERM at all; no escape sequence is ever
# written; q stops with what was answered saved; a line that is not an
# answer is told by its number; --dump --with-answers shows what was saved.
# No tmux needed.  Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/ask.sh

. "$(dirname "$0")/lib.sh"
e2e_init ask

T=$E2E_TMP
out=$T/out
err=$T/err

# fresh: a new home for sessions and state (each case starts with no session).
fresh() {
	export XDG_DATA_HOME=$T/data.$1 XDG_STATE_HOME=$T/state.$1
	mkdir -p "$XDG_DATA_HOME" "$XDG_STATE_HOME"
}

# ask INPUT ARG...: mamori --content ... ARG... reading INPUT; status in $rc.
ask() {
	local input=$1
	shift
	printf '%s' "$input" | "$MAMORI" --content "$MAMORI_CONTENT" "$@" >"$out" 2>"$err"
	rc=$?
}

show() {
	echo "exit status: $rc"
	echo "stdout (end):"
	tail -c 1500 "$out"
	echo "stderr:"
	head -c 1500 "$err"
}

# The one session file of this case.
session() { ls "$XDG_DATA_HOME"/mamori/sessions/*.txt; }

# no_esc FILE...: ok when none of the files holds an ESC byte.
no_esc() { ! cat "$@" | grep -q "$ESC"; }

# ------------------------------------------------ 25 questions through a pipe, TERM=dumb

fresh dumb
# An answer for every question, chosen from its number, some with a note;
# the expected score is their points (4, 2, 0, -1): with 25 questions, the IPA score.
input= want_score=0 want_lines=
for n in $(seq 1 25); do
	a=$(((n * 7) % 4 + 1))
	word=(x yes partly no unknown)
	points=(0 4 2 0 -1)
	want_score=$((want_score + ${points[a]}))
	id=$(printf 'diag-%02d' "$n")
	if [ $((n % 5)) = 0 ]; then
		input+="$a メモ$n 担当は総務"$'\n'
		want_lines+="$id ${word[a]} メモ$n 担当は総務"$'\n'
	else
		input+="$a"$'\n'
		want_lines+="$id ${word[a]}"$'\n'
	fi
done
TERM=dumb ask "$input" --ask diagnosis
got_lines=$(grep '^diag-' "$(session)" | sed -E 's/^(diag-[0-9]+) ([a-z]+) [^ ]+ ?/\1 \2 /; s/ $//')
if [ $rc = 0 ] && [ ! -s "$err" ] && [ "$got_lines"$'\n' = "$want_lines" ] &&
	grep -q 'Saved 25 answers (5 with a note)' "$out"; then
	ok "--ask diagnosis, TERM=dumb, through a pipe: all 25 answers and 5 notes saved, exit 0"
else
	not_ok "--ask diagnosis, TERM=dumb, through a pipe: all 25 answers and 5 notes saved, exit 0" \
		"$(show)" "want:" "$want_lines" "got:" "$got_lines"
fi
numbered=0
for n in $(seq 1 25); do
	grep -q "^\[$n/25\] diag-$(printf %02d "$n")\$" "$out" && numbered=$((numbered + 1))
done
same "--ask numbers each question 'N/25' with its id" "$numbered" 25
if no_esc "$out" "$err"; then
	ok "--ask, TERM=dumb: no ESC byte on stdout or stderr"
else
	not_ok "--ask, TERM=dumb: no ESC byte on stdout or stderr" "$(grep -c "$ESC" "$out")"
fi
"$MAMORI" --content "$MAMORI_CONTENT" --progress --format tsv >"$T/tsv" 2>"$err"
got_score=$(awk -F '\t' '$1 == "diagnosis" { print $4 }' "$T/tsv")
same "--progress after --ask: the 自社診断 score is the answers' ($want_score)" "$got_score" "$want_score"
grep -q "自社診断 score: $want_score " "$out" &&
	ok "--ask reports the same score at the end" ||
	not_ok "--ask reports the same score at the end" "$(show)"

# --dump --with-answers shows what was saved, in the answers file's words.
"$MAMORI" --content "$MAMORI_CONTENT" --dump diagnosis-part1 --with-answers >"$T/dump" 2>"$err"
rc=$?
if [ $rc = 0 ] && grep -qE '^    > diag-01 [a-z]+ [0-9T:+-]+Z?' "$T/dump" &&
	grep -q '^    > diag-05 [a-z]* [^ ]* メモ5 担当は総務$' "$T/dump" &&
	[ "$(grep -c '^    > diag-' "$T/dump")" = 5 ]; then
	ok "--dump ID --with-answers: each question's id, state, time and note under it"
else
	not_ok "--dump ID --with-answers: each question's id, state, time and note under it" \
		"$(grep -n '>' "$T/dump" | head)" "$(cat "$err")"
fi

# ------------------------------------------------ TERM unset, checklist words, skip, notes

fresh noterm
env -u TERM bash -c 'printf "done\ntodo 来月までに設定\nna\ns\n2\n" |
	"$MAMORI" --content "$MAMORI_CONTENT" --ask five-articles' >"$out" 2>"$err"
rc=$?
f=$(session)
if [ $rc = 0 ] && grep -q '^art-1 done ' "$f" && grep -q '^art-2 todo [^ ]* 来月までに設定$' "$f" &&
	grep -q '^art-3 na ' "$f" && ! grep -q '^art-4 ' "$f" && grep -q '^art-5 todo ' "$f" &&
	no_esc "$out" "$err"; then
	ok "--ask five-articles, TERM unset: done/todo/na words, a note, s skips; no ESC byte"
else
	not_ok "--ask five-articles, TERM unset: done/todo/na words, a note, s skips; no ESC byte" \
		"$(show)" "$(cat "$f")"
fi

# ------------------------------------------------ q stops; what was answered is kept

fresh quit
TERM=dumb ask $'1\n2\nq\n3\n' --ask diagnosis
f=$(session)
if [ $rc = 0 ] && grep -q '^diag-01 yes ' "$f" && grep -q '^diag-02 partly ' "$f" &&
	! grep -q '^diag-03 ' "$f" && grep -q 'Stopped at question 3 of 25' "$out" &&
	grep -q 'Saved 2 answers' "$out"; then
	ok "--ask: q stops at once; the answers before it are saved, the line after it is not read"
else
	not_ok "--ask: q stops at once; the answers before it are saved" "$(show)" "$(cat "$f")"
fi
# Asked again: the saved answers are shown as they are now, and c clears one.
TERM=dumb ask $'c\n' --ask diagnosis-part1
if [ $rc = 0 ] && grep -q '^Now: in place$' "$out" && ! grep -q '^diag-01 yes' "$(session)"; then
	ok "--ask again shows the saved answer ('Now: in place'); c clears it"
else
	not_ok "--ask again shows the saved answer; c clears it" "$(show)" "$(cat "$(session)")"
fi

# ------------------------------------------------ a line that is not an answer

fresh bad
TERM=dumb ask $'1\n7\n3\n' --ask diagnosis-part1
f=$(session)
if [ $rc = 1 ] && grep -q "^mamori: line 2: '7' is not an answer to diag-02" "$err" &&
	grep -q '^diag-01 yes ' "$f" && ! grep -q '^diag-02 ' "$f" && grep -q '^diag-03 no ' "$f"; then
	ok "--ask from a pipe: a bad line is named by its number, its question skipped, exit 1"
else
	not_ok "--ask from a pipe: a bad line is named by its number, its question skipped, exit 1" \
		"$(show)" "$(cat "$f")"
fi

# The end of the input ends cleanly, with what was answered saved.
fresh eof
TERM=dumb ask $'4\n' --ask diagnosis
if [ $rc = 0 ] && grep -q '^diag-01 unknown ' "$(session)" &&
	grep -q 'The input ended at question 2 of 25' "$out"; then
	ok "--ask: the end of the input ends cleanly (exit 0), the answer given saved"
else
	not_ok "--ask: the end of the input ends cleanly (exit 0), the answer given saved" "$(show)"
fi

# ------------------------------------------------ the session the reader would open

# Two sessions; the reader last used the older one (its resume state says so):
# --ask answers into that one, as the reader would open it.
fresh resume
sd=$XDG_DATA_HOME/mamori/sessions
mkdir -p -m 700 "$XDG_DATA_HOME/mamori" "$sd" "$XDG_STATE_HOME/mamori"
chmod 700 "$XDG_STATE_HOME/mamori"
for s in 2026-01-01 2026-01-02; do
	printf 'mamori-answers 2\n' >"$sd/$s.txt"
	chmod 600 "$sd/$s.txt"
done
printf 'mamori-resume 1\nsession 2026-01-01.txt\n' >"$XDG_STATE_HOME/mamori/resume"
chmod 600 "$XDG_STATE_HOME/mamori/resume"
TERM=dumb ask $'1\n' --ask diagnosis-part1
if [ $rc = 0 ] && grep -q '^diag-01 yes ' "$sd/2026-01-01.txt" && ! grep -q '^diag-01' "$sd/2026-01-02.txt"; then
	ok "--ask answers into the session the reader last used (its resume state), not merely the newest"
else
	not_ok "--ask answers into the session the reader last used" "$(show)" "$(head "$sd"/*)"
fi

# ------------------------------------------------ groups

fresh groups
ask '' --ask nosuch
if [ $rc = 2 ] && grep -q "^mamori: --ask takes all, diagnosis, .* not 'nosuch'" "$err"; then
	ok "--ask nosuch: exit 2, says which groups there are"
else
	not_ok "--ask nosuch: exit 2, says which groups there are" "$(show)"
fi
ask '' --ask all
n_all=$(grep -c '^\[1/' "$out")
total=$(grep -o '^\[1/[0-9]*\]' "$out" | grep -o '[0-9]*\]' | tr -d ']')
want=$("$MAMORI" --content "$MAMORI_CONTENT" --progress --format tsv |
	awk -F '\t' '$1 == "overall" { print $5 }')
if [ "$n_all" = 1 ] && [ -n "$total" ] && [ "$total" -ge 25 ]; then
	ok "--ask all asks every item ($total of them)"
else
	not_ok "--ask all asks every item" "$(show)" "overall applicable: $want"
fi


# ------------------------------------------------ the reader of stdout goes away
# `mamori --ask all | head`: like the other non-interactive modes, a closed
# pipe is the reader's choice, not a failure: exit 0 and nothing on stderr.
# Whether a write meets the closed pipe is a race, so five tries; it used to
# exit 1 with "writing the output failed: Input/output error" in most.
fails=()
for try in 1 2 3 4 5; do
	fresh "pipe$try"
	yes s | head -n 200 | "$MAMORI" --content "$MAMORI_CONTENT" --ask all 2>"$err" | head -c 10 >/dev/null
	st=("${PIPESTATUS[@]}")
	[ "${st[2]}" = 0 ] && [ ! -s "$err" ] || fails+=("try $try: exit ${st[2]}, stderr: $(cat "$err")")
done
if [ ${#fails[@]} = 0 ]; then
	ok "--ask all | head -c 10: exit 0, nothing on stderr (5 tries)"
else
	not_ok "--ask all | head -c 10: exit 0, nothing on stderr (5 tries)" "${fails[@]}"
fi
finish
