#!/bin/sh
# bench/merge.sh: how long `mamori --merge` takes to combine N department
# files (default 100) of a full session: every item of the content answered,
# about a third with a note, some with an owner and a due date (issue 13:
# under 100 ms for 100).  Prints the inputs' total size and the best of 7
# runs of the whole command (content included), wall-clock and CPU time,
# for --into and for --show, and, for scale, --show of one input: the
# difference is what the merge itself costs.
# A measurement, not a test: run it by hand from a build directory,
#   sh ../bench/merge.sh [N]
# with MAMORI (default ./mamori) and MAMORI_CONTENT (default ../content).
set -eu
N=${1:-100}
MAMORI=${MAMORI:-./mamori}
CONTENT=${MAMORI_CONTENT:-$(dirname "$0")/../content}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
# HOME and XDG_DATA_HOME in the temp dir: nothing of the user's is read or made.
export HOME="$T" XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"

# The content's item ids: "[ ] ID text" lines; the 自社診断's are diag-*.
grep -h '^\[ \] ' "$CONTENT"/*.txt | awk '{ print $3 }' >"$T/ids"
mkdir "$T/in"
awk -v n="$N" -v dir="$T/in" '
	{ ids[++nid] = $1 }
	END {
		srand(13)
		split("yes partly no unknown", q, " ")
		split("done done todo na", c, " ")
		for (f = 1; f <= n; f++) {
			out = sprintf("%s/dept-%03d.txt", dir, f)
			print "mamori-answers 2" >out
			printf "department 部門%03d\nrespondent 担当%03d\n", f, f >out
			print "started 2026-12-01T09:00:00+09:00" >out
			for (i = 1; i <= nid; i++) {
				st = ids[i] ~ /^diag-/ ? q[int(rand() * 4) + 1] : c[int(rand() * 4) + 1]
				printf "%s %s 2026-12-0%dT10:%02d:00+09:00", ids[i], st, 1 + f % 9, i % 60 >out
				if (rand() < 0.3)
					printf " 部門%03dのメモ：対策の状況を確認した（%d）", f, i >out
				printf "\n" >out
				if (rand() < 0.1)
					printf "  owner 担当者%d\n  due 2027-0%d-15\n", f % 7, 1 + i % 9 >out
			}
			close(out)
		}
	}' "$T/ids"
chmod 600 "$T"/in/*.txt
echo "inputs: $N files, $(wc -l <"$T/ids") items each, $(cat "$T"/in/*.txt | wc -c) bytes in all"

# best MODE FILES...: the best of 7 runs of the command, wall-clock and CPU (user + system)
# time, in ms.  CPU time is what the merge costs; wall time adds the waits (fsync with --into)
# and whatever else the machine is doing.
best() {
	mode=$1
	shift
	python3 - "$MAMORI" "$CONTENT" "$T" "$mode" "$@" <<'EOF'
import os, resource, subprocess, sys, time
mamori, content, tmp, mode, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
args = [mamori, "--content", content, "--merge"] + files
args += ["--into", tmp + "/out.txt"] if mode == "into" else ["--show", "--width", "200"]
walls, cpus = [], []
for _ in range(7):
    try:
        os.unlink(tmp + "/out.txt")
    except FileNotFoundError:
        pass
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t1 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit("mamori failed: " + p.stderr.decode()[:500])
    walls.append((t1 - t0) * 1000)
    cpus.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
print("wall %.1f ms, CPU %.1f ms (best of 7)" % (min(walls), min(cpus)))
EOF
}
echo "--merge of $N files --into: $(best into "$T"/in/*.txt)"
echo "--merge of $N files --show: $(best show "$T"/in/*.txt)"
echo "--merge of 1 file --show (the content and start-up alone): $(best show "$T"/in/dept-001.txt)"
