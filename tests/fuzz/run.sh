#!/bin/bash
# Build mamori's libFuzzer targets (tests/fuzz/fuzz_*.c) with clang and run
# each for SECONDS (default 60); fail on any crash, leak, timeout or
# out-of-memory.  One summary line per target.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     e.g. run.sh 60, run.sh 600 fuzz_doc
#   make fuzz-quick (36 s each, what CI runs), make fuzz (600 s each)
#
# The core sources are compiled here with the fuzzer's instrumentation
# (libmamori_core.a has none).  Environment:
#   BUILDDIR   a configured build directory: its config.h is used (else a
#              minimal one is written); default: the source tree, then .
#   FUZZ_OUT   where objects, corpora, logs and crash files go
#              (default: $BUILDDIR/fuzz-out); corpora grow across runs
#   FUZZ_CC    the compiler (default: clang, else clang-14)
#   FUZZ_JOBS  targets run at once (default 1)
#   FUZZ_CFLAGS more compiler flags, e.g. -fno-sanitize=nonnull-attribute
#              to fuzz on past a known bug
# Needs clang and its libFuzzer runtime (Debian: clang libclang-rt-14-dev)
# and libunistring-dev.  To replay a crash: $FUZZ_OUT/bin/fuzz_X CRASH-FILE.
set -u

SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
case $SECONDS_EACH in
'' | *[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

if [ -z "${BUILDDIR:-}" ]; then
	if [ -f "$SRCDIR/config.h" ]; then BUILDDIR=$SRCDIR; else BUILDDIR=$PWD; fi
fi
OUT=${FUZZ_OUT:-$BUILDDIR/fuzz-out}
JOBS=${FUZZ_JOBS:-1}

if [ -z "${FUZZ_CC:-}" ]; then
	FUZZ_CC=$(command -v clang || command -v clang-14 || true)
fi
if [ -z "$FUZZ_CC" ]; then
	echo "run.sh: clang was not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi

TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
	for f in "$SRCDIR"/tests/fuzz/fuzz_*.c; do
		TARGETS+=("$(basename "$f" .c)")
	done
fi

mkdir -p "$OUT/obj" "$OUT/bin" "$OUT/logs" "$OUT/include" || exit 1

# --- build --------------------------------------------------------------------

if [ -f "$BUILDDIR/config.h" ]; then
	CONFIG_DIR=$BUILDDIR
else
	# What configure would have found on a glibc system with libunistring.
	cat >"$OUT/include/config.h" <<'EOF'
/* Written by tests/fuzz/run.sh: no configured build directory was given. */
#define _GNU_SOURCE 1
#define HAVE_UNILBRK_H 1
#define PACKAGE_VERSION "fuzz"
EOF
	CONFIG_DIR=$OUT/include
fi

CFLAGS_COMMON=(-g -O1 -std=c11 -fno-omit-frame-pointer -fno-sanitize-recover=all
	-I"$CONFIG_DIR" -I"$SRCDIR/src" -DFUZZ_CONTENT_DIR="\"$SRCDIR/content\""
	-DMAMORI_PKGDATADIR="\"$OUT/share\"" -DMAMORI_BUILDDIR="\"$BUILDDIR\""
	-DMAMORI_SRCDIR="\"$SRCDIR\"")
read -r -a CFLAGS_EXTRA <<<"${FUZZ_CFLAGS:-}"
SAN=address,undefined
# Every core module, as libmamori_core.a has them (no curses, no main).
CORE=()
for f in "$SRCDIR"/src/core/*.c; do
	CORE+=("$(basename "$f" .c)")
done

build() {
	local objs=() f t
	# Make sure the compiler has the libFuzzer runtime before blaming the code.
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
		>"$OUT/obj/probe.c"
	if ! "$FUZZ_CC" -fsanitize=fuzzer "$OUT/obj/probe.c" -o "$OUT/obj/probe" 2>"$OUT/logs/probe.log"; then
		echo "run.sh: $FUZZ_CC cannot link -fsanitize=fuzzer (Debian: apt-get install libclang-rt-14-dev):" >&2
		sed 's/^/  /' "$OUT/logs/probe.log" >&2
		return 1
	fi
	for f in "${CORE[@]}"; do
		"$FUZZ_CC" "${CFLAGS_COMMON[@]}" -fsanitize=fuzzer-no-link,$SAN "${CFLAGS_EXTRA[@]}" \
			-c "$SRCDIR/src/core/$f.c" -o "$OUT/obj/$f.o" || return 1
		objs+=("$OUT/obj/$f.o")
	done
	for t in "${TARGETS[@]}"; do
		[ -n "$t" ] || continue
		if [ ! -f "$SRCDIR/tests/fuzz/$t.c" ]; then
			echo "run.sh: no target $t (tests/fuzz/$t.c)" >&2
			return 1
		fi
		"$FUZZ_CC" "${CFLAGS_COMMON[@]}" -Wall -Wextra -fsanitize=fuzzer,$SAN "${CFLAGS_EXTRA[@]}" \
			"$SRCDIR/tests/fuzz/$t.c" "${objs[@]}" -lunistring -o "$OUT/bin/$t" || return 1
	done
}

echo "run.sh: building with $FUZZ_CC into $OUT"
build || { echo "run.sh: the build failed" >&2; exit 1; }

# --- seeds --------------------------------------------------------------------

# seed_prefixed DIR BYTES...: content chunks (40 lines each) with a prefix
# of octal BYTES (printf escapes) each, for targets whose first bytes are
# parameters.
seed_prefixed() {
	local dir=$1 f p i=0
	shift
	mkdir -p "$dir"
	for f in "$SRCDIR"/content/*.txt; do
		rm -f "$OUT/obj/chunk."*
		split -l 40 "$f" "$OUT/obj/chunk."
		for c in "$OUT/obj/chunk."*; do
			for p in "$@"; do
				i=$((i + 1))
				# shellcheck disable=SC2059 # $p is made of printf escapes
				{ printf "$p"; head -c 3000 "$c"; } >"$dir/seed-$i"
			done
		done
	done
	rm -f "$OUT/obj/chunk."*
}

# The content: whole chapters, and each page on its own (small inputs run faster).
if [ ! -d "$OUT/seeds/doc" ]; then
	mkdir -p "$OUT/seeds/doc"
	for f in "$SRCDIR"/content/*.txt; do
		b=$(basename "$f" .txt)
		head -c 8192 "$f" >"$OUT/seeds/doc/$b"
		awk -v out="$OUT/seeds/doc/$b-page" '
			/^@chapter / { chapter = $0; next }
			/^@page / { if (file) close(file); n++; file = out n; print chapter > file }
			n { print >> file }' "$f"
	done
fi
SEEDS_DOC=("$OUT/seeds/doc" "$SRCDIR/tests/fuzz/corpus-doc")
# Hand-made hostile content (tests/data/hostile/...), read recursively.
[ -d "$SRCDIR/tests/data" ] && SEEDS_DOC+=("$SRCDIR/tests/data")
SEEDS_ANSWERS=("$SRCDIR/tests/fuzz/corpus-answers")
[ -d "$SRCDIR/tests/data/answers" ] && SEEDS_ANSWERS+=("$SRCDIR/tests/data/answers")
if [ ! -d "$OUT/seeds/layout" ]; then
	# Widths 1, 2, 20, 40, 80, 300 (the first two bytes, little-endian, are width - 1).
	seed_prefixed "$OUT/seeds/layout" '\000\000' '\001\000' '\023\000' '\047\000' '\117\000' '\053\001'
fi
if [ ! -d "$OUT/seeds/charset" ]; then
	# Locale 0-2 (UTF-8, EUC-JP, Shift_JIS), ambiguous narrow and wide.
	seed_prefixed "$OUT/seeds/charset" '\000' '\001' '\002' '\004' '\005' '\006'
fi

# --- run ------------------------------------------------------------------------

# run_target NAME: run it; writes $OUT/logs/NAME.log and NAME.summary.
run_target() {
	local t=$1 corpus=$OUT/corpus/$1 art=$OUT/artifacts/$1/ log=$OUT/logs/$1.log
	local seeds=() opts=() rc
	mkdir -p "$corpus" "$art"
	case $t in
	fuzz_doc) seeds=("${SEEDS_DOC[@]}"); opts=(-dict="$SRCDIR/tests/fuzz/doc.dict" -max_len=8192) ;;
	fuzz_answers) seeds=("${SEEDS_ANSWERS[@]}"); opts=(-dict="$SRCDIR/tests/fuzz/answers.dict" -max_len=8192) ;;
	fuzz_layout) seeds=("$OUT/seeds/layout"); opts=(-max_len=4096) ;;
	fuzz_charset) seeds=("$OUT/seeds/charset" "$SRCDIR/tests/fuzz/corpus-charset"); opts=(-max_len=4096) ;;
	esac
	FUZZ_CONTENT="$SRCDIR/content" \
	ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}" \
		"$OUT/bin/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art" "${opts[@]}" \
		"$corpus" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	summarise "$t" "$rc" "$log" >"$OUT/logs/$t.summary"
	return $rc
}

# summarise NAME RC LOG: one line, e.g.
#   fuzz_doc: ok, 812345 execs in 60 s, cov 2345, ft 6789, corpus 412
# (cov: code edges reached; ft: libFuzzer's features; corpus: inputs kept).
summarise() {
	local t=$1 rc=$2 log=$3 execs cov ft corp what art secs
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(grep -aoE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
	cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
	ft=$(grep -aoE 'ft: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
	corp=$(grep -aoE 'corp: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
	if [ "$rc" = 0 ]; then
		what=ok
	elif grep -aq 'ERROR: LeakSanitizer' "$log"; then
		what=LEAK
	elif grep -aq 'ERROR: libFuzzer: timeout' "$log"; then
		what=TIMEOUT
	elif grep -aqE 'ERROR: libFuzzer: (out-of-memory|malloc)' "$log"; then
		what=OOM
	elif grep -aq 'runtime error:' "$log"; then
		what="CRASH (undefined behaviour)"
	elif grep -aq 'ERROR: AddressSanitizer' "$log"; then
		what="CRASH ($(grep -aoE 'ERROR: AddressSanitizer: [a-z-]+' "$log" | head -n 1 | cut -d' ' -f3))"
	elif grep -aq "^$t: " "$log"; then
		what="FAILED CHECK ($(grep -a "^$t: " "$log" | head -n 1 | cut -c1-100))"
	else
		what="FAILED (exit $rc)"
	fi
	art=$(sed -n 's/.*Test unit written to //p' "$log" | head -n 1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	printf '%s: %s, %s execs in %s s, cov %s, ft %s, corpus %s%s\n' "$t" "$what" "${execs:-?}" \
		"${secs:-<$SECONDS_EACH}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${art:+; input: $art}"
}

status=0
running=0
for t in "${TARGETS[@]}"; do
	[ -n "$t" ] || continue
	echo "run.sh: $t for $SECONDS_EACH s (log: $OUT/logs/$t.log)"
	if [ "$JOBS" -gt 1 ]; then
		run_target "$t" &
		running=$((running + 1))
		if [ "$running" -ge "$JOBS" ]; then
			wait -n || status=1
			running=$((running - 1))
		fi
	else
		run_target "$t" || status=1
	fi
done
while [ "$running" -gt 0 ]; do
	wait -n || status=1
	running=$((running - 1))
done

echo "--- fuzzing summary ($SECONDS_EACH s per target) ---"
for t in "${TARGETS[@]}"; do
	[ -n "$t" ] || continue
	cat "$OUT/logs/$t.summary"
	if ! grep -q ': ok,' "$OUT/logs/$t.summary"; then
		status=1
		echo "--- $t: the end of its log ---"
		grep -avE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|INITED)' "$OUT/logs/$t.log" | tail -n 40
	fi
done
exit $status
