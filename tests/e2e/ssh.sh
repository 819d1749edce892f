#!/bin/bash
# End-to-end check of mamori over a real SSH session (issue 5): a private
# sshd on 127.0.0.1, `ssh -tt` in a tmux pane, checklist items ticked on
# the far side, then the connection dropped under it (the client killed
# with SIGKILL, or its pane closed): every tick must be in the answers
# file and no mamori may be left running.  Run by `make check`, or by hand:
#   MAMORI=./mamori MAMORI_CONTENT=content TESTS_SRCDIR=tests tests/e2e/ssh.sh

. "$(dirname "$0")/lib.sh"
e2e_init ssh
need_tmux
need_python3
SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || skip_all "$SSHD is missing (install openssh-server)"
command -v ssh >/dev/null 2>&1 || skip_all "ssh is missing (install openssh-client)"
command -v ssh-keygen >/dev/null 2>&1 || skip_all "ssh-keygen is missing (install openssh-client)"

T=$E2E_TMP
USER_NAME=$(id -un)

# sshd wants its privilege-separation directory even when it runs as us.
if [ ! -d /run/sshd ]; then
	if [ "$(id -u)" = 0 ]; then
		mkdir -p /run/sshd && chmod 0755 /run/sshd
	else
		skip_all "/run/sshd is missing and only root can make it"
	fi
fi

# --- a private sshd ---------------------------------------------------------------

SSHD_PID=
stop_sshd() {
	if [ -n "$SSHD_PID" ]; then
		kill "$SSHD_PID" 2>/dev/null
		local n=0
		while kill -0 "$SSHD_PID" 2>/dev/null && [ $n -lt 100 ]; do
			sleep 0.02
			n=$((n + 1))
		done
		kill -KILL "$SSHD_PID" 2>/dev/null
		SSHD_PID=
	fi
}
# Stop sshd whatever happens, then lib.sh's own cleanup.
trap 'stop_sshd; e2e_cleanup' EXIT
trap 'stop_sshd; e2e_cleanup; exit 130' INT
trap 'stop_sshd; e2e_cleanup; exit 143' TERM
trap 'stop_sshd; e2e_cleanup; exit 129' HUP

mkdir -p "$T/sshd" "$T/client"
chmod 700 "$T/sshd" "$T/client"
ssh-keygen -q -t ed25519 -N '' -C mamori-test-host -f "$T/sshd/host_ed25519" ||
	{ echo "Bail out! ssh-keygen failed"; exit 99; }
ssh-keygen -q -t ed25519 -N '' -C mamori-test-user -f "$T/client/id_ed25519" ||
	{ echo "Bail out! ssh-keygen failed"; exit 99; }
cp "$T/client/id_ed25519.pub" "$T/sshd/authorized_keys"
chmod 600 "$T/sshd/authorized_keys"

# A free port: the kernel picks one; sshd then binds it (a race with
# another program is possible, so try a few).
free_port() {
	"$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_sshd() {
	local try
	for try in 1 2 3; do
		PORT=$(free_port)
		cat >"$T/sshd/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/sshd/host_ed25519
AuthorizedKeysFile $T/sshd/authorized_keys
PidFile $T/sshd/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowUsers $USER_NAME
UsePAM no
StrictModes no
UseDNS no
PrintMotd no
PrintLastLog no
LogLevel INFO
EOF
		: >"$T/sshd/log"
		"$SSHD" -D -e -f "$T/sshd/sshd_config" 2>"$T/sshd/log" &
		SSHD_PID=$!
		local n=0
		while [ $n -lt 300 ]; do
			grep -q 'Server listening' "$T/sshd/log" && return 0
			kill -0 "$SSHD_PID" 2>/dev/null || break
			sleep 0.01
			n=$((n + 1))
		done
		stop_sshd
	done
	return 1
}

if ! start_sshd; then
	not_ok "sshd starts on 127.0.0.1" "$(cat "$T/sshd/log")"
	finish
fi
ok "sshd listens on 127.0.0.1:$PORT"

SSH_OPTS=(-F /dev/null -i "$T/client/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes
	-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o GlobalKnownHostsFile=/dev/null
	-o LogLevel=ERROR -o ConnectTimeout=5 -p "$PORT")

# A plain command first, so that a failure says "ssh" rather than "mamori".
if out=$(ssh "${SSH_OPTS[@]}" "$USER_NAME@127.0.0.1" 'echo mamori-ssh-ok' </dev/null 2>&1) &&
	[ "$out" = mamori-ssh-ok ]; then
	ok "ssh to the private sshd runs a command"
else
	not_ok "ssh to the private sshd runs a command" "$out" "--- sshd log ---" "$(tail -n 20 "$T/sshd/log")"
	finish
fi

# --- mamori over ssh -----------------------------------------------------------------

# mamori_procs MARKER: pids of mamori processes whose command line holds
# MARKER (a path unique to this run, so nothing else is ever matched).
mamori_procs() {
	local p
	for p in $(pgrep -f -- "$1"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = mamori ] && echo "$p"
	done
}
# any_procs MARKER: every process that holds MARKER (the remote shell, the
# ssh client), but for the tmux server that started the client.
any_procs() {
	local p
	for p in $(pgrep -f -- "$1"); do
		[ "$p" = $$ ] && continue
		case $(cat "/proc/$p/comm" 2>/dev/null) in tmux* | '') continue ;; esac
		echo "$p"
	done
}

# over_ssh NAME: start `ssh -tt ... mamori --page principle-1` in a pane,
# with a content directory and a data home whose paths are unique to NAME
# (the content path is on mamori's command line: the marker).
over_ssh() {
	local name=$1
	RUN=$T/run-$name
	MARKER=$RUN/content-mamori-ssh-$$
	mkdir -p "$RUN/xdg" "$RUN/home"
	cp -R "$MAMORI_CONTENT" "$MARKER"
	local remote
	remote="cd $(printf '%q' "$RUN") && exec env -i PATH=/usr/bin:/bin HOME=$(printf '%q' "$RUN/home") \
XDG_DATA_HOME=$(printf '%q' "$RUN/xdg") TERM=tmux-256color LANG=C.UTF-8 ESCDELAY=25 \
$(printf '%q' "$MAMORI") --content $(printf '%q' "$MARKER") --page principle-1"
	_new_session 100 30 env -i "PATH=$PATH" "HOME=$E2E_HOME" TERM=tmux-256color LANG=C.UTF-8 \
		ssh -tt "${SSH_OPTS[@]}" "$USER_NAME@127.0.0.1" "$remote"
	E2E_LAST_CMD="ssh -tt ... mamori --page principle-1 ($name)"
}

# answers_file: the session file mamori made under the run's data home.
answers_file() {
	local f
	for f in "$RUN"/xdg/mamori/sessions/*.txt; do
		[ -f "$f" ] && { echo "$f"; return; }
	done
}

# tick_two: c, Space, Tab, Space; then the screen shows two [x].
two_ticks() { [ "$(_scr | grep -c '\[x\]')" -ge 2 ]; }
tick_two() {
	keys c
	wait_for_re '^ *\[ \] ' >/dev/null 2>&1
	keys Space
	wait_for '[x]' >/dev/null 2>&1 || return 1
	keys Tab
	keys Space
	_poll two_ticks || _wait_report "two [x] on the screen"
}

# gone_within SECONDS MARKER: no mamori (nor remote shell, nor ssh) with MARKER
# is left after at most SECONDS.
gone_within() {
	local end=$(($(_now_ms) + $1 * 1000))
	while [ -n "$(any_procs "$2")" ]; do
		[ "$(_now_ms)" -ge "$end" ] && return 1
		sleep 0.02
	done
	return 0
}

for how in kill-9-client close-pane; do
	over_ssh "$how"
	E2E_WAIT_MS=10000 wait_line 1 '原則1' >/dev/null 2>&1
	if E2E_WAIT_MS=10000 wait_status "/$(mm --list | grep -c '')" 2>/dev/null && _line_has 1 '原則1'; then
		ok "$how: mamori --page principle-1 shows over ssh -tt"
	else
		not_ok "$how: mamori --page principle-1 shows over ssh -tt" "$(screen 2>&1)" \
			"--- sshd log ---" "$(tail -n 10 "$T/sshd/log")"
		continue
	fi
	mpids=$(mamori_procs "$MARKER")
	if [ -n "$mpids" ]; then
		ok "$how: the remote mamori is running (pid ${mpids//$'\n'/ })"
	else
		not_ok "$how: the remote mamori is running" "no process with $MARKER"
	fi
	if tick_two; then
		ok "$how: c, Space, Tab, Space tick two items ([x] twice on screen)"
	else
		not_ok "$how: c, Space, Tab, Space tick two items" "$(screen 2>&1)"
	fi
	sleep 0.05

	# Drop the connection.
	case $how in
	kill-9-client) kill -KILL "$(pane_pid)" ;;
	close-pane) tm kill-pane -t "$E2E_SESS" ;;
	esac
	if gone_within 3 "$MARKER"; then
		ok "$how: no mamori (nor its shell, nor ssh) left within 3 s"
	else
		left=$(any_procs "$MARKER")
		not_ok "$how: no mamori (nor its shell, nor ssh) left within 3 s" \
			"$(ps -o pid,stat,time,args -p "${left//$'\n'/,}" 2>&1)"
		for p in $left; do kill -KILL "$p" 2>/dev/null; done
	fi

	f=$(answers_file)
	if [ -n "$f" ] && grep -qE '^p1-1[[:space:]]+done([[:space:]]|$)' "$f" &&
		grep -qE '^p1-2[[:space:]]+done([[:space:]]|$)' "$f" && head -n 1 "$f" | grep -qE '^mamori-answers [12]$'; then
		ok "$how: both ticks (p1-1, p1-2 done) are in the answers file"
	else
		not_ok "$how: both ticks (p1-1, p1-2 done) are in the answers file" \
			"file: ${f:-none under $RUN/xdg}" "$(cat "$f" 2>/dev/null)"
	fi
	# A later run over the same data home reads them back.
	if XDG_DATA_HOME=$RUN/xdg HOME=$RUN/home "$MAMORI" --content "$MARKER" --progress --format tsv 2>"$T/err" |
		awk -F '\t' '$2 == "principle-1" { print $4 }' | grep -qx 2; then
		ok "$how: --progress afterwards counts principle-1 as 2 done"
	else
		not_ok "$how: --progress afterwards counts principle-1 as 2 done" "$(cat "$T/err")"
	fi
	leftovers=
	for f in "$RUN"/xdg/mamori/sessions/.* "$RUN"/xdg/mamori/sessions/*; do
		case ${f##*/} in . | .. | '*' | '.*') ;; [0-9]*.txt) ;; *) leftovers="$leftovers ${f##*/}" ;; esac
	done
	same "$how: no temp file left beside the answers file" "$leftovers" ""
done

stop_sshd
finish
