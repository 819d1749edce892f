"""Make a synthetic content tree N times the size of content/.

Every chapter file is copied N times, in reading order copy after copy
(000-00-overview.txt ... 000-07-sources.txt, 001-00-overview.txt, ...).
Copy 0 keeps its ids, so `--page intro` opens the same page at any scale;
copy k > 0 gets the suffix `_xK` on every id it declares or refers to:
`@page ID`, `@group ID`, `[ ] ID`, `=> ID` and `@explain ID`. Footnote labels `[^N]` get the
same suffix, in case the checker wants them unique across the whole content.

    python3 bench/scale.py SRC_DIR DEST_DIR N
"""

import os
import re
import sys

_RULES = [
    re.compile(r"^(@page[ \t]+)([^ \t\n]+)"),
    re.compile(r"^(@group[ \t]+)([^ \t\n]+)"),
    re.compile(r"^([ \t]*\[ \][ \t]+)([^ \t\n]+)"),
    re.compile(r"^([ \t]*=>[ \t]+)([^ \t\n]+)"),
    re.compile(r"^(@explain[ \t]+)([^ \t\n]+)"),
]
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")


def rewrite(text, suffix):
    if not suffix:
        return text
    out = []
    for line in text.splitlines(keepends=True):
        for rule in _RULES:
            m = rule.match(line)
            if m:
                line = m.group(1) + m.group(2) + suffix + line[m.end():]
                break
        line = _FOOTNOTE.sub(lambda m: "[^" + m.group(1) + suffix + "]", line)
        out.append(line)
    return "".join(out)


def make(src, dest, n):
    """Write N copies of SRC's *.txt into DEST (created); return total bytes."""
    files = sorted(f for f in os.listdir(src) if f.endswith(".txt"))
    if not files:
        raise SystemExit("scale: no *.txt files in %s" % src)
    texts = []
    for f in files:
        with open(os.path.join(src, f), encoding="utf-8") as fh:
            texts.append((f, fh.read()))
    os.makedirs(dest, exist_ok=True)
    width = max(3, len(str(n - 1)))
    total = 0
    for k in range(n):
        suffix = "_x%d" % k if k else ""
        for f, text in texts:
            data = rewrite(text, suffix).encode("utf-8")
            with open(os.path.join(dest, "%0*d-%s" % (width, k, f)), "wb") as fh:
                fh.write(data)
            total += len(data)
    return total


_PAGE = re.compile(r"^@page[ \t]+([^ \t\n]+)[ \t]*(.*)$")
_LINK = re.compile(r"^([ \t]*=>[ \t]+)([^ \t\n]+)")


def one_page(src, dest, page_id="all"):
    """Write the whole of SRC as one long page PAGE_ID into DEST/00-all.txt.

    For a strict page-turn comparison with less: in mamori, Space then pages
    through exactly the text `mamori --dump all` prints for this tree. The
    first @chapter and @page stay (the page gets PAGE_ID); every later @page
    becomes a `##` heading with its title, later @chapter lines go, and every
    link points at PAGE_ID (a link shows its text, not its target)."""
    files = sorted(f for f in os.listdir(src) if f.endswith(".txt"))
    out = []
    seen_chapter = seen_page = False
    for f in files:
        with open(os.path.join(src, f), encoding="utf-8") as fh:
            for line in fh.read().splitlines():
                if line.startswith("@chapter"):
                    if seen_chapter:
                        continue
                    seen_chapter = True
                m = _PAGE.match(line)
                if m:
                    if seen_page:
                        out += ["", "## " + m.group(2), ""]
                        continue
                    seen_page = True
                    line = "@page %s %s" % (page_id, m.group(2))
                m = _LINK.match(line)
                if m:
                    line = m.group(1) + page_id + line[m.end():]
                out.append(line)
        out.append("")
    os.makedirs(dest, exist_ok=True)
    data = ("\n".join(out) + "\n").encode("utf-8")
    with open(os.path.join(dest, "00-all.txt"), "wb") as fh:
        fh.write(data)
    return len(data)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[3] == "one-page":
        print(one_page(sys.argv[1], sys.argv[2]))
    elif len(sys.argv) == 4:
        print(make(sys.argv[1], sys.argv[2], int(sys.argv[3])))
    else:
        raise SystemExit("usage: scale.py SRC_DIR DEST_DIR N|one-page")
