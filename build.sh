#!/bin/sh
# build.sh: set up, build, and start mamori or run its tests, on Debian or Ubuntu.
#   sh build.sh run [MAMORI OPTIONS]   install what is missing, build, start mamori
#   sh build.sh test                   install what is missing, build, run every test
# It installs only missing Debian packages (apt-get, as root or through sudo).
set -eu
cd "$(dirname "$0")"

BUILD_DEPS="gcc make autoconf automake pkg-config libncurses-dev check libunistring-dev"
TEST_DEPS="tmux locales python3 valgrind strace openssh-server openssh-client"

install_missing() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "build.sh: installing$missing"
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null 2>&1 || { echo "build.sh: need root or sudo to install:$missing" >&2; exit 1; }
		sudo=sudo
	fi
	$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $missing >/dev/null
}

# The terminal tests run under Japanese legacy locales; a fresh machine has none.
make_test_locales() {
	sudo=""
	[ "$(id -u)" != 0 ] && sudo=sudo
	locale -a 2>/dev/null | grep -qi '^ja_JP.eucjp$' ||
		$sudo localedef -i ja_JP -f EUC-JP ja_JP.EUC-JP
	locale -a 2>/dev/null | grep -qi '^ja_JP.sjis$' ||
		$sudo localedef -i ja_JP -f SHIFT_JIS --no-warnings=ascii ja_JP.SJIS
}

build() {
	[ -x configure ] || autoreconf -fi
	[ -f Makefile ] || ./configure ${CONFIGURE_FLAGS:-}
	make -j"$(nproc 2>/dev/null || echo 2)"
}

case "${1:-run}" in
run)
	[ $# -gt 0 ] && shift
	install_missing $BUILD_DEPS
	build >/dev/null
	exec ./mamori "$@"
	;;
test)
	install_missing $BUILD_DEPS $TEST_DEPS
	make_test_locales
	build
	status=0
	make -j"$(nproc 2>/dev/null || echo 2)" check || status=$?
	if [ "$status" != 0 ] && [ -f test-suite.log ]; then
		cat test-suite.log
	fi
	# The per-script summaries, then Check's own line last: automake's harness
	# keeps them in the logs, and CI reads the closing line.
	for log in tests/e2e/*.log; do
		[ -f "$log" ] && printf '%s: %s\n' "${log%.log}" "$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
	done
	grep -h -E '^[0-9]+%: Checks: ' tests/check_mamori.log 2>/dev/null | tail -n 1 || true
	exit "$status"
	;;
*)
	echo "usage: sh build.sh run [OPTIONS] | sh build.sh test" >&2
	exit 2
	;;
esac
