#!/bin/sh
# bench/answers_load.sh: how long mamori takes to open an answers file of
# N lines (default 80000, about 1.3 MB as in the issue) whose ids the content does not know (issue 10:
# a linear scan per line made 80,000 lines take 25 s).  Prints the file's
# size and the best of 3 wall-clock times of `mamori --progress --answers`.
# A measurement, not a test: run it by hand from a build directory,
#   sh ../bench/answers_load.sh [N]
# with MAMORI (default ./mamori) and MAMORI_CONTENT (default ../content).
set -eu
N=${1:-80000}
MAMORI=${MAMORI:-./mamori}
CONTENT=${MAMORI_CONTENT:-$(dirname "$0")/../content}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
# HOME and XDG_DATA_HOME in the temp dir: nothing of the user's is read or made.
export HOME="$T" XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
awk -v n="$N" 'BEGIN {
	print "mamori-answers 1"
	for (i = 1; i <= n; i++)
		printf "unk-%05d done -\n", i
}' >"$T/answers.txt"
chmod 600 "$T/answers.txt"
best=
for run in 1 2 3; do
	start=$(date +%s.%N)
	"$MAMORI" --content "$CONTENT" --progress --answers "$T/answers.txt" >/dev/null 2>"$T/err" ||
		{ echo "mamori failed:"; head -5 "$T/err"; exit 1; }
	end=$(date +%s.%N)
	t=$(echo "$end $start" | awk '{ printf "%.3f", $1 - $2 }')
	if [ -z "$best" ] || [ "$(echo "$t $best" | awk '{ print ($1 < $2) }')" = 1 ]; then
		best=$t
	fi
done
size=$(wc -c <"$T/answers.txt")
warned=$(grep -c 'unknown item id' "$T/err" || true)
echo "answers file: $N unknown-id lines, $size bytes ($warned reported as unknown)"
echo "open + --progress: best of 3: $best s"
