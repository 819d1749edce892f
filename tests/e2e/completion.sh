#!/bin/bash
# The shell completions in contrib/completion (issue 16), each loaded the
# way a user's shell loads it and checked for options, --format values,
# page ids (from the real binary's --list, for the content named on the
# line) and files:
# - bash: the completion is sourced after bash-completion itself, and
#   COMPREPLY is read;
# - zsh: an interactive `zsh -f` with compinit and contrib/completion on
#   $fpath runs in tmux; a command line and Tab are typed into it, and the
#   line after Tab and the list zsh draws under it are read.
# A part whose shell (or bash-completion, or tmux) is missing says "# SKIP";
# SKIP (77) when both are.  Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/completion.sh

. "$(dirname "$0")/lib.sh"
e2e_init completion

# Absolute: the zsh below changes directory, and a symlink must point home.
COMP_DIR=$(cd "$TESTS_SRCDIR/../contrib/completion" && pwd) || bail_out "no contrib/completion"
[ -f "$COMP_DIR/mamori" ] || bail_out "no $COMP_DIR/mamori"
[ -f "$COMP_DIR/_mamori" ] || bail_out "no $COMP_DIR/_mamori"
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
MAMORI_CONTENT=$(cd "$MAMORI_CONTENT" && pwd)
T=$E2E_TMP

# has DESC WORD LIST: ok if WORD is a line of LIST.
has() {
	if grep -qxF -- "$2" <<<"$3"; then
		ok "$1"
	else
		not_ok "$1" "wanted: $2" "got: $(tr '\n' ' ' <<<"$3")"
	fi
}

# hasnt DESC WORD LIST: ok if WORD is not a line of LIST.
hasnt() {
	if grep -qxF -- "$2" <<<"$3"; then
		not_ok "$1" "did not want: $2" "got: $(tr '\n' ' ' <<<"$3")"
	else
		ok "$1"
	fi
}

# Every long option --help names, one per line, sorted.
help_options() {
	LC_ALL=C "$MAMORI" --help | grep -oE -- '(^|[ ,])--[a-z][a-z-]*' | sed 's/^[ ,]*//' | sort -u
}

# The page ids of the source content, sorted.
ids=$("$MAMORI" --content "$MAMORI_CONTENT" --list | cut -f1 | sort)
[ -n "$ids" ] || bail_out "mamori --list printed no page ids"

# Content of its own and a directory of files, for both shells.
mkdir -p "$T/c" "$T/w/dir1" "$T/w/dir2"
printf '@chapter 章\n\n@page zz-only ただ一つのページ\n\n本文。\n' >"$T/c/01.txt"
: >"$T/w/answers.txt"

# ============================== bash ==============================================

BASH_COMPLETION=
for f in /usr/share/bash-completion/bash_completion /etc/bash_completion; do
	[ -f "$f" ] && BASH_COMPLETION=$f && break
done

# complete WORD...: the candidates, one per line, for the cursor at the end
# of the last WORD (give "" to complete an empty word).  The first word is
# the binary under test, as a user's "mamori" would be.
complete() {
	bash --norc --noprofile -c '
		. "$1" >/dev/null 2>&1
		. "$2"
		shift 2
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_mamori mamori "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' complete "$BASH_COMPLETION" "$COMP_DIR/mamori" \
		"$MAMORI" "$@" | sort
}

bash_part() {
	local got missing

	# --- options: every option --help names, and nothing else ---------------------

	got=$(complete --)
	missing=$(comm -13 <(printf '%s\n' "$got") <(help_options))
	same "every long option of --help completes after --" "$missing" ""
	has "--report is offered" --report "$got"
	has "--version is offered" --version "$got"
	same "--rep completes to --report alone" "$(complete --rep)" "--report"
	same "--pol completes to --policy-draft alone" "$(complete --pol)" "--policy-draft"

	# --- --format values, by the mode on the line ----------------------------------

	same "--report --format: text md html csv" "$(complete --report --format '' | tr '\n' ' ')" "csv html md text "
	same "--progress --format: text tsv" "$(complete --progress --format '' | tr '\n' ' ')" "text tsv "
	same "--policy-draft --format: text md" "$(complete --policy-draft --format '' | tr '\n' ' ')" "md text "
	same "--format=h after --report completes to html" "$(complete --report --format=h)" "html"
	same "--charset C completes to CP932" "$(complete --charset C)" "CP932"

	# --- page ids: from --list of the content the line names -------------------------

	got=$(complete --content "$MAMORI_CONTENT" --page '')
	same "--page offers exactly the ids of --list" "$got" "$ids"
	got=$(complete --content "$MAMORI_CONTENT" --dump '')
	has "--dump offers all" all "$got"
	has "--dump offers a page id" "$(head -n 1 <<<"$ids")" "$got"
	same "--page action- offers the 7 actions" "$(complete --content "$MAMORI_CONTENT" --page action- | grep -c '^action-[1-7]$')" 7

	# A content tree of its own, named with --content=DIR: its ids, not the installed ones.
	got=$(complete --content="$T/c" --page '')
	same "--content=DIR on the line: that content's ids" "$got" "zz-only"
	hasnt "--content=DIR on the line: no id of the other content" intro "$got"

	# --- files and directories -------------------------------------------------------

	got=$(cd "$T/w" && complete --answers '')
	has "--answers offers files" answers.txt "$got"
	got=$(cd "$T/w" && complete --content '')
	has "--content offers directories" dir1 "$got"
	hasnt "--content offers no plain files" answers.txt "$got"
}

# ============================== zsh ===============================================
#
# A zsh with nothing of the user's (zsh -f) but what a .zshrc has for
# completion: contrib/completion first on $fpath, then compinit; `mamori` on
# PATH is the binary under test.  Each check clears the line and the screen,
# types a command line, Tab, and C-x C-d.  zsh reads keys in order, so that
# last key's widget runs once the completion is done and drawn: it saves
# $BUFFER to a file and sets the pane's title to a counter.  tmux takes the
# title after the list drawn before it, so once the title shows, the screen
# holds the whole list: no sleeping, and a lost key is a timeout, not a guess.

ZT=$T/zsh
ZCOLS=200
ZN=0
ZBROKEN=
ZBUF=
ZLIST=
ZNOISE=

# zsh_start: the zsh, loading compinit.  It is started before the bash
# checks, which run while compinit takes its second or so (it reads the
# first line of every file on $fpath); zsh_part waits for it.
zsh_start() {
	mkdir -p "$ZT/bin" "$ZT/home" || return 1
	ln -s "$MAMORI" "$ZT/bin/mamori" || return 1
	cat >"$ZT/init.zsh" <<'EOF'
fpath=("$COMP_DIR" $fpath)
autoload -U compinit && compinit -u -d "$ZT/zcompdump"
PS1='> '
# One Tab lists the candidates even when it could first insert their common
# prefix (a second Tab would list them then); the list is never held back
# behind "do you wish to see all" unless it would scroll off the screen.
unsetopt list_ambiguous
LISTMAX=0
integer _t_n=0
_t_mark() {
	print -r -- "$BUFFER" >|"$ZT/buf"
	zle -R
	print -n "\e]2;done $((++_t_n))\a" >/dev/tty
}
zle -N _t_mark
bindkey '^X^D' _t_mark
print -n "\e]2;ready\a" >/dev/tty
EOF
	_new_session "$ZCOLS" 60 env -i "PATH=$ZT/bin:$PATH" "HOME=$ZT/home" TERM=tmux-256color \
		LANG=C.UTF-8 LC_ALL=C.UTF-8 "ZT=$ZT" "COMP_DIR=$COMP_DIR" zsh -f || return 1
	E2E_LAST_CMD="zsh -f, then compinit"
	type_text ". $(printf %q "$ZT/init.zsh")"
	keys Enter
}

_title_is() { [ "$(pane_fmt '#{pane_title}' 2>/dev/null)" = "$1" ]; }

# ztab LINE: types LINE and Tab into the zsh.  ZBUF is the line after Tab;
# ZLIST the candidates zsh listed under it (descriptions cut off), one per
# line, sorted.  Once zsh has not answered, every later ztab fails at once.
ztab() {
	ZBUF='(zsh did not answer)'
	ZLIST=
	[ -z "$ZBROKEN" ] || return 1
	ZN=$((ZN + 1))
	# One tmux call: kill the line, clear the screen, type, Tab, the marker.
	tm send-keys -t "$E2E_SESS" C-u C-l \; send-keys -t "$E2E_SESS" -l "$1" \; \
		send-keys -t "$E2E_SESS" Tab C-x C-d
	if ! _poll _title_is "done $ZN"; then
		_wait_report "zsh to complete '$1'"
		ZBROKEN=1
		return 1
	fi
	ZBUF=$(<"$ZT/buf")
	# The prompt ("> ") and the line take the first rows; the list follows,
	# a description after " -- " (cut off).  Bash alone, but for one sort:
	# this runs for every check.
	local rows=$(((2 + ${#ZBUF}) / ZCOLS + 1)) n=0 row first="" want
	local -a cands=() w
	while IFS= read -r row; do
		n=$((n + 1))
		if [ $n -le $rows ]; then
			first+=$row
		else
			read -r -a w <<<"${row%% -- *}"
			cands+=("${w[@]}")
		fi
	done < <(screen)
	[ ${#cands[@]} -gt 0 ] && ZLIST=$(printf '%s\n' "${cands[@]}" | sort)
	# What the user sees on the line must be the line: an error message
	# from the completion function lands there (then the list is below it).
	want="> $ZBUF"
	want=${want%"${want##*[! ]}"}
	[ "$first" = "$want" ] || ZNOISE+="$1: $first"$'\n'
}

q() { printf %q "$1"; }

zsh_part() {
	check "zsh parses _mamori" zsh -n "$COMP_DIR/_mamori"
	if ! E2E_WAIT_MS=15000 _poll _title_is ready; then
		_wait_report "zsh to load compinit"
		not_ok "zsh: started with compinit"
		return
	fi

	# --- options: every option --help names, and nothing else ---------------

	ztab 'mamori --'
	local missing
	missing=$(comm -13 <(printf '%s\n' "$ZLIST") <(help_options))
	same "zsh: every long option of --help is listed after --" "$missing" ""
	has "zsh: --report is listed" --report "$ZLIST"
	ztab 'mamori --pa'
	case $ZBUF in
	'mamori --page=' | 'mamori --page ') ok "zsh: --pa completes to --page" ;;
	*) not_ok "zsh: --pa completes to --page" "line after Tab: '$ZBUF'" ;;
	esac
	ztab 'mamori --rep'
	same "zsh: --rep completes to --report" "$ZBUF" "mamori --report "
	ztab 'mamori --pol'
	same "zsh: --pol completes to --policy-draft" "$ZBUF" "mamori --policy-draft "

	# --- --format values, by the mode on the line ----------------------------

	ztab 'mamori --report --format '
	same "zsh: --report --format: text md html csv" "${ZLIST//$'\n'/ }" "csv html md text"
	ztab 'mamori --progress --format '
	same "zsh: --progress --format: text tsv" "${ZLIST//$'\n'/ }" "text tsv"
	ztab 'mamori --policy-draft --format '
	same "zsh: --policy-draft --format: text md" "${ZLIST//$'\n'/ }" "md text"
	ztab 'mamori --report --format=h'
	same "zsh: --format=h after --report completes to html" "$ZBUF" "mamori --report --format=html "
	ztab 'mamori --charset C'
	same "zsh: --charset C completes to CP932" "$ZBUF" "mamori --charset CP932 "

	# --- page ids: from --list of the content the line names -------------------

	ztab "mamori --content $(q "$MAMORI_CONTENT") --page "
	same "zsh: --page lists exactly the ids of --list" "$ZLIST" "$ids"
	ztab "mamori --content $(q "$MAMORI_CONTENT") --dump "
	has "zsh: --dump lists all" all "$ZLIST"
	has "zsh: --dump lists a page id" "$(head -n 1 <<<"$ids")" "$ZLIST"
	ztab "mamori --content $(q "$MAMORI_CONTENT") --page action-"
	same "zsh: --page action- lists the 7 actions" "${ZLIST//$'\n'/ }" "action-1 action-2 action-3 action-4 action-5 action-6 action-7"
	ztab "mamori --content=$(q "$T/c") --page "
	same "zsh: --content=DIR on the line: that content's one id is inserted" \
		"$ZBUF" "mamori --content=$(q "$T/c") --page zz-only "
	hasnt "zsh: --content=DIR on the line: no id of the other content" intro "$ZLIST"

	# --- files and directories -----------------------------------------------

	keys C-u
	type_text "cd $(q "$T/w")"
	keys Enter
	ztab 'mamori --answers '
	has "zsh: --answers lists files" answers.txt "$ZLIST"
	ztab 'mamori --content '
	has "zsh: --content lists directories" dir1/ "$ZLIST"
	hasnt "zsh: --content lists no plain files" answers.txt "$ZLIST"

	same "zsh: Tab drew nothing on the line but the line (no error messages)" "$ZNOISE" ""
}

# ============================== run ================================================

ZSH_ON=
if ! command -v zsh >/dev/null 2>&1; then
	echo "# SKIP zsh: not installed"
elif ! command -v tmux >/dev/null 2>&1; then
	echo "# SKIP zsh: tmux is not installed"
else
	zsh_start || bail_out "could not start zsh in tmux"
	ZSH_ON=1
fi
if [ -n "$BASH_COMPLETION" ]; then
	bash_part
else
	echo "# SKIP bash: bash-completion is not installed (apt-get install bash-completion)"
fi
[ -z "$ZSH_ON" ] || zsh_part
[ $((E2E_PASSED + E2E_FAILED)) -gt 0 ] || skip_all "neither bash-completion nor zsh is installed"

finish
