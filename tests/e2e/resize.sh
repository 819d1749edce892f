#!/bin/bash
# Resize storm (issue 6, robustness): 2000 resizes of the tmux window to
# random sizes, 1x1 included, with keys in between, while mamori shows a
# page.  Afterwards mamori still answers keys (? shows the help, t the
# contents, q quits with status 0) and its stderr holds no sanitizer
# report.  Best run on the sanitizer build (./configure --enable-sanitizers):
# MAMORI may be either build, MAMORI_ASAN points at an ASan build to use
# instead.  Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/resize.sh
# E2E_RESIZES=N changes the number of resizes; E2E_RESIZE_SEED=N repeats a run.

. "$(dirname "$0")/lib.sh"
e2e_init resize
need_tmux

T=$E2E_TMP
N=${E2E_RESIZES:-2000}
SEED=${E2E_RESIZE_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$SEED
[ -n "${MAMORI_ASAN:-}" ] && MAMORI=$MAMORI_ASAN
if grep -qa __asan_init "$MAMORI"; then
	echo "# $MAMORI is an AddressSanitizer build"
	ASAN=1
else
	echo "# $MAMORI has no AddressSanitizer: only crashes and hangs can show (configure --enable-sanitizers for more)"
	ASAN=0
fi
echo "# $N resizes, seed $SEED (E2E_RESIZE_SEED=$SEED repeats them)"

# recorder and exit_code come from lib.sh.

# mamori's stderr goes to a file (the sanitizers write their reports there);
# what it draws is not kept.
recorder run-mamori
real=$MAMORI
MAMORI="$T/run-mamori"
mm_start_io 80 24 /dev/null "$T/stderr" \
	"ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86" \
	"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1" \
	-- --page principle-1 --answers "$T/answers.txt"
MAMORI=$real
if wait_status '?:ヘルプ'; then
	ok "mamori shows principle-1"
else
	not_ok "mamori shows principle-1" "$(cat "$T/stderr")"
	finish
fi

# Does tmux go down to 1x1?  (tmux 3.3a does; an older one may stop above.)
resize 1 1 2>/dev/null
min=$(pane_fmt '#{pane_width}x#{pane_height}')
if [ "$min" = 1x1 ]; then
	ok "tmux resizes the window to 1x1"
else
	echo "# tmux refuses 1x1: its smallest window here is $min, used instead"
fi

# The storm: tmux commands in batches of 10, joined with \; so that one
# tmux client sends them all, with a few milliseconds between batches so
# that mamori draws at many of the sizes, not only at the last of a burst.  Sizes are random in 1..250 x 1..80, with
# 1x1, one row, one column and the edges of the contents' minimum (40x10)
# among them; keys that scroll and move the focus go in between.
EXTREMES=("1 1" "1 80" "250 1" "2 2" "39 9" "40 10" "41 11" "1 1")
KEYS=(j k Space b g G Tab BTab c)
start_ms=$(_now_ms)
done_n=0
failed_batch=
while [ $done_n -lt "$N" ]; do
	args=()
	for ((i = 0; i < 10 && done_n < N; i++)); do
		if ((RANDOM % 10 == 0)); then
			read -r w h <<<"${EXTREMES[RANDOM % ${#EXTREMES[@]}]}"
		else
			w=$((1 + RANDOM % 250))
			h=$((1 + RANDOM % 80))
		fi
		args+=(resize-window -t "$E2E_SESS" -x "$w" -y "$h" \;)
		if ((RANDOM % 4 == 0)); then
			args+=(send-keys -t "$E2E_SESS" "${KEYS[RANDOM % ${#KEYS[@]}]}" \;)
		fi
		done_n=$((done_n + 1))
	done
	unset 'args[-1]'
	if ! tm "${args[@]}" >"$T/tmux.err" 2>&1; then
		failed_batch="$(cat "$T/tmux.err") (after $done_n resizes)"
		break
	fi
	sleep 0.00$((RANDOM % 5))
done
elapsed=$(($(_now_ms) - start_ms))
if [ -z "$failed_batch" ]; then
	ok "tmux took $N resizes (1x1 included) in $elapsed ms"
else
	not_ok "tmux took $N resizes" "$failed_batch"
fi


# Back to a usable size; mamori must be alive and answering.
resize 80 24
if _has_status run-mamori; then
	not_ok "mamori survived the storm" "exit status $(cat "$T/run-mamori.status")" \
		"$(head -n 40 "$T/stderr")"
	finish
fi
ok "mamori survived the storm"
# Let it catch up with the last resize before asking anything of it.
wait_status '?:ヘルプ' >/dev/null 2>&1
keys '?'
if wait_for 'mamori のキー操作'; then
	ok "after the storm ? shows the help"
else
	not_ok "after the storm ? shows the help"
fi
keys q
keys t
if wait_line 1 '目次'; then
	ok "after the storm q closes the help and t opens the contents"
else
	not_ok "after the storm q closes the help and t opens the contents"
fi
# The contents was opened from the page (--page): q goes back to it, q again quits.
keys q
wait_gone '目次' >/dev/null 2>&1
keys q
st=$(exit_code run-mamori)
if [ "$st" = 0 ]; then
	ok "q quits with status 0"
else
	not_ok "q quits with status 0 (got '${st:-still running}')" "$(head -n 40 "$T/stderr")"
fi

# Nothing from the sanitizers (or anything else) on stderr.
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: [A-Za-z]*Sanitizer' "$T/stderr"; then
	not_ok "no sanitizer report on mamori's stderr" "$(head -n 60 "$T/stderr")"
else
	if [ $ASAN = 1 ]; then
		ok "no sanitizer report on mamori's stderr ($(wc -c <"$T/stderr") bytes of stderr)"
	else
		ok "nothing alarming on mamori's stderr (not an ASan build: memory errors cannot show)"
	fi
fi

finish
