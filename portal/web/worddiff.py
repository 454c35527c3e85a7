"""Changed words inside an old and a new value, marked for the eye (`<del>` / `<ins>`).

Chinese has no spaces between words, so the values are split into tokens a reader would
see change: each CJK character on its own, runs of Latin letters and digits (a code, a
number, a date part) whole, and every other character on its own. Python's difflib then
matches the two token lists; everything is escaped before it is wrapped.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from markupsafe import Markup, escape

# A run of letters/digits from a script written with spaces, or any single other character.
TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f_.:/-]+|\n|.", re.S)


def tokens(text: str) -> list[str]:
    """The value split into the units a change is shown in."""
    return TOKEN.findall(text or "")


def _text(parts: list[str]) -> Markup:
    """Escaped text with its line breaks kept as `<br>`."""
    return Markup("<br>").join(escape(line) for line in "".join(parts).split("\n"))


def marked(old: str | None, new: str | None) -> tuple[Markup, Markup]:
    """The old and the new value as safe markup, the removed tokens of the old in `<del>` and
    the added tokens of the new in `<ins>`; unchanged text stays plain."""
    a, b = tokens(old or ""), tokens(new or "")
    # No junk heuristic: with one-character tokens it would treat common characters as noise.
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    left: list[Markup] = []
    right: list[Markup] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(_text(a[i1:i2]))
            right.append(_text(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(Markup("<del>%s</del>") % _text(a[i1:i2]))
        if j2 > j1:
            right.append(Markup("<ins>%s</ins>") % _text(b[j1:j2]))
    return Markup("").join(left), Markup("").join(right)
