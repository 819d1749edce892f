#!/bin/bash
# End-to-end checks of the reader's index cache (src/core/doc_cache.h): the
# first start writes $XDG_CACHE_HOME/mamori/index-HASH (0600, in a 0700
# directory); the second start reads it (the file is not written again)
# and shows the same first screen and the same `--page` contents as the
# first, and as a start without the cache; after a content file is edited
# the reader shows the new text, and the cache is written again once the
# file is old enough; a cache truncated while in use is survived and told;
# MAMORI_NO_INDEX_CACHE=1 writes nothing.
# Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/cache.sh

. "$(dirname "$0")/lib.sh"
e2e_init cache
need_tmux

T=$E2E_TMP
CACHE="$E2E_HOME/.cache/mamori"
COLS=80
READY='[0-9]+/[0-9]+'

# A copy of the content whose files are an hour old: a file changed in the
# last seconds is never cached (doc_cache.h).
cp -R "$MAMORI_CONTENT" "$T/c" || bail_out "cannot copy the content"
touch -d '1 hour ago' "$T"/c/*.txt
MAMORI_CONTENT=$T/c

# shot ROWS [ENV-ARG...] [-- MAMORI-ARG...]: start, wait for the first screen, keep it in $T/shot, quit.
shot() {
	local rows=$1
	shift
	mm_start $COLS "$rows" "$@"
	if ! wait_for_re '[^ ]' >/dev/null; then
		: >"$T/shot"
		return 1
	fi
	settle
	screen >"$T/shot"
	keys q
	wait_exit >/dev/null
}

cache_file() { ls "$CACHE"/index-* 2>/dev/null; }
inode() { stat -c %i "$1" 2>/dev/null; }

shot 24 || not_ok "the first start shows a screen" "$(cat "$T/shot")"
cp "$T/shot" "$T/first"
f=$(cache_file)
same "the first start writes one cache file" "$(echo "$f" | grep -c index-)" 1
same "the cache file is 0600" "$(stat -c %a "$f")" 600
same "the cache directory is 0700" "$(stat -c %a "$CACHE")" 700
ino=$(inode "$f")

shot 24
if cmp -s "$T/first" "$T/shot"; then
	ok "the second start shows the same first screen"
else
	not_ok "the second start shows the same first screen" "$(diff "$T/first" "$T/shot" | head -20)"
fi
same "the second start reads the cache, it does not write it" "$(inode "$(cache_file)")" "$ino"

# --page: the same with the cache as without it, for pages of every kind.
pages=$(mm --list | cut -f1)
for p in $(echo "$pages" | head -n 1) table-1 action-1 sa-two-star $(echo "$pages" | tail -n 1); do
	echo "$pages" | grep -qx "$p" || continue
	shot 60 -- --page "$p"
	cp "$T/shot" "$T/cached"
	shot 60 MAMORI_NO_INDEX_CACHE=1 -- --page "$p"
	if grep -qE "$READY" "$T/cached" && cmp -s "$T/cached" "$T/shot"; then
		ok "--page $p from the cache is --page $p without it"
	else
		not_ok "--page $p from the cache is --page $p without it" \
			"$(diff "$T/shot" "$T/cached" | head -20)"
	fi
done
same "starts with the cache wrote nothing" "$(inode "$(cache_file)")" "$ino"

# Edit the first page: a new first paragraph.  The reader shows it at once.
first=$(echo "$pages" | head -n 1)
file=$(grep -l "^@page $first\\b" "$T"/c/*.txt | head -n 1)
NEW='キャッシュを越えて届いた新しい一文'
sed -i "/^@page $first\\b/a\\
$NEW\\
" "$file"
shot 60 -- --page "$first"
if grep -qF "$NEW" "$T/shot"; then
	ok "after an edit the reader shows the new text"
else
	not_ok "after an edit the reader shows the new text" "$(cat "$T/shot")"
fi
# Once the file is old enough the cache is written again, and then read.
touch -d '1 hour ago' "$file"
shot 60 -- --page "$first"
ino2=$(inode "$(cache_file)")
if [ -n "$ino2" ] && [ "$ino2" != "$ino" ] && grep -qF "$NEW" "$T/shot"; then
	ok "the cache is written again after the edit"
else
	not_ok "the cache is written again after the edit" "inode $ino -> $ino2"
fi
shot 60 -- --page "$first"
if grep -qF "$NEW" "$T/shot" && [ "$(inode "$(cache_file)")" = "$ino2" ]; then
	ok "the next start reads the new text from the cache"
else
	not_ok "the next start reads the new text from the cache" "$(cat "$T/shot")"
fi

# A damaged cache is ignored (the same screen) and written again.
printf 'garbage' >"$(cache_file)"
shot 60 -- --page "$first"
if grep -qF "$NEW" "$T/shot" && [ "$(stat -c %s "$(cache_file)")" -gt 100 ]; then
	ok "a damaged cache is ignored and written again"
else
	not_ok "a damaged cache is ignored and written again" "$(cat "$T/shot")"
fi

# The cache truncated in place by another program while a mamori has it
# mapped (rsync --inplace restoring a backup, `: > file`): reading it was a
# SIGBUS that killed the reader. Now its titles read as empty, the status
# line says so at once, and the rest goes on: an answer is still saved
# under its id, the place is kept for the next start, and a report (whose
# names would be blank) is refused rather than written.
shot 24 -- --page "$first" # the cache is current: the next start reads it
mm_start $COLS 24 -- --page principle-1 --answers "$T/lost.txt"
wait_for_re "$READY" >/dev/null
: >"$(cache_file)"
keys t
fails=()
wait_for_re 'index cache|索引キャッシュ' >/dev/null || fails+=("no message about the cache")
screen >"$T/shot"
keys q
wait_for_re "$READY" >/dev/null
keys c Space
wait_for '[x]' >/dev/null || fails+=("Space did not tick the first item")
keys P
wait_status 'R:' >/dev/null || fails+=("P did not open the dashboard")
keys R
wait_status 'レポートを書けません' >/dev/null || fails+=("R was not refused: $(status_line)")
keys q
sleep 0.2
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fails+=("exit '$st'")
grep -qE '^p1-1[[:space:]]+done[[:space:]]' "$T/lost.txt" 2>/dev/null ||
	fails+=("the answer was not saved: $(cat "$T/lost.txt" 2>&1)")
grep -q '^page principle-1 ' "$E2E_STATE_HOME/mamori/resume" 2>/dev/null ||
	fails+=("the place was not kept: $(cat "$E2E_STATE_HOME/mamori/resume" 2>&1)")
reports=$(find "$T" -maxdepth 1 -name 'report*' | head -n 3)
[ -z "$reports" ] || fails+=("a report was written: $reports")
if [ ${#fails[@]} = 0 ]; then
	ok "a cache truncated while mapped: no crash, told; answers and place kept, report refused"
else
	not_ok "a cache truncated while mapped: no crash, told; answers and place kept, report refused" \
		"${fails[@]}" "$(cat "$T/shot")"
fi

# MAMORI_NO_INDEX_CACHE=1: nothing made, nothing written.
shot 24 XDG_CACHE_HOME="$T/nocache" MAMORI_NO_INDEX_CACHE=1
if [ ! -e "$T/nocache" ] && grep -q '[^ ]' "$T/shot"; then
	ok "MAMORI_NO_INDEX_CACHE=1 writes nothing"
else
	not_ok "MAMORI_NO_INDEX_CACHE=1 writes nothing" "$(ls -laR "$T/nocache" 2>&1)"
fi
shot 24 XDG_CACHE_HOME="$T/nocache"
same "without it the same start writes its cache" "$(ls "$T/nocache/mamori" | grep -c index-)" 1

finish
