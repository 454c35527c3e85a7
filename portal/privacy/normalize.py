"""Fold text to one spelling before matching (NFKC), remembering where each character came from.

Complaint texts are typed on phones and copied from Word and Excel: full-width
digits (１３８), ideographic spaces and a dozen kinds of dash all spell the same
number. The detector matches the folded text; redaction and highlighting need
the span in the text as it was written, so every folded character keeps the
index of the original character it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# NFKC leaves these dashes and minus signs alone; people put them between digit
# groups exactly like "-".
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\ufe58\ufe63"})
# Invisible format characters (soft hyphen, zero-width spaces and joiners, direction
# marks, BOM) that copied numbers carry between their digits: dropped.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CHANGED_BY_FOLDING = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
                                 "\u2010-\u2015\u2212\u30fc\ufe58\ufe63]")


@dataclass(frozen=True)
class Folded:
    """A folded text and, for each of its characters, the index of the original one."""

    text: str
    origin: tuple[int, ...] | None  # None: folding changed nothing, indexes are the same

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span [start, end)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def _unchanged(text: str) -> bool:
    return text.isascii() or (
        unicodedata.is_normalized("NFKC", text) and not _CHANGED_BY_FOLDING.search(text)
    )


def fold_char(char: str) -> str:
    """One character as the detector reads it."""
    if _INVISIBLE.match(char):
        return ""
    return unicodedata.normalize("NFKC", char).translate(_DASHES)


def fold(text: str) -> Folded:
    """NFKC-normalise `text` character by character, dashes made "-", invisible characters dropped."""
    if _unchanged(text):
        return Folded(text, None)
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return Folded("".join(out), tuple(origin))
