"""Bounds a bank file must keep before ``tomllib`` parses it, so a hostile file cannot stall a
command (or the web app) for seconds.

tomllib's time grows with the square of a dotted key's length: a table header of 50,000 dotted
parts (100 KB) takes over 10 s. A size cap alone cannot prevent that (a key that long fits in a
small file), so a line may hold only so many dots outside its strings; a bank needs two or three
(``[[questions.follow_ups]]``). Prose inside strings, where the dots of a question's sentences
are, does not count.
"""

from __future__ import annotations

import re

MAX_BANK_BYTES = 1 << 20  # 1 MiB: the shipped bank (probes, model answers) is 96 KB
MAX_LINE_DOTS = 64  # dots outside strings on one line (a dotted key or header's parts)

# A string on one line (basic with escapes, or literal), or the opening of a multi-line one.
_STRING = re.compile(r"\"\"\"|'''|\"(?:[^\"\\]|\\.)*\"|'[^'\n]*'")


def crowded_line(text: str) -> int | None:
    """The number of the first line with more than ``MAX_LINE_DOTS`` dots outside strings and
    comments, or None. Multi-line strings are followed across lines."""
    closing: str | None = None  # the delimiter of the multi-line string we are in
    for number, line in enumerate(text.split("\n"), start=1):
        code: list[str] = []
        pos = 0
        while pos < len(line):
            if closing is not None:
                end = line.find(closing, pos)
                if end < 0:
                    break
                pos, closing = end + 3, None
                continue
            m = _STRING.search(line, pos)
            if m is None:
                code.append(line[pos:])
                break
            code.append(line[pos : m.start()])
            if m.group() in ('"""', "'''"):
                closing = m.group()
            pos = m.end()
        if "".join(code).split("#", 1)[0].count(".") > MAX_LINE_DOTS:
            return number
    return None
