#!/bin/bash
# The Debian package and the install (issue 16), end to end:
#   1. dpkg-buildpackage -us -uc -b builds mamori_*.deb from a copy of the
#      source tree (the package build runs the tests MAMORI_DEB_TESTS names,
#      or debian/rules' list; DEB_BUILD_OPTIONS=nocheck none);
#   2. lintian reports no error (its whole output is printed);
#   3. the package holds the program, the content, both man pages, the
#      completions and the copyright, and exactly what `make install
#      DESTDIR=...` installs; `make uninstall` removes all of it;
#   4. unpacked into a scratch root (dpkg -x), the binary runs --version and
#      --list on the content unpacked beside it;
#   5. as root, with no mamori installed: apt-get install ./mamori_*.deb,
#      /usr/bin/mamori --version and --list find the content under
#      /usr/share/mamori, then apt-get purge leaves none of its files;
#   6. ./configure --prefix=P --datadir=D: the installed binary finds its
#      content under D, with no --content.
# Not part of `make check` (it builds the package, whose build runs make
# check); build.sh test runs it.  By hand, from the source tree:
#   MAMORI=_build/mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests bash tests/e2e/package.sh
# MAMORI_PACKAGE_KEEP=DIR keeps the built .deb and the logs in DIR.

# The package build takes minutes: the whole-script bound of lib.sh is for tmux scripts.
export E2E_DEADLINE_S=${E2E_DEADLINE_S:-1800}
. "$(dirname "$0")/lib.sh"
e2e_init package
for t in dpkg-buildpackage dpkg-deb lintian fakeroot; do
	command -v "$t" >/dev/null 2>&1 || skip_all "$t is missing (apt-get install dpkg-dev debhelper lintian fakeroot)"
done
SRC=$(cd "$TESTS_SRCDIR/.." && pwd)
[ -f "$SRC/debian/control" ] || bail_out "no debian/control in $SRC"
T=$E2E_TMP
VERSION=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)
ARCH=$(dpkg-architecture -qDEB_HOST_ARCH)
DEB="$T/mamori_${VERSION}_${ARCH}.deb"
now_s() { date +%s; }

# --- 1. the package ------------------------------------------------------------

# A copy of the tree as git has it (tracked files, as they are now), so
# that build directories and the working tree's own configure stay out.
TREE="$T/mamori-$VERSION"
mkdir -p "$TREE"
if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 tar -c --ignore-failed-read 2>/dev/null) | tar -x -C "$TREE"
else
	(cd "$SRC" && tar -c --exclude='./_build*' --exclude=./debian/build .) | tar -x -C "$TREE"
fi
t0=$(now_s)
if (cd "$TREE" && dpkg-buildpackage -us -uc -b -j"${JOBS:-2}") >"$T/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b builds mamori_${VERSION}_${ARCH}.deb ($(($(now_s) - t0)) s)"
else
	not_ok "dpkg-buildpackage -us -uc -b" "$(tail -n 60 "$T/build.log")"
	finish
fi
grep -E '^(PASS|FAIL|ERROR|SKIP|XPASS):' "$T/build.log" | sed 's/^/# package build: /'
grep -h -E '^[0-9]+%: Checks: ' "$TREE"/debian/build/tests/check_mamori*.log 2>/dev/null | sed 's/^/# package build: /'
[ -f "$DEB" ] || bail_out "no $DEB after the build"

# --- 2. lintian -----------------------------------------------------------------------

# --fail-on error: warnings are listed (and reported in the issue), errors fail.
lintian --fail-on error --tag-display-limit 0 "$T/mamori_${VERSION}_${ARCH}.changes" >"$T/lintian.out" 2>&1
rc=$?
sed 's/^/# lintian: /' "$T/lintian.out"
if [ $rc = 0 ] && ! grep -q '^E: ' "$T/lintian.out"; then
	ok "lintian: no errors ($(grep -c '^W: ' "$T/lintian.out") warnings)"
else
	not_ok "lintian: no errors" "$(grep '^E: ' "$T/lintian.out")"
fi

# --- 3. what is in it, and make install / uninstall ------------------------------------

dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||' | sort >"$T/deb.all"
# Files and symlinks only (directories such as /usr/share/man are shared).
dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./|/|' | sort >"$T/deb.files"
sed 's/^/# package: /' "$T/deb.files"
want_files="/usr/bin/mamori /usr/share/man/man1/mamori.1.gz
	/usr/share/bash-completion/completions/mamori /usr/share/zsh/vendor-completions/_mamori
	/usr/share/doc/mamori/copyright /usr/share/mamori/content/EDITION"
# What the source has, the package must have: the Japanese man page, the catalogues.
[ -f "$SRC/doc/mamori.ja.1" ] && want_files+=" /usr/share/man/ja/man1/mamori.1.gz"
for l in $(sed -e '/^#/d' "$SRC/po/LINGUAS" 2>/dev/null); do
	want_files+=" /usr/share/locale/$l/LC_MESSAGES/mamori.mo"
done
for f in $want_files; do
	if grep -qxF "$f" "$T/deb.files"; then ok "the package holds $f"; else not_ok "the package holds $f"; fi
done
want=$(cd "$SRC/content" && ls ./*.txt | sed 's|^\./|/usr/share/mamori/content/|')
missing=$(comm -23 <(printf '%s\n' "$want" | sort) "$T/deb.files")
same "every content/*.txt is in the package" "$missing" ""

B="$TREE/debian/build"
if make -C "$B" install DESTDIR="$T/destdir" >"$T/install.log" 2>&1; then
	# The package adds only /usr/share/doc/mamori (copyright, changelog, README)
	# and lintian's overrides, and compresses man pages; otherwise the lists are the same.
	(cd "$T/destdir" && find . ! -type d) | sed 's|^\.||; s|\.gz$||' | sort >"$T/make.files"
	grep -v -e '^/usr/share/doc/mamori/' -e '^/usr/share/lintian/overrides/' "$T/deb.files" | sed 's|\.gz$||' >"$T/deb.cmp"
	same "make install DESTDIR= installs the files the package holds" \
		"$(diff "$T/deb.cmp" "$T/make.files")" ""
	make -C "$B" uninstall DESTDIR="$T/destdir" >"$T/uninstall.log" 2>&1
	same "make uninstall removes every file make install put there" "$(cd "$T/destdir" && find . ! -type d)" ""
else
	not_ok "make install DESTDIR=" "$(tail -n 20 "$T/install.log")"
fi

# --- 4. a scratch root ---------------------------------------------------------------------

R="$T/root"
dpkg-deb -x "$DEB" "$R"
src_ids=$("$MAMORI" --content "$MAMORI_CONTENT" --list | cut -f1)
edition=$(sed -n 's/^edition: *//p' "$MAMORI_CONTENT/EDITION")
date=$(sed -n 's/^date: *//p' "$MAMORI_CONTENT/EDITION")
out=$(HOME="$T/home" "$R/usr/bin/mamori" --content "$R/usr/share/mamori/content" --version 2>&1)
if grep -q "^mamori $VERSION\$" <<<"$out" &&
	grep -qF "Content: $edition ($date), in $R/usr/share/mamori/content" <<<"$out"; then
	ok "scratch root: mamori --version names $VERSION and the content's edition $edition ($date)"
else
	not_ok "scratch root: mamori --version" "$out"
fi
same "scratch root: --list reads the unpacked content (the same pages as the source)" \
	"$(HOME="$T/home" "$R/usr/bin/mamori" --content "$R/usr/share/mamori/content" --list | cut -f1)" "$src_ids"
check "scratch root: --check-content passes on the unpacked content" \
	"$R/usr/bin/mamori" --check-content "$R/usr/share/mamori/content"

# --- 5. installed on this machine --------------------------------------------------------------

if [ "$(id -u)" != 0 ]; then
	echo "# SKIP apt-get install: not root"
elif dpkg-query -W -f='${Status}' mamori 2>/dev/null | grep -q 'ok installed'; then
	echo "# SKIP apt-get install: a mamori package is installed already; not touching it"
else
	if env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
		--no-install-recommends "$DEB" >"$T/apt.log" 2>&1; then
		ok "apt-get install ./mamori_${VERSION}_${ARCH}.deb"
		out=$(cd / && HOME="$T/home" /usr/bin/mamori --version 2>&1)
		if grep -qF "Content: $edition ($date), in /usr/share/mamori/content" <<<"$out"; then
			ok "installed: mamori --version finds the content in /usr/share/mamori"
		else
			not_ok "installed: mamori --version finds the content in /usr/share/mamori" "$out"
		fi
		same "installed: mamori --list, with no --content, lists the source's pages" \
			"$(cd / && HOME="$T/home" /usr/bin/mamori --list | cut -f1)" "$src_ids"
		# The reader starts (in tmux) and shows the first page's title.
		if command -v tmux >/dev/null 2>&1; then
			# Not mm_start: it names --content, and this must find the installed content itself.
			read -r -a pane_env <<<"$E2E_PANE_ENV_DEFAULT"
			_new_session 80 24 env -i "PATH=$PATH" "HOME=$E2E_HOME" "${pane_env[@]}" \
				/usr/bin/mamori --page intro
			if wait_for '概要' >/dev/null 2>&1; then
				ok "installed: the reader starts in tmux and shows the intro page"
			else
				not_ok "installed: the reader starts in tmux and shows the intro page" "$(screen)"
			fi
			keys q
		fi
		dpkg -L mamori | sort >"$T/installed.list"
		env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 purge -y -qq mamori \
			>>"$T/apt.log" 2>&1
		left=$(while read -r f; do [ -f "$f" ] || [ -L "$f" ] && echo "$f"; done <"$T/installed.list")
		left+=$( [ -e /usr/share/mamori ] && echo /usr/share/mamori)
		same "apt-get purge mamori leaves none of its files" "$left" ""
	else
		not_ok "apt-get install ./mamori_${VERSION}_${ARCH}.deb" "$(tail -n 20 "$T/apt.log")"
	fi
fi

# --- 6. --prefix and --datadir ------------------------------------------------------------------

P="$T/prefix"
mkdir -p "$T/pbuild"
if (cd "$T/pbuild" && "$TREE/configure" -q --prefix="$P" --datadir="$T/data" &&
	make -j"${JOBS:-2}" mamori && make install-exec install-data) >"$T/prefix.log" 2>&1; then
	out=$(cd / && HOME="$T/home" "$P/bin/mamori" --version 2>&1)
	if grep -qF "in $T/data/mamori/content" <<<"$out" && grep -qF "Content: $edition" <<<"$out"; then
		ok "--prefix and --datadir: the installed binary finds its content under --datadir"
	else
		not_ok "--prefix and --datadir: the installed binary finds its content under --datadir" "$out"
	fi
	same "--prefix and --datadir: --list with no --content" \
		"$(cd / && HOME="$T/home" "$P/bin/mamori" --list | cut -f1)" "$src_ids"
	[ -f "$P/share/man/man1/mamori.1" ] || [ -f "$T/data/man/man1/mamori.1" ] &&
		ok "--prefix and --datadir: the man page is installed" ||
		not_ok "--prefix and --datadir: the man page is installed" "$(cd "$T" && find prefix data -type f)"
	[ -f "$T/data/bash-completion/completions/mamori" ] &&
		ok "--datadir: the bash completion under DATADIR/bash-completion/completions" ||
		not_ok "--datadir: the bash completion under DATADIR/bash-completion/completions"
else
	not_ok "configure --prefix --datadir, make, make install" "$(tail -n 20 "$T/prefix.log")"
fi

if [ -n "${MAMORI_PACKAGE_KEEP:-}" ]; then
	mkdir -p "$MAMORI_PACKAGE_KEEP"
	cp "$T"/*.deb "$T"/*.changes "$T"/*.buildinfo "$T/build.log" "$T/lintian.out" "$MAMORI_PACKAGE_KEEP"/ 2>/dev/null
fi
finish
