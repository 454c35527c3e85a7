"""The Traditional spellings of the declarations' own words: column headers and vocabulary values.

Under zh-hant every page is converted whole (`portal.i18n.display`), so the desk's validation
report, the data dictionary and the template page name columns and values in Traditional
(權力類型, 行政許可). A clerk who copies one into a file means the Simplified word the
declaration has: `Spellings` reads it so. It knows a set of Simplified words and, for each,
the spellings OpenCC gives it (Taiwan, Hong Kong and plain Traditional, and Taiwan's own
words: 型別 for 类型), and reads a text written with any mix of those characters too. Only
the declarations' words are read this way; free text is never converted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import opencc

# Character conversions: their output lines up with the Simplified word, character for character.
_CHARACTERS = ("s2t", "s2tw", "s2hk")
# Taiwan's phrasing (类型 → 型別): whole spellings only, since its words do not line up.
_PHRASES = ("s2twp",)


@lru_cache(maxsize=1)
def _converters() -> tuple[tuple[opencc.OpenCC, ...], tuple[opencc.OpenCC, ...]]:
    return (tuple(opencc.OpenCC(c) for c in _CHARACTERS), tuple(opencc.OpenCC(c) for c in _PHRASES))


def _plain(text: str) -> str:
    # Full-width punctuation (办结天数（工作日）, as pages typeset it) reads as the declaration's.
    return unicodedata.normalize("NFKC", text).strip()


class Spellings:
    """A set of Simplified words, and the Traditional spellings that stand for each of them."""

    def __init__(self, words: Iterable[str]):
        characters, phrases = _converters()
        words = list(dict.fromkeys(words))
        fold: dict[str, str] = {}
        spelled: dict[str, str] = {}
        for word in words:
            for converter in characters:
                converted = converter.convert(word)
                spelled.setdefault(_plain(converted), word)
                if len(converted) == len(word):
                    for traditional, simplified in zip(converted, word):
                        if traditional != simplified:
                            fold.setdefault(traditional, simplified)
            for converter in phrases:
                spelled.setdefault(_plain(converter.convert(word)), word)
        self._fold = str.maketrans(fold)
        # The words themselves first, then their whole spellings, then any mix of their characters.
        self._read: dict[str, str] = {}
        for key, word in [*((_plain(w), w) for w in words), *spelled.items(),
                          *((_plain(w).translate(self._fold), w) for w in words)]:
            self._read.setdefault(key, word)

    def simplified(self, text: str) -> str | None:
        """The Simplified word `text` spells (itself when it is one), or None when it spells none."""
        plain = _plain(text)
        found = self._read.get(plain)
        return found if found is not None else self._read.get(plain.translate(self._fold))


def spelled_among(words: tuple[str, ...], text: str) -> str | None:
    """The word of `words` that `text` spells in Traditional, or None: for a value not found as
    written (a department's name), where building the spellings once per set of words is worth it."""
    return _spellings_of(words).simplified(text)


@lru_cache(maxsize=4)
def _spellings_of(words: tuple[str, ...]) -> Spellings:
    return Spellings(words)
