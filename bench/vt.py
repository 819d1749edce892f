"""A small terminal emulator: enough of xterm to know what is on the screen.

The benchmark needs to know what a program has drawn (to tell when the first
screen is complete, to find mamori's status line, and to count the bytes of
the characters on the screen), so it keeps a grid of cells and applies the
control sequences that ncurses, less and w3m send for TERM=xterm-256color:
cursor addressing and motion, erase (ED/EL/ECH), insert/delete of lines and
characters, scrolling regions, index/reverse index, REP, insert mode, the
alternate screen, tabs, and the DEC line-drawing set. Attributes and colours
are parsed and dropped: only the characters matter here. It answers the
cursor position (DSR 6) and device attribute (DA) queries, since a program
that asks would otherwise wait for an answer that never comes.

Standard library only. Widths follow glibc in a UTF-8 locale closely enough
for this text: East Asian Wide and Fullwidth are 2 columns, combining marks 0,
everything else (including East Asian ambiguous) 1.
"""

import codecs
import unicodedata

# DEC special graphics (ESC ( 0), as ncurses uses for acs characters.
_DEC = {
    "`": "◆", "a": "▒", "f": "°", "g": "±", "j": "┘", "k": "┐", "l": "┌",
    "m": "└", "n": "┼", "o": "⎺", "p": "⎻", "q": "─", "r": "⎼", "s": "⎽",
    "t": "├", "u": "┤", "v": "┴", "w": "┬", "x": "│", "y": "≤", "z": "≥",
    "{": "π", "|": "≠", "}": "£", "~": "·",
}

_width_cache = {}


def wcwidth(ch):
    w = _width_cache.get(ch)
    if w is not None:
        return w
    o = ord(ch)
    if o < 0x20 or 0x7F <= o < 0xA0:
        w = 0
    elif unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        w = 0
    elif unicodedata.east_asian_width(ch) in ("W", "F"):
        w = 2
    else:
        w = 1
    _width_cache[ch] = w
    return w


class Screen:
    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self._dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.responses = bytearray()
        self.reset()

    # ----------------------------------------------------------------- state
    def reset(self):
        self.grid = [self._blank_row() for _ in range(self.rows)]
        self.alt_saved = None
        self.y = self.x = 0
        self.wrap_pending = False
        self.top, self.bottom = 0, self.rows - 1
        self.autowrap = True
        self.insert = False
        self.g0_dec = False
        self.saved = (0, 0)
        self.last = " "
        self._state = "ground"
        self._buf = ""

    def _blank_row(self):
        return [" "] * self.cols

    def text_rows(self):
        """The screen as a list of strings, one per row, trailing blanks kept."""
        return ["".join(r) for r in self.grid]

    def snapshot(self):
        return tuple(r.rstrip() for r in self.text_rows())

    def text(self):
        return "\n".join(self.snapshot())

    def text_bytes(self):
        """UTF-8 bytes of the characters on the screen (trailing blanks dropped)."""
        return sum(len(r.encode("utf-8")) for r in self.snapshot())

    # ---------------------------------------------------------------- input
    def feed(self, data):
        """Apply bytes written by the program; return bytes to answer with."""
        self.responses = bytearray()
        s = self._dec.decode(data)
        for ch in s:
            self._step(ch)
        return bytes(self.responses)

    def _step(self, ch):
        st = self._state
        if st == "ground":
            o = ord(ch)
            if o >= 0x20 and o != 0x7F and not (0x80 <= o < 0xA0):
                self._print(ch)
            elif ch == "\x1b":
                self._state = "esc"
            else:
                self._control(ch)
        elif st == "esc":
            self._esc(ch)
        elif st == "csi":
            o = ord(ch)
            if 0x40 <= o <= 0x7E:
                self._state = "ground"
                self._csi(self._buf, ch)
            elif ch in "\x18\x1a":
                self._state = "ground"
            elif ch == "\x1b":
                self._state = "esc"
            elif o < 0x20:
                self._control(ch)  # C0 inside CSI is executed
            else:
                self._buf += ch
        elif st == "charset":
            self._state = "ground"
            if self._buf == "(":
                self.g0_dec = ch == "0"
        elif st == "string":  # OSC, DCS, APC, PM, SOS: skip to BEL or ST
            if ch == "\x07":
                self._state = "ground"
            elif ch == "\x1b":
                self._state = "string_esc"
        elif st == "string_esc":
            self._state = "ground" if ch == "\\" else "string"
        elif st == "esc_int":  # ESC with intermediates (e.g. ESC # 8): drop final
            if not (0x20 <= ord(ch) <= 0x2F):
                self._state = "ground"

    def _control(self, ch):
        if ch == "\r":
            self.x = 0
            self.wrap_pending = False
        elif ch in "\n\x0b\x0c":
            self._index()
        elif ch == "\b":
            if self.wrap_pending:
                self.wrap_pending = False
            elif self.x > 0:
                self.x -= 1
        elif ch == "\t":
            self.x = min(self.cols - 1, (self.x // 8 + 1) * 8)
            self.wrap_pending = False
        # BEL, SO, SI, NUL and the rest: nothing on the screen

    def _esc(self, ch):
        self._state = "ground"
        if ch == "[":
            self._state, self._buf = "csi", ""
        elif ch in "()*+":
            self._state, self._buf = "charset", ch
        elif ch in "]PX^_":
            self._state = "string"
        elif ch == "7":
            self.saved = (self.y, self.x)
        elif ch == "8":
            self.y, self.x = self.saved
            self.wrap_pending = False
        elif ch == "M":
            self._reverse_index()
        elif ch == "D":
            self._index()
        elif ch == "E":
            self.x = 0
            self._index()
        elif ch == "c":
            self.reset()
        elif 0x20 <= ord(ch) <= 0x2F:
            self._state = "esc_int"
        # ESC = ESC > ESC H and the rest: no effect on the characters

    # ------------------------------------------------------------- drawing
    def _print(self, ch):
        if self.g0_dec and ch in _DEC:
            ch = _DEC[ch]
        w = wcwidth(ch)
        if w == 0:
            return
        self.last = ch
        if self.wrap_pending:
            self.x = 0
            self._index()
        elif w == 2 and self.x == self.cols - 1:
            # A wide character does not fit in the last column: it moves on.
            if not self.autowrap:
                return
            self._clear_half(self.y, self.x)
            self.grid[self.y][self.x] = " "
            self.x = 0
            self._index()
        self.wrap_pending = False
        row = self.grid[self.y]
        if self.insert:
            for _ in range(w):
                row.insert(self.x, " ")
                row.pop()
        self._clear_half(self.y, self.x)
        if w == 2:
            self._clear_half(self.y, self.x + 1)
        row[self.x] = ch
        if w == 2 and self.x + 1 < self.cols:
            row[self.x + 1] = ""
        nx = self.x + w
        if nx >= self.cols:
            self.x = self.cols - 1
            self.wrap_pending = self.autowrap
        else:
            self.x = nx

    def _clear_half(self, y, x):
        """Overwriting half of a wide character blanks the other half."""
        if x >= self.cols:
            return
        row = self.grid[y]
        if row[x] == "" and x > 0:
            row[x - 1] = " "
        elif x + 1 < self.cols and row[x + 1] == "" and row[x] != "":
            row[x + 1] = " "

    def _index(self):
        self.wrap_pending = False
        if self.y == self.bottom:
            self._scroll_up(1)
        elif self.y < self.rows - 1:
            self.y += 1

    def _reverse_index(self):
        self.wrap_pending = False
        if self.y == self.top:
            self._scroll_down(1)
        elif self.y > 0:
            self.y -= 1

    def _scroll_up(self, n, top=None):
        top = self.top if top is None else top
        for _ in range(min(n, self.bottom - top + 1)):
            del self.grid[top]
            self.grid.insert(self.bottom, self._blank_row())

    def _scroll_down(self, n, top=None):
        top = self.top if top is None else top
        for _ in range(min(n, self.bottom - top + 1)):
            del self.grid[self.bottom]
            self.grid.insert(top, self._blank_row())

    def _erase(self, y, x0, x1):
        row = self.grid[y]
        x0, x1 = max(0, x0), min(self.cols, x1)
        if x0 >= x1:
            return
        if row[x0] == "" and x0 > 0:
            row[x0 - 1] = " "
        if x1 < self.cols and row[x1] == "":
            row[x1] = " "
        for i in range(x0, x1):
            row[i] = " "

    def _csi(self, buf, final):
        priv = ""
        if buf and buf[0] in "?>=<!":
            priv, buf = buf[0], buf[1:]
        inter = ""
        while buf and 0x20 <= ord(buf[-1]) <= 0x2F:
            inter, buf = buf[-1] + inter, buf[:-1]
        params = []
        for p in buf.split(";") if buf else []:
            p = p.split(":")[0]
            params.append(int(p) if p.isdigit() else 0)

        def arg(i, default=1):
            v = params[i] if i < len(params) else 0
            return v if v else default

        if inter:
            return  # DECSTR (CSI ! p), DECSCUSR (CSI SP q) and such
        if priv == "?" or priv == "!":
            if final in "hl" and priv == "?":
                on = final == "h"
                for p in params:
                    if p in (1049, 1047, 47):
                        self._alt(on, p == 1049)
                    elif p == 7:
                        self.autowrap = on
            return
        if priv and priv in ">=<":
            if final == "c" and priv == ">":
                self.responses += b"\x1b[>41;380;0c"
            return
        self.wrap_pending = False if final not in "mhlnctq" else self.wrap_pending
        if final == "A":
            self.y = max(self.top if self.y >= self.top else 0, self.y - arg(0))
        elif final == "B":
            self.y = min(self.bottom if self.y <= self.bottom else self.rows - 1, self.y + arg(0))
        elif final == "C":
            self.x = min(self.cols - 1, self.x + arg(0))
        elif final == "D":
            self.x = max(0, self.x - arg(0))
        elif final == "E":
            self.y = min(self.rows - 1, self.y + arg(0))
            self.x = 0
        elif final == "F":
            self.y = max(0, self.y - arg(0))
            self.x = 0
        elif final in "G`":
            self.x = min(self.cols - 1, arg(0) - 1)
        elif final == "d":
            self.y = min(self.rows - 1, arg(0) - 1)
        elif final in "Hf":
            self.y = min(self.rows - 1, arg(0) - 1)
            self.x = min(self.cols - 1, arg(1) - 1)
        elif final == "J":
            m = arg(0, 0)
            if m == 0:
                self._erase(self.y, self.x, self.cols)
                for y in range(self.y + 1, self.rows):
                    self.grid[y] = self._blank_row()
            elif m == 1:
                self._erase(self.y, 0, self.x + 1)
                for y in range(0, self.y):
                    self.grid[y] = self._blank_row()
            else:
                self.grid = [self._blank_row() for _ in range(self.rows)]
        elif final == "K":
            m = arg(0, 0)
            if m == 0:
                self._erase(self.y, self.x, self.cols)
            elif m == 1:
                self._erase(self.y, 0, self.x + 1)
            else:
                self._erase(self.y, 0, self.cols)
        elif final == "X":
            self._erase(self.y, self.x, self.x + arg(0))
        elif final == "P":
            row = self.grid[self.y]
            n = min(arg(0), self.cols - self.x)
            self._clear_half(self.y, self.x)
            del row[self.x:self.x + n]
            row.extend([" "] * n)
            if row[self.x] == "":
                row[self.x] = " "
        elif final == "@":
            row = self.grid[self.y]
            n = min(arg(0), self.cols - self.x)
            self._clear_half(self.y, self.x)
            for _ in range(n):
                row.insert(self.x, " ")
            del row[self.cols:]
            if row[-1] != "" and wcwidth(row[-1]) == 2:
                row[-1] = " "
        elif final == "L":
            if self.top <= self.y <= self.bottom:
                self._scroll_down(arg(0), top=self.y)
            self.x = 0
        elif final == "M":
            if self.top <= self.y <= self.bottom:
                self._scroll_up(arg(0), top=self.y)
            self.x = 0
        elif final == "S":
            self._scroll_up(arg(0))
        elif final == "T":
            self._scroll_down(arg(0))
        elif final == "r":
            t, b = arg(0) - 1, arg(1, self.rows) - 1
            if 0 <= t < b < self.rows:
                self.top, self.bottom = t, b
            else:
                self.top, self.bottom = 0, self.rows - 1
            self.y = self.x = 0
        elif final == "b":
            for _ in range(arg(0)):
                self._print(self.last)
        elif final in "hl":
            for p in params:
                if p == 4:
                    self.insert = final == "h"
        elif final == "n":
            if arg(0, 0) == 6:
                self.responses += b"\x1b[%d;%dR" % (self.y + 1, self.x + 1)
            elif arg(0, 0) == 5:
                self.responses += b"\x1b[0n"
        elif final == "c":
            self.responses += b"\x1b[?62;22c"
        elif final == "s":
            self.saved = (self.y, self.x)
        elif final == "u":
            self.y, self.x = self.saved
        # m (SGR), t (window ops), g (tab clear), q: no effect on the characters

    def _alt(self, on, save_cursor):
        if on and self.alt_saved is None:
            if save_cursor:
                self.saved = (self.y, self.x)
            self.alt_saved = self.grid
            self.grid = [self._blank_row() for _ in range(self.rows)]
        elif not on and self.alt_saved is not None:
            self.grid = self.alt_saved
            self.alt_saved = None
            if save_cursor:
                self.y, self.x = self.saved
