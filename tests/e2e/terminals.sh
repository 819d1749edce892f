#!/bin/bash
# End-to-end checks of mamori on real terminals (issue 5): every TERM x
# locale it must work on, the raw bytes it sends under EUC-JP and
# Shift_JIS (script(1) captures, decoded with iconv), --charset and
# --ambiguous-width=2, hostile bytes from content, answers files and
# options (never sent raw), terminals it must refuse, NO_COLOR, C-z/fg
# and a lost terminal.  Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/terminals.sh

. "$(dirname "$0")/lib.sh"
e2e_init terminals
need_tmux
need_python3
command -v script >/dev/null 2>&1 || skip_all "script (util-linux) is not installed"
command -v iconv >/dev/null 2>&1 || skip_all "iconv is not installed"

T=$E2E_TMP
HOSTILE=$TESTS_SRCDIR/data/hostile
UNICODE=$HOSTILE/unicode
export XDG_DATA_HOME="$E2E_HOME/.local/share" HOME="$E2E_HOME"

NPAGES=$(mm --list | grep -c '')
[ "$NPAGES" -gt 0 ] 2>/dev/null || { echo "Bail out! mamori --list failed"; exit 99; }

# --- helpers of this script ----------------------------------------------------

# start COLS ROWS [ENV-ARG...] [-- MAMORI-ARG...]: lib.sh's mm_start.
# (Always with one -u: lib.sh's _mm_cmd returns non-zero when it is given
# none, and mm_start then refuses to start.)
start() {
	local c=$1 r=$2
	shift 2
	mm_start "$c" "$r" -u E2E_UNUSED "$@"
}

# has_bytes FILE STRING: FILE holds STRING, byte for byte.
has_bytes() { LC_ALL=C grep -qaF -- "$2" "$1"; }

# charset_of LOCALE: the charset glibc gives LOCALE ("ANSI_X3.4-1968" when
# the locale is not installed).
charset_of() { LC_ALL=$1 locale charmap 2>/dev/null; }

# A tool of our own, in python3: raw captures and measurements.
cat >"$T/tool.py" <<'PY'
import os, re, sys, time, select, signal, struct, fcntl, termios, unicodedata

def raw(path):
    b = open(path, 'rb').read()
    # script(1) frames its typescript with a header and a trailer line.
    if b.startswith(b'Script started'):
        b = b[b.find(b'\n') + 1:]
    i = b.rfind(b'\nScript done')
    if i >= 0:
        b = b[:i]
    return b

ESCSEQ = re.compile(rb'\x1b\[[0-?]*[ -/]*[@-~]'      # CSI
                    rb'|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)'  # OSC
                    rb'|\x1b[()*+][ -~]'              # charset designation
                    rb'|\x1b[ -~]')                   # other two-byte sequences

def cmd_strip(src, dst):
    """The text of a capture: escape sequences and controls become newlines."""
    b = ESCSEQ.sub(b'\n', raw(src))
    b = re.sub(rb'[\x00-\x09\x0b-\x1f\x7f]', b'\n', b)
    open(dst, 'wb').write(b)

def cmd_body(src, dst):
    """A capture without script's header and trailer, escapes kept."""
    open(dst, 'wb').write(raw(src))

def cmd_sgr_colours(path):
    """Print every SGR of a capture that sets a colour (not 39/49 defaults)."""
    found = []
    for m in re.finditer(rb'\x1b\[([0-9;:]*)m', open(path, 'rb').read()):
        ps = [p for p in re.split(rb'[;:]', m.group(1))]
        i = 0
        while i < len(ps):
            p = int(ps[i] or b'0')
            if p in (38, 48, 58):
                found.append(m.group(0))
                break
            if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                found.append(m.group(0))
                break
            i += 1
    for f in found[:5]:
        print(repr(f))
    return 1 if found else 0

AMBIG = '※○①■─“”★×'

def cmd_ambiguous(path, width):
    """No ambiguous character of the test content is left, and no line is
    wider than width when ambiguous characters count 2 columns."""
    bad = 0
    for n, line in enumerate(open(path, encoding='utf-8').read().split('\n'), 1):
        left = [c for c in line if c in AMBIG]
        cols = sum(2 if unicodedata.east_asian_width(c) in ('W', 'F', 'A') else
                   0 if unicodedata.combining(c) else 1 for c in line)
        if left:
            print('line %d still holds %s: %s' % (n, ''.join(left), line)); bad = 1
        if cols > int(width):
            print('line %d is %d columns wide (> %s): %s' % (n, cols, width, line)); bad = 1
    return bad

def cmd_lost(mode, marker, *argv):
    """Run argv on a fresh pty (mode ctty: as its controlling terminal, so
    closing it sends SIGHUP; noctty: not, so only reads fail), wait until
    the output holds marker, close the pty's master and see the process
    end.  Prints 'gone SECONDS STATUS CPU' or 'alive CPU'."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if mode == 'ctty':
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.close(master)
        if slave > 2:
            os.close(slave)
        os.execvp(argv[0], list(argv))
    os.close(slave)
    buf, end = b'', time.time() + 5
    while marker.encode() not in buf and time.time() < end:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                buf += os.read(master, 65536)
            except OSError:
                break
    if marker.encode() not in buf:
        print('nostart')
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return 1
    os.close(master)
    t0 = time.time()
    while time.time() - t0 < 2.0:
        wpid, status, ru = os.wait4(pid, os.WNOHANG)
        if wpid:
            st = os.waitstatus_to_exitcode(status)
            print('gone %.2f %d %.2f' % (time.time() - t0, st if st >= 0 else 128 - st,
                                          ru.ru_utime + ru.ru_stime))
            return 0
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    _, _, ru = os.wait4(pid, 0)
    print('alive %.2f' % (ru.ru_utime + ru.ru_stime))
    return 1

sys.exit(globals()['cmd_' + sys.argv[1]](*sys.argv[2:]) or 0)
PY
tool() { "$PYTHON" "$T/tool.py" "$@"; }

# --- mamori under script(1), for the raw bytes it sends ----------------------

# sc_start OUT ERR [ENV-ARG...] [-- MAMORI-ARG...]
# Starts mamori under `script -qfec` on a pty of SC_COLS x SC_ROWS (80x24),
# the typescript (every byte mamori sends to the terminal) in OUT.  ERR is
# a file for mamori's stderr, or - to send it to the terminal too.  Keys
# come from a fifo (sc_keys).  ENV-ARGs as for mm_start: NAME=VALUE, or
# -u NAME to leave NAME out.  The environment is a private home,
# TERM=xterm-256color and LANG=C.UTF-8 unless said otherwise.
SC_N=0
sc_start() {
	local out=$1 err=$2
	shift 2
	_seed_resume "$E2E_HOME/.local/state" # it opens the contents (lib.sh)
	local sets=("PATH=$PATH" "HOME=$E2E_HOME" "XDG_DATA_HOME=$E2E_HOME/.local/share"
		"TERM=xterm-256color" "LANG=C.UTF-8" "ESCDELAY=25") drop=() args=() envs=() e d keep
	while [ $# -gt 0 ]; do
		case $1 in
		--) shift; args=("$@"); break ;;
		-u) drop+=("$2"); shift 2 ;;
		*) sets+=("$1"); shift ;;
		esac
	done
	for e in "${sets[@]}"; do
		keep=1
		for d in "${drop[@]}"; do [ "${e%%=*}" = "$d" ] && keep=0; done
		[ $keep = 1 ] && envs+=("$e")
	done
	local cmd
	cmd="stty rows ${SC_ROWS:-24} cols ${SC_COLS:-80} 2>/dev/null; exec $(printf '%q ' env -i "${envs[@]}" \
		"$MAMORI" --content "$MAMORI_CONTENT" "${args[@]}")"
	[ "$err" != - ] && cmd="$cmd 2>$(printf '%q' "$err")"
	SC_N=$((SC_N + 1))
	SC_FIFO=$T/sc-in.$SC_N
	SC_OUT=$out
	rm -f "$SC_FIFO" "$out"
	mkfifo "$SC_FIFO"
	SHELL=/bin/bash script -qfec "$cmd" "$out" <"$SC_FIFO" >/dev/null 2>&1 &
	SC_PID=$!
	exec {SC_FD}>"$SC_FIFO"
}
sc_keys() { printf '%s' "$1" >&"$SC_FD"; }
_sc_has() { [ -f "$SC_OUT" ] && has_bytes "$SC_OUT" "$1"; }
# sc_wait STRING: the typescript holds STRING (bytes), within the timeout.
sc_wait() { _poll _sc_has "$1"; }
# sc_end: wait (bounded) for mamori to end; its exit status in SC_RC
# (124 if it had to be killed).
sc_end() {
	local n=0
	while kill -0 "$SC_PID" 2>/dev/null && [ $n -lt 300 ]; do
		sleep 0.01
		n=$((n + 1))
	done
	if kill -0 "$SC_PID" 2>/dev/null; then
		pkill -KILL -P "$SC_PID" 2>/dev/null
		kill -KILL "$SC_PID" 2>/dev/null
		wait "$SC_PID" 2>/dev/null
		SC_RC=124
	else
		wait "$SC_PID"
		SC_RC=$?
	fi
	exec {SC_FD}>&-
	rm -f "$SC_FIFO"
}

# decode FILE CHARSET OUT: FILE (bytes) to UTF-8 in OUT; fails (with
# iconv's message on stdout) if FILE is not valid in CHARSET.
decode() {
	iconv -f "$2" -t UTF-8 "$1" >"$3" 2>"$3.err" || { cat "$3.err"; return 1; }
}

# --- 1. TERM x locale ----------------------------------------------------------

TERMS="xterm-256color screen tmux-256color vt100 linux"
LOCALES="C.UTF-8 unset ja_JP.EUC-JP ja_JP.SJIS"
have_loc() {
	case $1 in
	ja_JP.EUC-JP) [ "$(charset_of ja_JP.EUC-JP)" = EUC-JP ] ;;
	ja_JP.SJIS) [ "$(charset_of ja_JP.SJIS)" = SHIFT_JIS ] ;;
	*) return 0 ;;
	esac
}
for loc in ja_JP.EUC-JP ja_JP.SJIS; do
	if ! have_loc "$loc"; then
		not_ok "locale $loc is installed (the tests of that charset need it)" \
			"make it: localedef -i ja_JP -f ${loc#ja_JP.} ${loc}  (SJIS: -f SHIFT_JIS --no-warnings=ascii)"
	fi
done

INTRO_TITLE=$(mm --list | head -n 1 | cut -f 2)
for term in $TERMS; do
	for loc in $LOCALES; do
		have_loc "$loc" || continue
		case $loc in
		unset) lenv=(-u LANG -u LC_ALL -u LC_CTYPE) ;;
		C.UTF-8) lenv=(LANG=C.UTF-8 LC_ALL=C.UTF-8) ;;
		*) lenv=("LANG=$loc" -u LC_ALL -u LC_CTYPE) ;;
		esac
		desc="TERM=$term, locale $loc: contents, a page (Enter), q back to the contents, q exits 0"
		fails=()
		start 80 24 "TERM=$term" "${lenv[@]}"
		wait_status "1/$NPAGES" 2>/dev/null || fails+=("no 1/$NPAGES on the status line")
		wait_for_re '^> ' 2>/dev/null || fails+=("no '> ' cursor on the contents")
		case $loc in
		C.UTF-8 | unset)
			_line_has 1 '目次' || fails+=("line 1 does not hold 目次 (Japanese not shown?)")
			_has_fixed "$INTRO_TITLE" || fails+=("the first page's title is not on the contents")
			;;
		esac
		if [ "$loc" = unset ]; then
			_status_has 'UTF-8' || fails+=("no note about UTF-8 on the status line")
		fi
		before=$(_scr_e)
		keys Enter
		wait_change "$before" 2>/dev/null
		wait_for_re '^==+ *$' 2>/dev/null || fails+=("Enter did not open a page (no ==== under a title)")
		case $loc in
		C.UTF-8 | unset)
			_line_has 1 "$INTRO_TITLE" || fails+=("line 1 is not the first page's title")
			;;
		esac
		scr=$(screen 2>&1)
		keys q
		wait_for_re '^> ' 2>/dev/null || fails+=("q on the page did not go back to the contents")
		keys q
		st=$(wait_exit)
		[ "$st" = 0 ] || fails+=("q on the contents: exit status '${st:-still running}', want 0")
		if [ ${#fails[@]} = 0 ]; then
			ok "$desc"
		else
			not_ok "$desc" "${fails[@]}" "--- screen before q ---" "$scr"
		fi
	done
done

# The fallback to C.UTF-8: said once on the status line, Japanese shown.
missing=ja_JP.UTF-8
[ "$(charset_of "$missing")" = UTF-8 ] && missing=xx_YY.UTF-8
for spec in "LANG=$missing" LANG=C LANG=POSIX LC_ALL=C "LC_CTYPE=$missing"; do
	desc="$spec (no usable locale): Japanese shown, 'UTF-8' said on the status line, once"
	start 80 24 -u LANG -u LC_ALL -u LC_CTYPE "$spec"
	fails=()
	wait_line 1 '目次' 2>/dev/null || fails+=("line 1 does not show 目次")
	_status_has 'UTF-8' || fails+=("the status line does not mention UTF-8")
	scr=$(screen 2>&1)
	press j 2>/dev/null
	_status_has 'UTF-8' && fails+=("the note is still there after a key: not once")
	keys q
	st=$(wait_exit)
	[ "$st" = 0 ] || fails+=("exit status '$st'")
	if [ ${#fails[@]} = 0 ]; then ok "$desc"; else not_ok "$desc" "${fails[@]}" "$scr"; fi
done

# --- 2. the bytes sent under EUC-JP and Shift_JIS ------------------------------

CHAPTER2=$(awk '/^@chapter /{ n++ } n == 3 && /^@chapter /{ sub(/^@chapter +/, ""); sub(/^[0-9]+\. */, ""); print; exit }' \
	"$MAMORI_CONTENT"/*.txt)
[ -n "$CHAPTER2" ] || CHAPTER2='経営者が負う責任'
PART1_TITLE=$(mm --list | awk -F '\t' '$1 == "diagnosis-part1" { print $2 }')
PART1_FOLDED=${PART1_TITLE//～/〜}

for pair in ja_JP.EUC-JP:EUC-JP ja_JP.SJIS:SHIFT_JIS; do
	loc=${pair%%:*} cs=${pair#*:}
	have_loc "$loc" || continue

	# The contents, as bytes.
	sc_start "$T/ts" - "LANG=$loc"
	sc_wait "1/$NPAGES" || true
	sc_keys q
	sc_end
	tool strip "$T/ts" "$T/ts.txt"
	if [ "$SC_RC" = 0 ] && msg=$(decode "$T/ts.txt" "$cs" "$T/ts.utf8") &&
		grep -qF '目次' "$T/ts.utf8" && grep -qF "$CHAPTER2" "$T/ts.utf8"; then
		ok "$loc: the contents screen is sent in $cs (iconv decodes it; 目次 and 「$CHAPTER2」 there)"
	else
		not_ok "$loc: the contents screen is sent in $cs (目次, 「$CHAPTER2」)" "exit status $SC_RC" \
			"${msg:-}" "$(head -c 1500 "$T/ts.utf8" 2>/dev/null)"
	fi

	# A page whose title has ～ (U+FF5E): folded to 〜, never blank.
	sc_start "$T/ts" - "LANG=$loc" -- --page diagnosis-part1
	sc_wait "/$NPAGES" || true
	sc_keys q
	sc_end
	tool strip "$T/ts" "$T/ts.txt"
	if [ "$SC_RC" = 0 ] && msg=$(decode "$T/ts.txt" "$cs" "$T/ts.utf8") &&
		grep -qF "$PART1_FOLDED" "$T/ts.utf8"; then
		ok "$loc: the page title 「$PART1_TITLE」 is sent as 「$PART1_FOLDED」 in $cs"
	else
		not_ok "$loc: the page title is sent as 「$PART1_FOLDED」 in $cs" "exit status $SC_RC" "${msg:-}" \
			"$(grep -F 'Part1' "$T/ts.utf8" 2>/dev/null | head -n 3)"
	fi

	# --dump: the UTF-8 dump with ～ as 〜, in the locale's charset.
	LANG=$loc LC_ALL='' "$MAMORI" --content "$MAMORI_CONTENT" --dump diagnosis-part1 --width 80 \
		>"$T/d.raw" 2>"$T/d.err"
	rc=$?
	mm --dump diagnosis-part1 --width 80 | sed 's/～/〜/g' >"$T/d.want"
	if [ $rc = 0 ] && msg=$(decode "$T/d.raw" "$cs" "$T/d.utf8") && cmp -s "$T/d.utf8" "$T/d.want" &&
		grep -qF '〜' "$T/d.utf8"; then
		ok "$loc: --dump diagnosis-part1 is the UTF-8 dump in $cs, with 〜 for ～"
	else
		not_ok "$loc: --dump diagnosis-part1 is the UTF-8 dump in $cs, with 〜 for ～" "exit $rc" "${msg:-}" \
			"$(diff "$T/d.want" "$T/d.utf8" 2>&1 | head -n 10)"
	fi

	# --dump all: every character shown, nothing turned into ? or 〓.
	LANG=$loc LC_ALL='' "$MAMORI" --content "$MAMORI_CONTENT" --dump all --width 80 >"$T/d.raw" 2>"$T/d.err"
	rc=$?
	mm --dump all --width 80 >"$T/d.want"
	if [ $rc = 0 ] && msg=$(decode "$T/d.raw" "$cs" "$T/d.utf8") &&
		[ "$(grep -o '[?〓]' "$T/d.utf8" | wc -l)" = "$(grep -o '[?〓]' "$T/d.want" | wc -l)" ] &&
		[ "$(grep -c '' "$T/d.utf8")" -gt 100 ]; then
		ok "$loc: --dump all decodes as $cs, no character lost to ? or 〓"
	else
		not_ok "$loc: --dump all decodes as $cs, no character lost to ? or 〓" "exit $rc" "${msg:-}" \
			"$(diff "$T/d.want" "$T/d.utf8" 2>&1 | grep '^>' | grep '[?〓]' | head -n 5)"
	fi

	# --list, --progress, --help, an error: all in the locale's charset.
	for what in "--list" "--progress" "--progress --format tsv" "--help" "--page no-such-page"; do
		# shellcheck disable=SC2086
		LANG=$loc LC_ALL='' "$MAMORI" --content "$MAMORI_CONTENT" $what >"$T/o.raw" 2>"$T/e.raw"
		rc=$?
		fails=()
		msg=$(decode "$T/o.raw" "$cs" "$T/o.utf8") || fails+=("stdout is not $cs: $msg")
		msg=$(decode "$T/e.raw" "$cs" "$T/e.utf8") || fails+=("stderr is not $cs: $msg")
		case $what in
		--list)
			[ "$(grep -c '' "$T/o.utf8")" = "$NPAGES" ] || fails+=("not $NPAGES lines")
			grep -qF "$PART1_FOLDED" "$T/o.utf8" || fails+=("no 「$PART1_FOLDED」")
			;;
		--progress) grep -qF 'SECURITY ACTION' "$T/o.utf8" && grep -qF '自社診断' "$T/o.utf8" ||
			fails+=("no SECURITY ACTION / 自社診断 in it") ;;
		--help) grep -qF '中小企業の情報セキュリティ対策ガイドライン' "$T/o.utf8" || fails+=("no Japanese title in it") ;;
		--page*) [ $rc = 2 ] && [ -s "$T/e.raw" ] || fails+=("exit $rc, want 2 with a message") ;;
		esac
		[ "$what" = "--page no-such-page" ] || [ $rc = 0 ] || fails+=("exit $rc")
		if [ ${#fails[@]} = 0 ]; then
			ok "$loc: mamori $what writes $cs"
		else
			not_ok "$loc: mamori $what writes $cs" "${fails[@]}"
		fi
	done
	# A usage error that quotes what the user typed (in the locale's charset).
	typed=$(printf '日本' | iconv -f UTF-8 -t "$cs")
	LANG=$loc LC_ALL='' "$MAMORI" --format "$typed" >"$T/o.raw" 2>"$T/e.raw"
	rc=$?
	# Valid in the charset, and the argument either as typed or as 〓/? per
	# byte it could not read: not UTF-8 bytes that merely happen to decode.
	if [ $rc = 2 ] && [ ! -s "$T/o.raw" ] && msg=$(decode "$T/e.raw" "$cs" "$T/e.utf8") &&
		grep -qE "^mamori: .*'(日本|[〓?]+)'\$" "$T/e.utf8"; then
		ok "$loc: a usage error quoting a $cs argument (--format 日本) is written in $cs"
	else
		not_ok "$loc: a usage error quoting a $cs argument (--format 日本) is written in $cs" "exit $rc" \
			"${msg:-}" "stderr, decoded: $(cat "$T/e.utf8" 2>/dev/null)" "stderr bytes: $(od -An -c "$T/e.raw" | head -n 4)"
	fi
done

# --charset: forces the charset whatever the locale says; an unknown one exits 2.
if have_loc ja_JP.EUC-JP && have_loc ja_JP.SJIS; then
	for pair in EUC-JP:EUC-JP SHIFT_JIS:SHIFT_JIS SJIS:SHIFT_JIS CP932:SHIFT_JIS; do
		name=${pair%%:*} cs=${pair#*:}
		LANG=C.UTF-8 LC_ALL=C.UTF-8 "$MAMORI" --content "$MAMORI_CONTENT" --charset "$name" \
			--dump diagnosis-part1 --width 80 >"$T/d.raw" 2>"$T/d.err"
		rc=$?
		mm --dump diagnosis-part1 --width 80 | sed 's/～/〜/g' >"$T/d.want"
		if [ $rc = 0 ] && decode "$T/d.raw" "$cs" "$T/d.utf8" >/dev/null && cmp -s "$T/d.utf8" "$T/d.want"; then
			ok "LANG=C.UTF-8 --charset $name: --dump is written in $cs"
		else
			not_ok "LANG=C.UTF-8 --charset $name: --dump is written in $cs" "exit $rc" "$(cat "$T/d.err")"
		fi
	done
	LANG=ja_JP.EUC-JP LC_ALL='' "$MAMORI" --content "$MAMORI_CONTENT" --charset UTF-8 \
		--dump diagnosis-part1 --width 80 >"$T/d.raw" 2>"$T/d.err"
	if mm --dump diagnosis-part1 --width 80 | cmp -s - "$T/d.raw"; then
		ok "LANG=ja_JP.EUC-JP --charset UTF-8: --dump is the UTF-8 dump (～ kept)"
	else
		not_ok "LANG=ja_JP.EUC-JP --charset UTF-8: --dump is the UTF-8 dump (～ kept)" "$(head -c 300 "$T/d.err")"
	fi
	sc_start "$T/ts" - LANG=C.UTF-8 -- --charset EUC-JP --page diagnosis-part1
	sc_wait "/$NPAGES" || true
	sc_keys q
	sc_end
	tool strip "$T/ts" "$T/ts.txt"
	if [ "$SC_RC" = 0 ] && decode "$T/ts.txt" EUC-JP "$T/ts.utf8" >/dev/null && grep -qF "$PART1_FOLDED" "$T/ts.utf8"; then
		ok "LANG=C.UTF-8 --charset EUC-JP: the screen is sent in EUC-JP"
	else
		not_ok "LANG=C.UTF-8 --charset EUC-JP: the screen is sent in EUC-JP" "exit $SC_RC"
	fi
fi
"$MAMORI" --content "$MAMORI_CONTENT" --charset KOI8-R --list >"$T/o" 2>"$T/e"
rc=$?
if [ $rc = 2 ] && [ ! -s "$T/o" ] && grep -q -- '--charset' "$T/e"; then
	ok "--charset KOI8-R: exit 2, a message, nothing on stdout"
else
	not_ok "--charset KOI8-R: exit 2, a message, nothing on stdout" "exit $rc" "$(cat "$T/e")"
fi

# --ambiguous-width=2: no ambiguous character left, no line too wide at 2 columns each.
AMB_CHARS='※○①■─“”★×'
AMB=$T/amb
mkdir -p "$AMB"
printf '%s\n' '@chapter 曖昧※な幅○の章' '' '@page amb-1 記号※○①■─“”★×の頁' '' \
	'※注意○丸①一■四角─線“引用”★星×バツ※注意○丸①一■四角─線“引用”★星×バツ※注意○丸①一■四角─線“引用”★星×バツ' '' \
	'- ※ ○ ① ■ ─ “ ” ★ ×' '' '| 記号※ | 説明○ |' '| --- | --- |' '| ① ■ ─ | “★” × |' '' \
	'① 丸数字の項目※' '' '## 見出し※○' '' '@group amb-g principle 記号※の項目' '' \
	'[ ] amb-1 ※○①■─“”★× を確かめた。' >"$AMB/01-amb.txt"
for w in 40 24 80; do
	"$MAMORI" --content "$AMB" --dump all --width $w --ambiguous-width=2 >"$T/amb.out" 2>"$T/amb.err"
	rc=$?
	if [ $rc = 0 ] && res=$(tool ambiguous "$T/amb.out" $w) && [ -s "$T/amb.out" ]; then
		ok "--ambiguous-width=2 --dump all --width $w: none of $AMB_CHARS left, no line over $w columns"
	else
		not_ok "--ambiguous-width=2 --dump all --width $w: none of $AMB_CHARS left, no line over $w columns" \
			"exit $rc" "${res:-}" "$(head -c 300 "$T/amb.err")"
	fi
done
MAMORI_CONTENT_SAVED=$MAMORI_CONTENT
MAMORI_CONTENT=$AMB
start 40 12 -- --ambiguous-width=2 --page amb-1
if wait_for '記号' && ! _scr | sed '$d' | grep -q "[$AMB_CHARS]"; then
	ok "--ambiguous-width=2: the screen shows none of $AMB_CHARS"
else
	not_ok "--ambiguous-width=2: the screen shows none of $AMB_CHARS" "$(screen)"
fi
keys q
wait_exit >/dev/null
MAMORI_CONTENT=$MAMORI_CONTENT_SAVED

# --- 3. hostile bytes ------------------------------------------------------------

# The bytes injected in tests/data/hostile (see its README.md), and the
# visible forms mamori must show instead.
B_OSC=$(printf '\033]0;pwned')
B_CSI_CLEAR=$(printf '\033[2J')
B_C1=$(printf '\302\233')
B_RLO=$(printf '\342\200\256')
B_LRI=$(printf '\342\201\246')
B_ZWSP=$(printf '\342\200\213')
B_BOM=$(printf '\357\273\277')
B_DEL=$(printf '\177')
B_BEL=$(printf '\007')
raw_list() { printf '%s\n' OSC CSI_CLEAR C1 RLO LRI ZWSP BOM DEL BEL; }
# raw_in FILE [NAME...]: the names of the injected byte strings FILE holds.
raw_in() {
	local f=$1 n v hits=() names
	shift
	if [ $# -gt 0 ]; then names=("$@"); else mapfile -t names < <(raw_list); fi
	for n in "${names[@]}"; do
		v=B_$n
		has_bytes "$f" "${!v}" && hits+=("$n")
	done
	echo "${hits[*]}"
}

# --check-content: each line with a control character, as FILE:LINE.
"$MAMORI" --check-content "$HOSTILE" >"$T/cc.out" 2>"$T/cc.err"
rc=$?
cat "$T/cc.out" "$T/cc.err" >"$T/cc.all"
same "--check-content tests/data/hostile: exit status 1" "$rc" 1
for spec in 3:ESC-OSC 5:ESC-CSI 7:DEL 9:CR 11:BEL 13:C1-CSI-U+009B 19:ESC-in-a-table-cell 23:ESC-in-an-item; do
	ln=${spec%%:*}
	if grep -qE "^[^:]*01-hostile\.txt:$ln: " "$T/cc.out"; then
		ok "--check-content reports 01-hostile.txt:$ln (${spec#*:})"
	else
		not_ok "--check-content reports 01-hostile.txt:$ln (${spec#*:})" "$(cat "$T/cc.all")"
	fi
done
found=$(raw_in "$T/cc.all")
has_bytes "$T/cc.all" "$(printf '\033')" && found="$found ESC"
same "--check-content output holds no raw hostile bytes" "$found" ""

# The reader and --dump all on that content: whatever they do, nothing raw.
"$MAMORI" --content "$HOSTILE" --dump all --width 80 >"$T/hd.out" 2>"$T/hd.err"
rc=$?
cat "$T/hd.out" "$T/hd.err" >"$T/hd.all"
found=$(raw_in "$T/hd.all")
has_bytes "$T/hd.all" "$(printf '\033')" && found="$found ESC"
if [ -z "$found" ] && { [ $rc = 0 ] || [ $rc = 1 ]; }; then
	ok "--content tests/data/hostile --dump all: nothing raw on stdout or stderr (exit $rc)"
else
	not_ok "--content tests/data/hostile --dump all: nothing raw on stdout or stderr" "exit $rc, raw: $found"
fi
sc_start "$T/ts" - -- --content "$HOSTILE"
sc_end
tool body "$T/ts" "$T/ts.body"
found=$(raw_in "$T/ts.body" OSC C1 RLO LRI ZWSP DEL BEL)
if [ -z "$found" ]; then
	ok "the reader on tests/data/hostile sends no injected bytes to the terminal (exit $SC_RC)"
else
	not_ok "the reader on tests/data/hostile sends no injected bytes to the terminal" "raw: $found"
fi

# Content that loads (invisible and bidi characters): shown in visible form.
"$MAMORI" --content "$UNICODE" --dump all --width 80 >"$T/ud.out" 2>"$T/ud.err"
rc=$?
found=$(raw_in "$T/ud.out")
fails=()
[ $rc = 0 ] || fails+=("exit $rc: $(cat "$T/ud.err")")
[ -z "$found" ] || fails+=("raw: $found")
for v in '題名<U+202E>txt.exe<U+202C>の頁' '<U+2066>分離<U+2069>' '幅なし<U+200B>空白' '<U+FEFF>印' \
	'セル<U+202E>逆' '値<U+200B>あり' '項目<U+202E>反転<U+200B>です'; do
	grep -qF -- "$v" "$T/ud.out" || fails+=("no '$v'")
done
if [ ${#fails[@]} = 0 ]; then
	ok "--dump all of bidi/zero-width content: visible <U+XXXX> forms in the title, paragraph, table and item; nothing raw"
else
	not_ok "--dump all of bidi/zero-width content: visible forms, nothing raw" "${fails[@]}" "$(cat "$T/ud.out")"
fi
"$MAMORI" --content "$UNICODE" --list >"$T/ul.out" 2>&1
if [ -z "$(raw_in "$T/ul.out")" ] && grep -qF '<U+202E>' "$T/ul.out"; then
	ok "--list of bidi content: <U+202E> shown, nothing raw"
else
	not_ok "--list of bidi content: <U+202E> shown, nothing raw" "$(cat -v "$T/ul.out")"
fi

# An answers file with hostile bytes: in a note (raw and \x escaped), in a
# state and in an id that mamori reports.
ANS=$T/hostile-answers.txt
make_answers() {
	printf '%s\n' 'mamori-answers 1' \
		"u-1 done 2026-11-25T09:30:00+09:00 メモ${B_CSI_CLEAR}${B_RLO}逆${B_C1}\\x1B]0;pwned-escaped\\x07終" \
		"u-2 d${B_CSI_CLEAR}one -" \
		"zz${B_OSC}-id${B_BEL} done -" >"$ANS"
	chmod 600 "$ANS"
}
make_answers
"$MAMORI" --content "$UNICODE" --progress --answers "$ANS" >"$T/p.out" 2>"$T/p.err"
rc=$?
cat "$T/p.out" "$T/p.err" >"$T/p.all"
fails=()
found=$(raw_in "$T/p.all")
has_bytes "$T/p.all" "$(printf '\033')" && found="$found ESC"
[ -z "$found" ] || fails+=("raw: $found")
grep -qF '<U+202E>' "$T/p.out" || fails+=("no <U+202E> in the group title on stdout")
grep -qF "d^[[2Jone" "$T/p.err" || fails+=("the bad state is not quoted as d^[[2Jone on stderr")
if [ $rc = 0 ] && [ ${#fails[@]} = 0 ]; then
	ok "--progress with a hostile answers file: visible forms (<U+202E>, ^[), nothing raw"
else
	not_ok "--progress with a hostile answers file: visible forms, nothing raw" "exit $rc" "${fails[@]}" \
		"$(cat -v "$T/p.all")"
fi

# The screen (tmux): titles, table and item in visible form; the note in
# the row under the item when it is focused (issue 13: not on the status
# line any more), in visible form too.
make_answers
MAMORI_CONTENT=$UNICODE
start 100 24 -- --answers "$ANS" --page uni-title
fails=()
wait_for '題名<U+202E>txt.exe<U+202C>の頁' 2>/dev/null || fails+=("title not in visible form")
for v in '<U+2066>分離<U+2069>' '幅なし<U+200B>空白' 'セル<U+202E>逆' '項目<U+202E>反転<U+200B>です'; do
	_has_fixed "$v" || fails+=("no '$v' on screen")
done
_status_has '回答ファイル' || fails+=("the answers file's problems are not said on the status line")
scr1=$(screen 2>&1)
keys c
# The row right after the item's (one row) is the note's.
_note_under() {
	local row
	row=$(_scr | grep -A1 -F '[x]*項目<U+202E>反転' | sed -n 2p)
	printf '%s\n' "$row" | grep -qE '^ *\| メモ: ' &&
		printf '%s\n' "$row" | grep -qF '| メモ: メモ^[[2J<U+202E>逆<U+009B>^[]0;pwned-escaped^G終'
}
_poll _note_under ||
	fails+=("the note is not shown under the item as | メモ: メモ^[[2J<U+202E>逆<U+009B>^[]0;pwned-escaped^G終")
scr2=$(screen 2>&1)
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fails+=("exit '$st'")
if [ ${#fails[@]} = 0 ]; then
	ok "the screen (tmux): bidi/zero-width content and a hostile note in visible form"
else
	not_ok "the screen (tmux): bidi/zero-width content and a hostile note in visible form" "${fails[@]}" \
		"$scr1" "--- after c ---" "$scr2"
fi
MAMORI_CONTENT=$MAMORI_CONTENT_SAVED

# The same, as raw bytes (script): none of the injected sequences sent.
make_answers
sc_start "$T/ts" - -- --content "$UNICODE" --answers "$ANS" --page uni-title
sc_wait '1/1' || true
sc_keys c
sc_wait 'pwned-escaped' || true
sc_keys q
sc_end
tool body "$T/ts" "$T/ts.body"
fails=()
found=$(raw_in "$T/ts.body" OSC C1 RLO LRI ZWSP BOM DEL BEL)
[ -z "$found" ] || fails+=("raw: $found")
has_bytes "$T/ts.body" "$(printf 'メモ\033')" && fails+=("the note's ESC was sent raw")
has_bytes "$T/ts.body" "d$B_CSI_CLEAR" && fails+=("the bad state's ESC was sent raw")
has_bytes "$T/ts.body" '<U+202E>' || fails+=("no <U+202E> sent")
has_bytes "$T/ts.body" '^[]0;pwned-escaped^G' || fails+=("the note's escaped ESC/BEL not sent as ^[ ^G")
if [ "$SC_RC" = 0 ] && [ ${#fails[@]} = 0 ]; then
	ok "the screen (raw bytes): no injected sequence sent, visible forms instead"
else
	not_ok "the screen (raw bytes): no injected sequence sent, visible forms instead" "exit $SC_RC" "${fails[@]}"
fi

# An option value, on stderr: outside a terminal and on one.
"$MAMORI" --content "$MAMORI_CONTENT" --page "$(printf '\033[2Jx')" >"$T/o" 2>"$T/e"
rc=$?
if [ $rc = 2 ] && grep -qF '^[[2Jx' "$T/e" && ! has_bytes "$T/e" "$(printf '\033')" && [ ! -s "$T/o" ]; then
	ok "--page \$'\\e[2Jx': exit 2, stderr shows ^[[2Jx, no raw ESC"
else
	not_ok "--page \$'\\e[2Jx': exit 2, stderr shows ^[[2Jx, no raw ESC" "exit $rc" "$(cat -v "$T/e")"
fi
sc_start "$T/ts" - -- --page "$(printf '\033]0;pwned\007x')"
sc_end
tool body "$T/ts" "$T/ts.body"
if [ "$SC_RC" = 2 ] && has_bytes "$T/ts.body" '^[]0;pwned^Gx' && [ -z "$(raw_in "$T/ts.body" OSC BEL)" ]; then
	ok "--page \$'\\e]0;pwned\\ax' on a terminal: the terminal gets ^[]0;pwned^Gx, not the OSC"
else
	not_ok "--page \$'\\e]0;pwned\\ax' on a terminal: the terminal gets ^[]0;pwned^Gx" "exit $SC_RC" \
		"$(cat -v "$T/ts.body")"
fi
for opt in "--width=${B_OSC}${B_BEL}" "--format=${B_RLO}x" "--charset=${B_CSI_CLEAR}" \
	"--new-session=${B_C1}x" "--answers=/nonexistent/${B_OSC}${B_BEL}/a" "--${B_CSI_CLEAR}"; do
	"$MAMORI" --content "$MAMORI_CONTENT" "$opt" --progress >"$T/o" 2>"$T/e"
	rc=$?
	found=$(raw_in "$T/e")
	has_bytes "$T/e" "$(printf '\033')" && found="$found ESC"
	shown=$(printf '%s' "${opt%%=*}" | cat -v)
	if [ $rc -ne 0 ] && [ -z "$found" ] && grep -qE '\^\[|<U\+' "$T/e"; then
		ok "$shown=...: stderr quotes the hostile value in visible form (exit $rc)"
	else
		not_ok "$shown=...: stderr quotes the hostile value in visible form" "exit $rc, raw: $found" "$(cat -v "$T/e")"
	fi
done

# --- 4. terminals mamori cannot use ------------------------------------------------

refuse() {
	local desc=$1
	shift
	if [ "$SC_RC" = 2 ] && [ ! -s "$T/ts.body" ] && grep -qF -- '--dump' "$T/e"; then
		ok "$desc: exit 2, stderr suggests --dump, nothing on stdout"
	else
		not_ok "$desc: exit 2, stderr suggests --dump, nothing on stdout" "exit $SC_RC" \
			"stderr: $(cat "$T/e")" "stdout: $(cat -v "$T/ts.body" | head -c 300)"
	fi
}
for t in unset dumb nosuchterm ''; do
	if [ "$t" = unset ]; then tenv=(-u TERM); else tenv=("TERM=$t"); fi
	sc_start "$T/ts" "$T/e" "${tenv[@]}"
	sc_end
	tool body "$T/ts" "$T/ts.body"
	refuse "TERM=${t:-(empty)}"
done
# stdout not a terminal (stdin one): the reader must not write escapes into a file.
SC_OUT_FILE=$T/stdout-file
cmd="exec $(printf '%q ' env -i "PATH=$PATH" "HOME=$E2E_HOME" "XDG_DATA_HOME=$E2E_HOME/.local/share" \
	TERM=xterm-256color LANG=C.UTF-8 "$MAMORI" --content "$MAMORI_CONTENT") >$(printf '%q' "$SC_OUT_FILE") 2>$(printf '%q' "$T/e")"
: >"$SC_OUT_FILE"
SHELL=/bin/bash timeout 10 script -qfec "$cmd" "$T/ts" </dev/null >/dev/null 2>&1
SC_RC=$?
cp "$SC_OUT_FILE" "$T/ts.body"
refuse "stdout redirected to a file"
if has_bytes "$T/e" 'terminal'; then
	ok "stdout redirected: the message says what is wrong (a terminal)"
else
	not_ok "stdout redirected: the message says what is wrong (a terminal)" "$(cat "$T/e")"
fi
"$MAMORI" --content "$MAMORI_CONTENT" </dev/null >"$T/ts.body" 2>"$T/e"
SC_RC=$?
refuse "no terminal at all (stdin /dev/null, stdout a file)"

# --- 5. NO_COLOR and --no-color ---------------------------------------------------

for spec in "NO_COLOR=1" "--no-color" "NO_COLOR=1 TERM=xterm-256color" "--no-color TERM=linux"; do
	envs=() args=()
	for w in $spec; do
		case $w in --*) args+=("$w") ;; *) envs+=("$w") ;; esac
	done
	start 80 24 "${envs[@]}" -- "${args[@]}" --page principle-1
	fails=()
	wait_for_re '^==+ *$' 2>/dev/null || fails+=("the page did not open")
	# Headings, links and checklist items in view, and the cursor on an item.
	keys c
	sleep 0.05
	settle
	screen_e >"$T/sgr"
	colours=$(tool sgr_colours "$T/sgr") || fails+=("colour SGR codes on screen: $colours")
	[ -n "$(reverse_lines)" ] || fails+=("no reverse video line (the cursor) on the page")
	keys t
	wait_for_re '^> ' 2>/dev/null
	settle
	screen_e >"$T/sgr"
	colours=$(tool sgr_colours "$T/sgr") || fails+=("colour SGR codes on the contents: $colours")
	reverse_lines | grep -q '^> ' || fails+=("the contents' cursor line '> ' is not in reverse video")
	# The contents was opened from the page: q goes back to it, and q there quits.
	keys q
	wait_for_re '[0-9]+%  \?:' 2>/dev/null || fails+=("q on the contents did not go back to the page")
	keys q
	st=$(wait_exit)
	[ "$st" = 0 ] || fails+=("exit '$st'")
	if [ ${#fails[@]} = 0 ]; then
		ok "$spec: no colour on the screen (capture-pane -e), reverse video marks the cursor"
	else
		not_ok "$spec: no colour on the screen, reverse video marks the cursor" "${fails[@]}"
	fi
done
# And in the bytes sent (a terminal with colours).
sc_start "$T/ts" - NO_COLOR=1 -- --page principle-1
sc_wait "/$NPAGES" || true
sc_keys c
sleep 0.1
sc_keys q
sc_end
tool body "$T/ts" "$T/ts.body"
colours=$(tool sgr_colours "$T/ts.body")
crc=$?
if [ "$SC_RC" = 0 ] && [ $crc = 0 ] && LC_ALL=C grep -qaE "$ESC\[([0-9]+;)*7(;[0-9]+)*m" "$T/ts.body"; then
	ok "NO_COLOR=1 on xterm-256color: no colour SGR sent, reverse video sent"
else
	not_ok "NO_COLOR=1 on xterm-256color: no colour SGR sent, reverse video sent" "exit $SC_RC" "${colours:-}"
fi

# --- 6. C-z and fg ------------------------------------------------------------------

# A shell in the pane: dash, because bash puts its own terminal modes back
# when a job stops, which would hide a mamori that did not.
SH=$(command -v dash || echo /bin/sh)
shell_start() {
	_seed_resume "$E2E_HOME/.local/state" # each mamori typed here opens the contents (lib.sh)
	_new_session 80 24 env -i "PATH=$PATH" "HOME=$E2E_HOME" TERM=tmux-256color LANG=C.UTF-8 \
		LC_ALL=C.UTF-8 "PS1=SH> " "$SH" -i
	wait_for_re '^SH>' 2>/dev/null
}
MM_LINE="XDG_DATA_HOME=$E2E_HOME/.local/share ESCDELAY=25 $MAMORI --content $MAMORI_CONTENT"
modes_line() { type_text "clear; echo \"MODES: \$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo|isig|icrnl|opost)' | tr '\\n' ' ')\""; keys Enter; }
MODES_SANE='MODES: icrnl opost isig icanon echo'

shell_start
type_text "$MM_LINE"
keys Enter
fails=()
wait_line 1 '目次' 2>/dev/null || fails+=("mamori did not start in the shell")
press j 2>/dev/null
cursor_before=$(reverse_lines | head -n 1)
[ "$(pane_fmt '#{alternate_on}')" = 1 ] || fails+=("mamori is not on the alternate screen")
keys C-z
wait_for_re 'Stopped' 2>/dev/null || fails+=("C-z: no 'Stopped' from the shell")
wait_for_re '^SH> ?$' 2>/dev/null || fails+=("C-z: the shell prompt did not come back")
[ "$(pane_fmt '#{alternate_on}')" = 0 ] || fails+=("C-z: still on the alternate screen")
[ "$(pane_fmt '#{cursor_flag}')" = 1 ] || fails+=("C-z: the cursor is still hidden")
[ "$(pane_fmt '#{keypad_cursor_flag}')" = 0 ] || fails+=("C-z: the keypad is still in application mode")
modes_line
wait_for 'MODES:' 2>/dev/null
settle
_has_fixed "$MODES_SANE" || fails+=("C-z: terminal modes not restored: $(_scr | grep MODES)")
if [ ${#fails[@]} = 0 ]; then
	ok "C-z: mamori stops, the shell prompt returns, the terminal is restored (modes, cursor, main screen)"
else
	not_ok "C-z: mamori stops and restores the terminal" "${fails[@]}" "$(screen)"
fi
fails=()
type_text fg
keys Enter
wait_line 1 '目次' 2>/dev/null || fails+=("fg: the contents were not redrawn")
wait_status_re "[0-9]+/$NPAGES" 2>/dev/null || fails+=("fg: no status line")
settle
[ "$(reverse_lines | head -n 1)" = "$cursor_before" ] || fails+=("fg: the cursor line moved: '$(reverse_lines | head -n 1)', was '$cursor_before'")
_has_fixed 'MODES:' && fails+=("fg: the shell's output is still on screen (not redrawn)")
[ "$(pane_fmt '#{alternate_on}')" = 1 ] || fails+=("fg: not back on the alternate screen")
press j 2>/dev/null || fails+=("fg: keys do not work (j)")
keys q
wait_for_re '^SH> ?$' 2>/dev/null
type_text 'echo "STATUS=$?"'
keys Enter
wait_for 'STATUS=' 2>/dev/null
_has_fixed 'STATUS=0' || fails+=("q after fg: $(_scr | grep STATUS=)")
if [ ${#fails[@]} = 0 ]; then
	ok "fg: the screen is redrawn as it was, keys work, q exits 0"
else
	not_ok "fg: the screen is redrawn as it was, keys work, q exits 0" "${fails[@]}" "$(screen)"
fi

# Signals that end it: exit 128+N and the terminal restored each time.  TERM,
# HUP and INT are caught and left cleanly; QUIT (C-\\) and the other signals
# whose default ends the process restore the terminal, then die of the signal.
for sig in TERM HUP INT QUIT USR1 ALRM XCPU; do
	_seed_resume "$E2E_HOME/.local/state"
	type_text "clear; $MM_LINE"
	keys Enter
	fails=()
	wait_line 1 '目次' 2>/dev/null || fails+=("mamori did not start")
	mpid=$(pgrep -P "$(pane_pid)" -x mamori | head -n 1)
	case $sig in
	INT) keys C-c ;;
	QUIT) keys -H 1c ;; # C-\, through the tty driver
	*) kill -s "$sig" "$mpid" 2>/dev/null ;;
	esac
	wait_for_re '^SH> ?$' 2>/dev/null || fails+=("the shell prompt did not come back")
	want=$((128 + $(kill -l "$sig")))
	type_text 'echo "STATUS=$?"'
	keys Enter
	wait_for 'STATUS=' 2>/dev/null
	_has_fixed "STATUS=$want" || fails+=("exit: $(_scr | grep STATUS=), want $want")
	modes_line
	wait_for 'MODES:' 2>/dev/null
	settle
	_has_fixed "$MODES_SANE" || fails+=("modes not restored: $(_scr | grep MODES)")
	[ "$(pane_fmt '#{alternate_on}')" = 0 ] || fails+=("still on the alternate screen")
	[ "$(pane_fmt '#{cursor_flag}')" = 1 ] || fails+=("the cursor is still hidden")
	if [ ${#fails[@]} = 0 ]; then
		ok "SIG$sig: exit $want, the terminal restored"
	else
		not_ok "SIG$sig: exit $want, the terminal restored" "${fails[@]}" "$(screen)"
	fi
done

# --- 7. a lost terminal ---------------------------------------------------------------

# The tmux server killed under it: gone within 2 s, without spinning.
start 80 24
wait_for '目次' >/dev/null 2>&1
mpid=$(pane_pid)
cpu0=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$mpid/stat" 2>/dev/null)
: "${cpu0:=0}"
cpu=$cpu0
tm kill-server
gone=0
t0=$(_now_ms)
while [ $(($(_now_ms) - t0)) -lt 2000 ]; do
	# A zombie has ended (its parent, the server, is going away too).
	st=$(awk '{ print $3 }' "/proc/$mpid/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ] && { gone=1; break; }
	c=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$mpid/stat" 2>/dev/null) && [ -n "$c" ] && cpu=$c
	sleep 0.01
done
if [ $gone = 1 ] && [ $((cpu - cpu0)) -lt 50 ]; then
	ok "tmux server killed: mamori gone after $(($(_now_ms) - t0)) ms ($((cpu - cpu0)) ticks of CPU after)"
else
	[ $gone = 1 ] || kill -KILL "$mpid" 2>/dev/null
	not_ok "tmux server killed: mamori gone within 2 s, not spinning" "gone=$gone, CPU ticks since the kill: $((cpu - cpu0))"
fi
# A pty closed under it, as its controlling terminal (SIGHUP) and not (only
# read errors: a read loop that ignored them would spin at 100%).
for mode in ctty noctty; do
	res=$(tool lost "$mode" "1/$NPAGES" env -i "PATH=$PATH" "HOME=$E2E_HOME" \
		"XDG_DATA_HOME=$E2E_HOME/.local/share" TERM=xterm-256color LANG=C.UTF-8 \
		"$MAMORI" --content "$MAMORI_CONTENT")
	read -r r_state r_secs r_status r_cpu <<<"$res"
	if [ "$r_state" = gone ] && "$PYTHON" -c "import sys; sys.exit(not float('$r_cpu') < 0.5)"; then
		ok "pty closed ($mode): mamori gone after ${r_secs}s, exit $r_status, ${r_cpu}s of CPU in all"
	else
		not_ok "pty closed ($mode): mamori gone within 2 s without spinning" "$res"
	fi
done

finish
