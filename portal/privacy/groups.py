"""Numbers written in groups of any size: 1381 234 5678, 110105.1949.1231.002X, (0571)88 12 34 56.

`numbers` knows the usual groupings (3-4-4, 6-8-4, 4-4-4-4). People also write a
number in any other grouping, so this module reads *runs*: digit groups joined
by one kind of separator — all single spaces, all dots, all dashes or all
slashes — with brackets around any group. The detector then asks whether a run
is one number, or a row of numbers (`segments`).

One kind per run is what keeps ordinary text apart: dates, ranges and times join
numbers with another separator than the one inside them (2024.03.04-2024.03.08,
2024-03-04 2024-03-05, 13:30-17:00), so a run never spans two of them. A number
next to a date or a time (2024.3.4 1381 234 5678) shares at most the one group at
the edge; that group is the date's, as is one glued to a code's letters or
followed by a unit (`_trimmed`); any other shared group is the number's if it
makes the run a certain number (`segments`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .numbers import SEPARATORS

# The shortest number looked for, a landline with a three-digit area code (010 1234567), and the
# longest, a 19-digit bank card (numbers with +86 or 0086 in front are shorter).
MIN_DIGITS, MAX_DIGITS = 10, 19
# Runs with more digits are tables of figures, not one spelled number; they are left to the
# usual patterns (and skipping them keeps the cover search linear).
MAX_RUN_DIGITS = 4 * MAX_DIGITS
_GROUP = re.compile(r"[0-9]+[Xx]?")
_EXCEL_EXPONENT = re.compile(r"[Ee]\+?[0-9]")


def _run_pattern(kind: str) -> re.Pattern:
    k = re.escape(kind)
    # Between two groups: the separator, or brackets around a group, with the separator or a
    # space after the closing one: 138 1234 5678, (0571) 8812 3456, 138(1234)5678, (138).1234.5678.
    between = rf"(?:\)[ ]?{k}?\(?|{k}\(?|\()"
    # Digit by digit, so that the pattern itself skips (in C, cheaply) what has fewer than
    # MIN_DIGITS digits; possessive, so a run is matched once and never backtracked into.
    return re.compile(rf"(?<![0-9])[0-9](?:{between}?[0-9]){{{MIN_DIGITS - 1},}}+(?:[Xx](?![A-Za-z0-9]))?")


_RUNS = tuple((kind, _run_pattern(kind)) for kind in SEPARATORS)
# What may join a group to a neighbouring number of another kind (2024.3.4 1381…, 12:30 138…).
_JOINS = frozenset(SEPARATORS + ":~")
# A date or a time that a run's first group ends, or its last group begins: that group is the
# date's day or the time's minutes (the 4 of "2024.3.4 1381 234 5678"), never part of the number;
# nor is a group glued to letters (`glued`) or followed by a unit (2030年, 5个, 300元).
_DATE = r"(?:1[89]|20)[0-9]{2}([./-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])"
_TIME = r"[0-2]?[0-9]:[0-5][0-9]"
_ENDS_DATE_OR_TIME = re.compile(rf"(?<![0-9])(?:{_DATE}|{_TIME})$")
_BEGINS_DATE_OR_TIME = re.compile(rf"(?:{_DATE}|{_TIME})(?![0-9])")
_LONGEST_DATE = len("2024.03.04")
_UNITS = frozenset("年月日时分秒号个次元角万亿岁条款项届期楼层栋室户人")
_NOT_UNITS = ("分机", "号码")  # an extension (0571 8812 3456分机3), a number's name
# A run that holds a whole date in the form ordinary text writes next to other figures
# (…-2030-12-01-…) is dates and figures, not a phone or a card; an ID, whose birth date is a date,
# may still be written so (110105-1949-12-31-002X). Only this form: a number cut into groups at
# random seldom makes it, where 1803.4.9.97.148 (a phone number) has a date of sorts.
_DATE_INSIDE = re.compile(r"(?<![0-9])(?:199[0-9]|20[0-3][0-9])([./-])(?:0[1-9]|1[0-2])\1"
                          r"(?:0[1-9]|[12][0-9]|3[01])(?![0-9])")
# The most a run spends on one digit: the digit and what may stand between it and the next.
_LONGEST_BETWEEN = len("1) .(")


@dataclass(frozen=True)
class Run:
    """Digit groups joined by one kind of separator: the spans of the groups, whether the first
    (last) group is also joined to digits before (after) it by another separator, and whether the
    run holds a date."""

    groups: tuple[tuple[int, int], ...]
    shared_first: bool
    shared_last: bool
    dated: bool = False


def glued(text: str, at: int, step: int) -> bool:
    """True when the character at `at` is an ASCII letter, or a dash with one at `at + step`: the
    digits next to it belong to a code such as an item code or a case number (99010001FG-XK-0300)."""
    if not 0 <= at < len(text):
        return False
    if text[at].isascii() and text[at].isalpha():
        return True
    beyond = at + step
    return text[at] == "-" and 0 <= beyond < len(text) and text[beyond].isascii() and text[beyond].isalpha()


def quantity(text: str, at: int) -> bool:
    """True when a unit stands at `at`, right after digits: they count something (2030年, 5个)."""
    return at < len(text) and text[at] in _UNITS and not text.startswith(_NOT_UNITS, at)


def _joined(text: str, at: int, step: int) -> bool:
    """True when the character at `at` joins a digit at `at + step` (one character further)."""
    beyond = at + step
    return 0 <= beyond < len(text) and 0 <= at < len(text) and text[at] in _JOINS and text[beyond].isdigit()


def runs(text: str) -> Iterator[Run]:
    """Every run of two groups or more (and MIN_DIGITS digits or more) in folded `text`, once
    (bracket-only runs match every kind)."""
    seen = set()
    for kind, pattern in _RUNS:
        if kind not in text and "(" not in text:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if (start, end) in seen or _EXCEL_EXPONENT.match(text, end):
                continue  # 1.10101199003070E+17 is an Excel float (numbers.EXCEL_FLOAT)
            if end - start > _LONGEST_BETWEEN * MAX_RUN_DIGITS:
                continue  # more than MAX_RUN_DIGITS digits, whatever stands between them
            groups = [m.span() for m in _GROUP.finditer(text, start, end)]
            if len(groups) < 2 or sum(after - before for before, after in groups) > MAX_RUN_DIGITS:
                continue  # contiguous digits are the usual patterns' to read
            (first_start, first_end), (second_start, _) = groups[:2]
            if len(groups) == 2 and second_start == first_end + 1 and text[first_end] == "." and (
                    first_end - first_start <= 2):
                continue  # 0.5772156649, 3.1415926535: a decimal number, not a grouping
            seen.add((start, end))
            run = _trimmed(text, groups, _joined(text, start - 1, -1), _joined(text, end, 1))
            if run:
                yield run


def _trimmed(text: str, groups: list, shared_first: bool, shared_last: bool) -> Run | None:
    """The run without the groups at its edges that belong to something else: a date's or time's
    (when joined to it), a code's, a quantity's (see `glued`, `quantity`); None if too little is left."""
    first, last = groups[0], groups[-1]
    if (shared_first and _ENDS_DATE_OR_TIME.search(text, max(0, first[1] - _LONGEST_DATE), first[1])
            or glued(text, first[0] - 1, -1)):
        groups, shared_first = groups[1:], False
    if (shared_last and _BEGINS_DATE_OR_TIME.match(text, last[0])
            or glued(text, last[1], 1) and text[last[1] - 1] not in "Xx"
            or quantity(text, last[1])):
        groups, shared_last = groups[:-1], False
    if len(groups) < 2:
        return None
    dated = bool(_DATE_INSIDE.search(text, groups[0][0], groups[-1][1]))
    return Run(tuple(groups), shared_first, shared_last, dated)


def segments(digits: list[str], grade: Callable[[str], float], sure: float, shared_first: bool = False,
             shared_last: bool = False) -> list[tuple[int, int]]:
    """How a run's groups (`digits`) divide into numbers: [(first, last + 1)] of group indexes.

    `grade` scores the digits of one number (0: not a number; `sure` or more: certain). The whole
    run if it is one number, else a row of numbers that covers it. A first (last) group shared
    with a neighbour (`shared_first`, `shared_last`: the 4 of 2024.3.4 in "2024.3.4 1381 234 5678")
    is left to the neighbour only when the run is no certain number with it: a division of only
    certain numbers wins, then the one that keeps more groups (leaving none of a number's digits
    behind), then the higher grade of its weakest number. Nothing when there is no division: then
    the run is ordinary digits.
    """
    count = len(digits)
    if not (shared_first or shared_last):
        whole = "".join(digits)  # the common case, one number: no search
        if MIN_DIGITS <= len(whole) <= MAX_DIGITS and grade(whole):
            return [(0, count)]
    best: tuple = ()
    for first, last in ((0, count), (1, count), (0, count - 1), (1, count - 1)):
        if (first and not shared_first) or (last < count and not shared_last) or first >= last:
            continue
        division = _cover(digits[first:last], grade)
        if division:
            weakest = min(grade("".join(digits[first + i:first + j])) for i, j in division)
            quality = (weakest >= sure, last - first, weakest)
            if not best or quality > best[0]:
                best = (quality, [(first + i, first + j) for i, j in division])
    return best[1] if best else []


def _cover(digits: list[str], grade: Callable[[str], float]) -> list[tuple[int, int]]:
    """Consecutive stretches of groups, each a number, that together are all of them (all of
    them as one stretch when that is a number); [] when there are none."""
    count = len(digits)
    previous: list[int | None] = [None] * (count + 1)  # where the stretch that ends here starts
    previous[0] = 0
    for start in range(count):
        if previous[start] is None:
            continue
        joined = ""
        for end in range(start + 1, count + 1):
            joined += digits[end - 1]
            if len(joined) > MAX_DIGITS:
                break
            if previous[end] is None and len(joined) >= MIN_DIGITS and grade(joined):
                previous[end] = start
    if previous[count] is None:
        return []
    division, end = [], count
    while end:
        division.append((previous[end], end))
        end = previous[end]
    return division[::-1]


def span(text: str, run: Run, first: int, last: int) -> tuple[int, int]:
    """Where groups [first, last) of `run` are written, with a bracket around them and a "+" or
    "(+" before them (+86 138…, (+86)138…) included."""
    (start, first_end), (last_start, end) = run.groups[first], run.groups[last - 1]
    if start and text[start - 1] == "+":
        start -= 1
    if start and text[start - 1] == "(" and ")" in text[start:first_end + 1]:
        start -= 1
    if end < len(text) and text[end] == ")" and last_start and text[last_start - 1] == "(":
        end += 1
    return start, end
