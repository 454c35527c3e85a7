"""Fold text to one spelling before matching, remembering where each folded piece came from.

Complaint texts are typed on phones and copied from Word and Excel, and people
who do not want a number or address found spell it differently. One pass folds
the spellings the detector's patterns should not each have to know:

- characters (`fold_char`): NFKC (full-width １３８ and ＠, ideographic space and
  full-width punctuation), a dozen kinds of dash to "-", invisible format
  characters dropped, and the Traditional characters of the detector's words
  to Simplified (`traditional`: 投訴人 reads as 投诉人, 粵 as 粤);
- Chinese numerals written for digits (一三八, 幺 for 1, 〇/零 for 0, mixed with
  ASCII digits) to ASCII digits, in runs long enough to be a phone or ID number;
- e-mail addresses spelled to get past filters (zhang(at)example(dot)com,
  zhang at example dot com, zhang@example。com) to their usual form.

Digit groupings (138.1234.5678, 1381 234 5678) are not folded here: joining
digits across separators would join ordinary numbers too (2024-03-04 2024-03-05),
so `groups` reads them with their separators.

The detector matches the folded text; redaction and highlighting need spans in
the text as written, so `Folded` keeps, for each stretch that folding changed,
where it came from (`span` maps back).

A numeral next to a number is as often a word (李四13912345678, 13812345678一直无人接听)
as a digit: read as a digit it would make the number one digit too long to be found. So
`Folded` also keeps `numerals_as_words`, the same text with the numerals left as written
(one character for one, so its spans are the folded text's), for the detector to read too.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .traditional import NUMERALS, TABLE

# NFKC leaves these dashes and minus signs alone; people put them between digit
# groups exactly like "-".
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\ufe58\ufe63"})
# Invisible format characters (soft hyphen, zero-width spaces and joiners, direction
# marks, BOM) that copied numbers carry between their digits: dropped.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# The characters `fold_char` may change. ASCII never changes, and NFKC never changes a CJK
# Unified Ideograph (U+4E00–U+9FFF, most of any Chinese text), so only the rest of the text
# and the Traditional characters of the table are looked at, one by one.
_MAY_CHANGE = re.compile("[^\x00-\x7f\u4e00-\u9fff]|[" + "".join(chr(c) for c in TABLE) + "]")

# Shorter runs are not converted: 一二三 or 二〇二四年 are words and dates, and the shortest
# number looked for (a local phone number) has seven digits.
_MIN_NUMERAL_DIGITS = 7
# A run of digits, ASCII or Chinese, with single separators between groups (the same ones
# `groups` reads: a space, dot, dash or slash, and brackets around a group). Digit by digit, so
# that the pattern itself skips short runs; possessive: a run is matched once, never backtracked into.
_DIGIT = "[0-9" + NUMERALS + "]"
_NUMERAL = re.compile("[" + NUMERALS + "]")
_NUMERAL_RUN = re.compile(
    _DIGIT + r"(?:(?:\)[ ]?[ .\-/]?\(?|[ .\-/]\(?|\()?" + _DIGIT + f"){{{_MIN_NUMERAL_DIGITS - 1},}}+")
_NUMERAL_DIGITS = str.maketrans({
    **{c: "0" for c in "〇零洞"}, **{c: "1" for c in "幺么一壹"}, **{c: "2" for c in "二两贰"},
    **{c: "3" for c in "三叁參"}, **{c: "4" for c in "四肆"}, **{c: "5" for c in "五伍"},
    **{c: "6" for c in "六陆"}, **{c: "7" for c in "七柒拐"}, **{c: "8" for c in "八捌"},
    **{c: "9" for c in "九玖勾"},
})

# E-mail addresses with the "@" or the dots spelled out. Every part is bounded, and the
# address must start where a run of address characters starts (the lookbehind), so a scan is
# linear whatever the text.
_OPEN, _CLOSE = r"[(\[{<【〔]", r"[)\]}>】〕]"
_AT = rf"(?: ?@ ?| ?{_OPEN} ?at ?{_CLOSE} ?| at )"
_DOT = rf"(?:\.|。| ?{_OPEN} ?dot ?{_CLOSE} ?| dot | )"
# Only these endings count when the address is spelled out (the ones complainants' mail comes
# from), so that English with "at" in it seldom reads as an address.
_TLDS = "com|cn|net|org|edu|gov|info|biz|top|vip|xyz|cc|hk|mo|tw|io"
_LABEL = r"[A-Za-z0-9][A-Za-z0-9\-]{0,62}"
_SPELLED_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9_%+\-][A-Za-z0-9._%+\-]{0,63})(" + _AT + ")"
    + "((?:" + _LABEL + _DOT + "){1,4}(?:" + _TLDS + "))(?![A-Za-z0-9\\-])",
    re.IGNORECASE,
)
_DOT_SPLIT = re.compile(_DOT, re.IGNORECASE)


@dataclass(frozen=True)
class Folded:
    """A folded text and where it came from.

    `pieces` lists, in order, each stretch that folding changed: (start, end) in `text`,
    (start, end) in the original. Between two pieces the text is the original's, shifted.
    """

    text: str
    pieces: tuple[tuple[int, int, int, int], ...] = ()
    # `text` with Chinese numerals left as written (None when folding read none as a digit).
    numerals_as_words: str | None = None
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_starts", tuple(p[0] for p in self.pieces))

    def _origin(self, index: int) -> tuple[int, int]:
        """The original (start, end) of the folded character at `index`."""
        return _origin(self.pieces, self._starts, index)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span [start, end)."""
        if not self.pieces:
            return start, end
        return self._origin(start)[0], self._origin(end - 1)[1]


def _origin(pieces, starts, index: int) -> tuple[int, int]:
    at = bisect_right(starts, index) - 1
    if at < 0:
        return index, index + 1
    start, end, original_start, original_end = pieces[at]
    if index < end:
        return original_start, original_end  # inside a changed stretch: all of it
    offset = original_end + index - end
    return offset, offset + 1


@lru_cache(maxsize=8192)
def fold_char(char: str) -> str:
    """One character as the detector reads it."""
    if _INVISIBLE.match(char):
        return ""
    return unicodedata.normalize("NFKC", char).translate(_DASHES).translate(TABLE)


def _fold_characters(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """`text` with `fold_char` applied to each character, and the pieces where that changed it."""
    if text.isascii():
        return text, []
    parts: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    last = shift = 0
    for match in _MAY_CHANGE.finditer(text):
        index = match.start()
        folded = fold_char(match.group())
        if folded == match.group():
            continue
        parts += (text[last:index], folded)
        pieces.append((index + shift, index + shift + len(folded), index, index + 1))
        shift += len(folded) - 1
        last = index + 1
    if not pieces:
        return text, []
    parts.append(text[last:])
    return "".join(parts), pieces


def _fold_numerals(text: str) -> str:
    """Chinese numerals read as digits in runs of seven digits or more; one character for one."""
    if not _NUMERAL.search(text):
        return text
    parts: list[str] = []
    last = 0
    for match in _NUMERAL_RUN.finditer(text):
        run = match.group()
        if _NUMERAL.search(run):
            parts += (text[last:match.start()], run.translate(_NUMERAL_DIGITS))
            last = match.end()
    return "".join(parts) + text[last:] if parts else text


def _spelled_emails(text: str):
    """(start, end, usual form) of each e-mail address whose "@" or dots are spelled out."""
    if "@" not in text and "at" not in text.lower():
        return
    for match in _SPELLED_EMAIL.finditer(text):
        local, at, domain = match.groups()
        labels = _DOT_SPLIT.split(domain)
        if at == "@" and len(labels) == domain.count(".") + 1:
            continue  # the usual spelling: numbers.EMAIL reads it as it is
        before = text[max(0, match.start() - 2):match.start()]
        if at.lower() == " at " and len(before) == 2 and before[0].isascii() and before[0].isalpha() and (
                before[1] == " "):
            continue  # "please look at example.com": English prose, not an address
        yield match.start(), match.end(), local + "@" + ".".join(labels)


def _replace(text: str, pieces: list, replacements: list) -> tuple[str, list]:
    """`text` with each (start, end, new) of `replacements` (in order, apart) done, and the pieces
    of the result: a replacement is one piece, mapped to all it covers in the original."""
    starts = [p[0] for p in pieces]
    parts: list[str] = []
    kept: list[tuple[int, int, int, int]] = []
    at = last = shift = 0
    for start, end, new in replacements:
        if start < last:
            continue
        while at < len(pieces) and pieces[at][1] <= start:  # wholly before: shifted
            first, after, original_start, original_end = pieces[at]
            kept.append((first + shift, after + shift, original_start, original_end))
            at += 1
        # A piece across an edge (an NFKC expansion such as ㈠) is taken in whole.
        if at < len(pieces) and pieces[at][0] < start:
            new, start = text[pieces[at][0]:start] + new, pieces[at][0]
        while at < len(pieces) and pieces[at][0] < end:  # inside: replaced with the rest
            if pieces[at][1] > end:
                new, end = new + text[end:pieces[at][1]], pieces[at][1]
            at += 1
        original = _origin(pieces, starts, start)[0], _origin(pieces, starts, end - 1)[1]
        parts += (text[last:start], new)
        kept.append((start + shift, start + shift + len(new), *original))
        shift += len(new) - (end - start)
        last = end
    kept += [(first + shift, after + shift, *original) for first, after, *original in pieces[at:]]
    parts.append(text[last:])
    return "".join(parts), kept


# Between two digits, a tab (cells pasted from a spreadsheet) or a middle dot (138·1234·5678) stands
# where others put a space or a dot: read as those, one character for one, so spans are unchanged.
# Only there: a middle dot between names (买买提·艾力) or after a plate's letter (粤B·12345) stays.
_DIGIT_GAP = re.compile("(?<=[0-9])[\t\u00b7\u2022\u30fb\u2027\u2219\u22c5](?=[0-9])")
_GAPS = str.maketrans({"\t": " ", **{c: "." for c in "\u00b7\u2022\u30fb\u2027\u2219\u22c5"}})


def _fold_gaps(text: str) -> str:
    return _DIGIT_GAP.sub(lambda m: m.group().translate(_GAPS), text) if _DIGIT_GAP.search(text) else text


def fold(text: str) -> Folded:
    """`text` as the detector reads it (see the module's docstring), with the way back to `text`."""
    characters, pieces = _fold_characters(text)
    characters = _fold_gaps(characters)
    folded = _fold_numerals(characters)
    as_words = characters if folded != characters else None
    emails = list(_spelled_emails(folded))
    if emails:
        if as_words is not None:  # the same replacements, so that the two texts stay aligned
            as_words = _replace(as_words, pieces, emails)[0]
        folded, pieces = _replace(folded, pieces, emails)
    return Folded(folded, tuple(pieces), as_words)
