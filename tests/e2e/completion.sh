#!/bin/bash
# The shell completions in contrib/completion (issue 16): the bash one is
# sourced after bash-completion itself, the way an interactive shell loads
# it, and COMPREPLY is checked for options, --format values, page ids (from
# the real binary's --list, for the content named on the line) and files;
# the zsh one is parsed by zsh when zsh is installed.  SKIP (77) without
# bash-completion.  Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/completion.sh

. "$(dirname "$0")/lib.sh"
e2e_init completion

BASH_COMPLETION=
for f in /usr/share/bash-completion/bash_completion /etc/bash_completion; do
	[ -f "$f" ] && BASH_COMPLETION=$f && break
done
[ -n "$BASH_COMPLETION" ] || skip_all "bash-completion is not installed (apt-get install bash-completion)"
COMP_DIR="$TESTS_SRCDIR/../contrib/completion"
[ -f "$COMP_DIR/mamori" ] || bail_out "no $COMP_DIR/mamori"
T=$E2E_TMP

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

# --- options: every option --help names, and nothing else ---------------------

got=$(complete --)
want=$(LC_ALL=C "$MAMORI" --help | grep -oE -- '(^|[ ,])--[a-z][a-z-]*' | sed 's/^[ ,]*//' | sort -u)
missing=$(comm -13 <(printf '%s\n' "$got") <(printf '%s\n' "$want"))
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

ids=$("$MAMORI" --content "$MAMORI_CONTENT" --list | cut -f1 | sort)
got=$(complete --content "$MAMORI_CONTENT" --page '')
same "--page offers exactly the ids of --list" "$got" "$ids"
got=$(complete --content "$MAMORI_CONTENT" --dump '')
has "--dump offers all" all "$got"
has "--dump offers a page id" "$(head -n 1 <<<"$ids")" "$got"
same "--page action- offers the 7 actions" "$(complete --content "$MAMORI_CONTENT" --page action- | grep -c '^action-[1-7]$')" 7

# A content tree of its own, named with --content=DIR: its ids, not the installed ones.
mkdir -p "$T/c"
printf '@chapter 章\n\n@page zz-only ただ一つのページ\n\n本文。\n' >"$T/c/01.txt"
got=$(complete --content="$T/c" --page '')
same "--content=DIR on the line: that content's ids" "$got" "zz-only"
hasnt "--content=DIR on the line: no id of the other content" intro "$got"

# --- files and directories -------------------------------------------------------

mkdir -p "$T/w/dir1"
: >"$T/w/answers.txt"
got=$(cd "$T/w" && complete --answers '')
has "--answers offers files" answers.txt "$got"
got=$(cd "$T/w" && complete --content '')
has "--content offers directories" dir1 "$got"
hasnt "--content offers no plain files" answers.txt "$got"

# --- zsh: the completion function parses -------------------------------------------

if command -v zsh >/dev/null 2>&1; then
	check "zsh parses _mamori" zsh -n "$COMP_DIR/_mamori"
else
	echo "# SKIP zsh: not installed"
fi

finish
