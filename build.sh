#!/bin/sh
# build.sh: set up, build, and start mamori or run its tests, on Debian or Ubuntu.
#   sh build.sh run [MAMORI OPTIONS]   install what is missing, build, start mamori
#   sh build.sh test                   install what is missing, build, run every test:
#                                      make check, make check again under ASan/UBSan,
#                                      and 36 s of fuzzing per target
# It installs only missing Debian packages (apt-get, as root or through sudo),
# and builds out of the source tree, in _build/ (normal) and _build/san/.
# MAMORI_TEST_QUICK=1 skips the sanitizer pass and the fuzzing, for a quick
# local run; CI runs everything.
set -eu
cd "$(dirname "$0")"
SRC=$(pwd)
JOBS=$(nproc 2>/dev/null || echo 2)

BUILD_DEPS="gcc make autoconf automake autopoint gettext pkg-config libncurses-dev check libunistring-dev"
# chromium-headless-shell, fonts-noto-cjk and poppler-utils: the HTML report in a real browser (tests/e2e/report_html.sh).
# dpkg-dev, debhelper, fakeroot, lintian and bash-completion: the Debian package and the shell
# completion (tests/e2e/package.sh, tests/e2e/completion.sh); zsh: its zsh completion, run for real.
PACKAGE_DEPS="dpkg-dev debhelper fakeroot lintian bash-completion"
TEST_DEPS="tmux locales python3 valgrind strace openssh-server openssh-client clang libclang-rt-14-dev
	chromium-headless-shell fonts-noto-cjk poppler-utils zsh"

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "build.sh: need root or sudo to run: $*" >&2
		exit 1
	fi
}

install_missing() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "build.sh: installing$missing"
	as_root apt-get -o DPkg::Lock::Timeout=300 update -qq
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
		install -y -qq --no-install-recommends $missing >/dev/null
}

# The terminal tests run under Japanese legacy locales; a fresh machine has none.
make_test_locales() {
	locale -a 2>/dev/null | grep -qi '^ja_JP.eucjp$' ||
		as_root localedef -i ja_JP -f EUC-JP ja_JP.EUC-JP
	locale -a 2>/dev/null | grep -qi '^ja_JP.sjis$' ||
		as_root localedef -i ja_JP -f SHIFT_JIS --no-warnings=ascii ja_JP.SJIS
}

# build DIR [CONFIGURE FLAGS]: configure (once) and build in DIR, out of the source tree.
build() {
	dir=$1
	shift
	if [ -f "$SRC/config.status" ]; then
		# An in-place build blocks builds in other directories (automake refuses them).
		echo "build.sh: the source tree was configured in place; cleaning it (make distclean)"
		make -C "$SRC" distclean >/dev/null
	fi
	[ -x "$SRC/configure" ] || (cd "$SRC" && autoreconf -fi)
	mkdir -p "$dir"
	[ -f "$dir/Makefile" ] || (cd "$dir" && "$SRC/configure" -q "$@")
	make -C "$dir" -j"$JOBS" >/dev/null
}

# check DIR LABEL: make check in DIR; on failure print the failing logs.
check() {
	dir=$1
	label=$2
	if make -C "$dir" -j"$JOBS" check >"$dir/check.out" 2>&1; then
		grep -E '^(PASS|SKIP|XFAIL):' "$dir/check.out" | sed "s/^/$label: /"
		return 0
	fi
	grep -E '^(PASS|FAIL|SKIP|ERROR|XFAIL|XPASS):' "$dir/check.out" | sed "s/^/$label: /"
	[ -f "$dir/test-suite.log" ] && cat "$dir/test-suite.log"
	return 1
}

case "${1:-run}" in
run)
	[ $# -gt 0 ] && shift
	install_missing $BUILD_DEPS
	build "$SRC/_build"
	exec "$SRC/_build/mamori" "$@"
	;;
test)
	install_missing $BUILD_DEPS $TEST_DEPS $PACKAGE_DEPS
	make_test_locales
	status=0
	# Each phase says how long it took (CI has a time budget: README, Tests).
	t0=$(date +%s)
	build "$SRC/_build"
	check "$SRC/_build" check || status=1
	echo "build and check: $(($(date +%s) - t0)) s"
	if [ "${MAMORI_TEST_QUICK:-0}" != 1 ]; then
		# The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer.
		t0=$(date +%s)
		build "$SRC/_build/san" --enable-sanitizers
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			check "$SRC/_build/san" "check (ASan+UBSan)" || status=1
		echo "build and check (ASan+UBSan): $(($(date +%s) - t0)) s"
		# Each libFuzzer target for 36 s, two at a time.
		t0=$(date +%s)
		if FUZZ_JOBS=2 make -C "$SRC/_build" fuzz-quick >"$SRC/_build/fuzz.out" 2>&1; then
			grep -E '^fuzz_' "$SRC/_build/fuzz.out" || true
		else
			cat "$SRC/_build/fuzz.out"
			status=1
		fi
		echo "fuzzing: $(($(date +%s) - t0)) s"
	fi
	# The Debian package: built from the tree (its build runs only the quicker Check runner:
	# every test ran twice above; CI time), linted, unpacked and, as root, installed, run and purged.
	# The .deb and lintian's output are kept in _build/deb/.
	mkdir -p "$SRC/_build/tests/e2e"
	pkg_start=$(date +%s)
	MAMORI="$SRC/_build/mamori" MAMORI_CONTENT="$SRC/content" TESTS_SRCDIR="$SRC/tests" JOBS=$JOBS \
		MAMORI_DEB_TESTS="tests/check_mamori" \
		MAMORI_PACKAGE_KEEP="$SRC/_build/deb" \
		bash "$SRC/tests/e2e/package.sh" >"$SRC/_build/tests/e2e/package.sh.log" 2>&1 && pkg_rc=0 || pkg_rc=$?
	if [ "$pkg_rc" = 0 ] || [ "$pkg_rc" = 77 ]; then
		grep -E '^(# lintian: [EWI]:|SKIP)' "$SRC/_build/tests/e2e/package.sh.log" || true
	else
		cat "$SRC/_build/tests/e2e/package.sh.log"
		status=1
	fi
	echo "package: $(($(date +%s) - pkg_start)) s"
	# The per-script summaries, then Check's own line last: automake's harness
	# keeps them in the logs, and CI reads the closing line.
	for log in "$SRC"/_build/tests/e2e/*.log; do
		[ -f "$log" ] && printf '%s: %s\n' "$(basename "${log%.log}")" \
			"$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
	done
	# The two Check runners' lines added up, in Check's own words.
	cat "$SRC/_build/tests/check_mamori.log" "$SRC/_build/tests/check_mamori_slow.log" 2>/dev/null |
		sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\)$/\1 \2 \3/p' |
		awk '{ n += $1; f += $2; e += $3 } END { if (n) printf "%d%%: Checks: %d, Failures: %d, Errors: %d\n", int(100 * (n - f - e) / n), n, f, e }'
	exit "$status"
	;;
*)
	echo "usage: sh build.sh run [OPTIONS] | sh build.sh test" >&2
	exit 2
	;;
esac
