"""Run a full-screen program on a pseudo-terminal and watch what it draws.

A Session starts a program on a new pty of a given size (TIOCSWINSZ is set on
the pty before the program starts, so its first ioctl already sees the size),
as the leader of a new session with the pty as its controlling terminal. The
harness sends keys and reads everything the program writes, keeping:

- every chunk read, with the time it arrived (time.perf_counter());
- an emulated screen (vt.Screen), so it knows what is on the screen.

`settle()` waits until the output has been quiet for `quiet` seconds and the
screen satisfies a predicate (e.g. "the status line is drawn"), then reports
the bytes received and the moment the screen first reached that final state.
Chunks are stored raw while they arrive and only fed to the (slow, Python)
emulator when the output pauses, so emulation never delays the timestamps;
a chunk carrying a terminal query (DSR, DA) is fed at once so the program
gets its answer.

Every wait has a deadline. close() sends the quit keys, then SIGTERM and
SIGKILL to the program's process group if it does not go, and always reaps it.

Peak RSS is VmHWM from /proc/PID/status, read just before quitting. Not
ru_maxrss from wait4(): Linux carries the high-water mark of the memory a
child had before exec() into it, and a child of this harness starts as a
copy of a ~20 MB Python process, so every program would read ~20 MB.

Standard library only.
"""

import errno
import fcntl
import os
import re
import select
import signal
import struct
import termios
import threading
import time

import vt

_QUERY = re.compile(rb"\x1b\[[>?]?[0-9;]*[nc]")

_live = set()
_live_lock = threading.Lock()


class Timeout(Exception):
    pass


class Exited(Exception):
    pass


def kill_all():
    """Kill every session still running (used on errors and signals)."""
    with _live_lock:
        sessions = list(_live)
    for s in sessions:
        s.kill()


class Settled:
    __slots__ = ("bytes", "t_done", "t_last", "data")

    def __init__(self, nbytes, t_done, t_last, data):
        self.bytes, self.t_done, self.t_last, self.data = nbytes, t_done, t_last, data


class Session:
    def __init__(self, argv, rows, cols, env):
        self.rows, self.cols = rows, cols
        self.master, slave = os.openpty()  # both close-on-exec (PEP 446)
        self.pid = None
        self.exit_status = None
        self.rusage = None
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            name = os.ttyname(slave)
            # setsid() comes before the file actions in posix_spawn, so opening
            # the pty as fd 0 makes it the controlling terminal.
            actions = [
                (os.POSIX_SPAWN_OPEN, 0, name, os.O_RDWR, 0),
                (os.POSIX_SPAWN_DUP2, 0, 1),
                (os.POSIX_SPAWN_DUP2, 0, 2),
            ]
            self.t0 = time.perf_counter()
            self.pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setsid=True)
        finally:
            os.close(slave)
        with _live_lock:
            _live.add(self)
        self.screen = vt.Screen(rows, cols)
        self.pending = []
        self.events = []
        self.total = 0
        self.eof = False
        self.raw = bytearray()

    # -------------------------------------------------------------- output
    def _feed(self):
        for t, data in self.pending:
            resp = self.screen.feed(data)
            if resp:
                self.write(resp)
            self.events.append((t, self.screen.snapshot()))
        self.pending = []

    def _read(self, wait):
        if self.eof:
            time.sleep(max(0.0, wait))
            return False
        r, _, _ = select.select([self.master], [], [], max(0.0, wait))
        if not r:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError as e:
            if e.errno != errno.EIO:
                raise
            data = b""
        t = time.perf_counter()
        if not data:
            self.eof = True
            return False
        self.pending.append((t, data))
        self.total += len(data)
        self.raw += data
        if _QUERY.search(data):
            self._feed()
        return True

    def settle(self, quiet, timeout, pred=None, min_bytes=1, what="output"):
        """Wait until output is quiet and pred(screen) holds; see module doc."""
        start_total = self.total
        start_raw = len(self.raw)
        self.events = []
        deadline = time.perf_counter() + timeout
        last = None       # arrival time of the last chunk
        checked = None    # `last` when pred was last found false
        while True:
            now = time.perf_counter()
            got = self.total - start_total
            if (last is not None and got >= min_bytes and now - last >= quiet
                    and checked != last):
                self._feed()
                if pred is None or pred(self.screen):
                    break
                checked = last
            if self.eof and (last is None or now - last >= quiet):
                self._feed()
                if got >= min_bytes and (pred is None or pred(self.screen)):
                    break
                raise Exited("%s: the program exited while waiting for %s\n%s"
                             % (self.describe(), what, self.screen.text()))
            if now >= deadline:
                self._feed()
                raise Timeout("%s: no %s within %.1f s (%d bytes)\n%s"
                              % (self.describe(), what, timeout, got, self.screen.text()))
            wait = deadline - now
            if last is not None and checked != last:
                wait = min(wait, last + quiet - now)
            if self._read(wait):
                last = self.pending[-1][0]
        final = self.screen.snapshot()
        t_done = None
        for t, snap in reversed(self.events):
            if snap != final:
                break
            t_done = t
        if t_done is None:  # the screen was already final (cannot happen with bytes)
            t_done = last
        return Settled(self.total - start_total, t_done, last, bytes(self.raw[start_raw:]))

    def write(self, data):
        t = time.perf_counter()
        os.write(self.master, data)
        return t

    def describe(self):
        return "pid %s" % self.pid

    # ------------------------------------------------------------ the end
    def _reap(self, timeout):
        deadline = time.perf_counter() + timeout
        while True:
            pid, status, ru = os.wait4(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.exit_status, self.rusage = status, ru
                return True
            if time.perf_counter() >= deadline:
                return False
            # drain output so the program never blocks on a full pty
            self._read(0.01)

    def close(self, quit_keys=b"", timeout=5.0):
        """Quit (with quit_keys), wait, kill if needed; return the wait status."""
        if self.exit_status is None:
            try:
                if quit_keys and not self.eof:
                    self.write(quit_keys)
            except OSError:
                pass
            if not self._reap(timeout):
                self.kill()
        try:
            os.close(self.master)
        except OSError:
            pass
        with _live_lock:
            _live.discard(self)
        return self.exit_status

    def kill(self):
        if self.exit_status is not None or self.pid is None:
            return
        for sig, wait in ((signal.SIGTERM, 1.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                pass
            try:
                if self._reap(wait):
                    return
            except ChildProcessError:
                return

    def clean_exit(self):
        s = self.exit_status
        return s is not None and os.WIFEXITED(s) and os.WEXITSTATUS(s) == 0

    def maxrss_kib(self):
        return self.rusage.ru_maxrss if self.rusage else None


def smaps_rss(pid):
    """Resident KiB per mapping name of a live process (from /proc/PID/smaps)."""
    out = {}
    name = None
    try:
        with open("/proc/%d/smaps" % pid) as fh:
            for line in fh:
                first = line.split(None, 1)[0]
                if "-" in first and not first.endswith(":"):
                    parts = line.split()
                    name = os.path.basename(parts[5]) if len(parts) > 5 else "[anon]"
                elif first == "Rss:":
                    out[name] = out.get(name, 0) + int(line.split()[1])
    except OSError:
        return {}
    return out


def vm_hwm(pid):
    try:
        with open("/proc/%d/status" % pid) as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None
