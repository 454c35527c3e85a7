"""Find personal data in free text: resident IDs, phones, bank cards, plates, e-mail, names, addresses.

`detect` folds the text to one spelling (`normalize`: full-width and Chinese
numerals to ASCII digits, Traditional cue words to Simplified, spelled-out
e-mail addresses to their usual form), runs every pattern and reads digit groups
in any grouping (`groups`), scores each candidate with the checks that apply
(ID check digit and birth date, Luhn, the portal's own public numbers), keeps
the strongest of overlapping candidates and returns them as `Finding`s whose
spans index the text as written.

Confidence is a score in [0, 1]; `HIGH` (≥ 0.8) findings are what the public
exits refuse to emit, `MEDIUM` ones (names, addresses, numbers that fail their
checks) are for a person to review on upload.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from . import cues, groups, numbers
from .normalize import fold

HIGH = "high"
MEDIUM = "medium"
HIGH_SCORE = 0.8

# Categories, in the order their labels are shown.
ID_NUMBER = "id_number"
MOBILE = "mobile"
LANDLINE = "landline"
BANK_CARD = "bank_card"
PLATE = "plate"
EMAIL = "email"
EXCEL_NUMBER = "excel_number"
NAME = "name"
ADDRESS = "address"
CATEGORIES = (ID_NUMBER, MOBILE, LANDLINE, BANK_CARD, PLATE, EMAIL, EXCEL_NUMBER, NAME, ADDRESS)


@dataclass(frozen=True)
class Finding:
    """One piece of probable personal data: where it is in the text as written, what and how sure.

    `value` is the text as written; `canonical` its folded form (digits only for
    numbers), which is what the public lists and confirmations compare.
    """

    category: str
    start: int
    end: int
    value: str
    canonical: str
    score: float

    @property
    def confidence(self) -> str:
        """HIGH or MEDIUM."""
        return HIGH if self.score >= HIGH_SCORE else MEDIUM

    @property
    def fingerprint(self) -> str:
        """A hash of the category and canonical value: names a finding without holding it."""
        return hashlib.sha256(f"{self.category}\x1f{self.canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class Public:
    """What the portal publishes on purpose: service numbers (digits), e-mail addresses (lower case)
    and office addresses."""

    contacts: frozenset[str] = frozenset()
    addresses: tuple[str, ...] = ()

    def __hash__(self) -> int:
        # Part of the key of every text kept below: hashed once, not once per text (the tuple
        # of every department's address would be hashed again on each look-up).
        found = self.__dict__.get("_hash")
        if found is None:
            found = hash((self.contacts, self.addresses))
            object.__setattr__(self, "_hash", found)
        return found


NOTHING_PUBLIC = Public()
_ANY_DIGIT = re.compile("[0-9]")


def _numbers(text: str, public: Public):
    """(category, start, end, canonical, score) candidates of the number-shaped kinds."""
    if "@" in text:
        for m in numbers.EMAIL.finditer(text):
            if m.group().lower() not in public.contacts:
                yield EMAIL, m.start(), m.end(), m.group().lower(), 0.95
    if not _ANY_DIGIT.search(text):
        return  # every other kind (plates too, as matched here) has a digit: most texts stop here
    if sum(map(text.count, _DIGITS)) < _FEWEST_DIGITS:
        # Too few digits for any number that is someone's (a date, an amount, 3个工作日: most texts
        # with a digit): only a float from Excel or a plate can be here, and the runs need more.
        yield from _few_digits(text)
        return
    for m in numbers.ID18.finditer(text):
        value = m.group(1) + m.group(2) + m.group(3).replace(" ", "").upper()
        if numbers.id_birth_ok(m.group(1), m.group(2)):
            # A wrong check digit is still an ID number with a typo: redacted, and still high.
            yield ID_NUMBER, m.start(), m.end(), value, 0.99 if numbers.id_checksum_ok(value) else 0.85
    for m in numbers.ID15.finditer(text):
        if numbers.legacy_id_ok(m.group(1), m.group(2)):
            yield ID_NUMBER, m.start(), m.end(), "".join(m.groups()), 0.85
    for m in numbers.MOBILE.finditer(text):
        value = "".join(m.groups())
        if value not in public.contacts:
            yield MOBILE, m.start(), m.end(), value, 0.95
    for m in numbers.LANDLINE.finditer(text):
        area = m.group(1) or m.group(2) or m.group(3)
        value = "0" + area + m.group(4) + m.group(5)
        if value not in public.contacts:
            extension = m.group(6)
            yield LANDLINE, m.start(), m.end(), value + (f"-{extension}" if extension else ""), 0.9
    for m in numbers.CUED_LOCAL.finditer(text):
        value = numbers.digits(m.group(1))
        if not any(known.endswith(value) for known in public.contacts):
            yield LANDLINE, m.start(1), m.end(1), value, 0.6
    for m in numbers.CARD.finditer(text):
        value = numbers.digits(m.group())
        yield BANK_CARD, m.start(), m.end(), value, 0.9 if numbers.luhn_ok(value) else 0.6
    yield from _few_digits(text)
    yield from _grouped(text, public)


# The fewest digits of a number `_numbers` looks for other than a float or a plate: a local
# number after its cue (CUED_LOCAL, 7); a landline takes 9 or more, a mobile 11, an ID 15 or
# 17, a card 16, a run of groups `groups.MIN_DIGITS`.
_FEWEST_DIGITS = 7
_DIGITS = "0123456789"


def _few_digits(text: str):
    """The candidates a text with only a few digits can hold: an Excel float, a plate."""
    for m in numbers.EXCEL_FLOAT.finditer(text):
        exponent = int(m.group(3))
        if 10 <= exponent <= 19:
            # Eleven digits or more turned into a float: an ID, a phone or a card, never a sum
            # of money in a complaint. Only the leading digits survive Excel; keep those.
            yield EXCEL_NUMBER, m.start(), m.end(), m.group(1) + m.group(2) + f"e{exponent}", 0.85
    for m in numbers.PLATE.finditer(text):
        if any(c.isdigit() for c in m.group()):
            value = "".join(c for c in m.group() if c.isalnum()).upper()  # 粤b·12345 is 粤B12345
            yield PLATE, m.start(), m.end(), value, 0.85


_MOBILE_DIGITS = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE_DIGITS = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})[2-9][0-9]{6,7}")


@lru_cache(maxsize=4096)
def _readings(digits: str) -> tuple[tuple[str, str, float], ...]:
    """What the digits of a grouped number can be: (category, canonical, score) for each reading,
    checked and graded as the usual spellings are in `_numbers`."""
    found = []
    if len(digits) == 18 and numbers.id_birth_ok(digits[:6], digits[6:14]):
        value = digits[:17] + digits[17].upper()
        found.append((ID_NUMBER, value, 0.99 if numbers.id_checksum_ok(value) else 0.85))
    if digits[-1] in "Xx":
        return tuple(found)  # only an ID ends in X
    if len(digits) == 15 and numbers.legacy_id_ok(digits[:6], digits[6:12]):
        found.append((ID_NUMBER, digits, 0.85))
    # +86 / 0086 in front: the national number follows (a landline's without its leading 0).
    national = digits[4:] if digits.startswith("0086") else digits[2:] if digits.startswith("86") else None
    if _MOBILE_DIGITS.fullmatch(national or digits):
        found.append((MOBILE, national or digits, 0.95))
    landline = "0" + national if national else digits
    if _LANDLINE_DIGITS.fullmatch(landline):
        found.append((LANDLINE, landline, 0.9))
    # No card number starts with 0, 1 or 20 (ISO/IEC 7812: 1 is airlines; Mastercard's 2-series
    # begins at 2221), and dates do: 2024-03-04-2024-03-08 is sixteen digits in one run.
    if 16 <= len(digits) <= 19 and not digits.startswith(("0", "1", "20")):
        found.append((BANK_CARD, digits, 0.9 if numbers.luhn_ok(digits) else 0.6))
    return tuple(found)


def _grade(digits: str, ids_only: bool = False) -> float:
    """The best score the digits of a grouped number can have; 0 when they are no number."""
    best = 0.0
    for category, _canonical, score in _readings(digits):
        if category == ID_NUMBER or not ids_only:
            best = max(best, score)
    return best


def _grade_id(digits: str) -> float:
    return _grade(digits, ids_only=True)


def _grouped(text: str, public: Public):
    """Candidates written in groupings the patterns do not know (1381 234 5678, 6222.0212.3456.7890.128)."""
    for run in groups.runs(text):
        digits = [text[start:end] for start, end in run.groups]
        # A run that holds a date is dates and figures, or an ID with its birth date written as one.
        grade = _grade_id if run.dated else _grade
        for first, last in groups.segments(digits, grade, HIGH_SCORE, run.shared_first, run.shared_last):
            start, end = groups.span(text, run, first, last)
            for category, canonical, score in _readings("".join(digits[first:last])):
                if canonical not in public.contacts and (category == ID_NUMBER or not run.dated):
                    yield category, start, end, canonical, score


_DIGIT_CATEGORIES = frozenset({ID_NUMBER, MOBILE, LANDLINE, BANK_CARD})


# No count, date or sum of money in what departments publish is written as eleven digits or more
# without thousands separators, nor starts with a 0 as a trunk prefix does; a mobile, a landline,
# an ID or a card number does, whatever unit follows it.
_LONGEST_QUANTITY = 10


def _ordinary(text: str, candidate: tuple) -> bool:
    """True for digits that are part of a code, with letters glued on both sides (99010001FG-XK-0300
    99010001FG), or a quantity, with a unit right after them (…-2023年, 5个) and digits that can
    count something (13812345678号 and 010-2000000次 are phone numbers)."""
    category, start, end, canonical = candidate[:4]
    return category in _DIGIT_CATEGORIES and (
        groups.glued(text, start - 1, -1) and groups.glued(text, end, 1)
        or groups.quantity(text, end) and sum(c.isdigit() for c in canonical) <= _LONGEST_QUANTITY
        and not canonical.startswith("0"))


def _public_address(text: str, start: int, end: int, public: Public) -> bool:
    part = text[start:end]
    return any(part in address or address in part for address in public.addresses) or any(
        part[cut:] in address for address in public.addresses for cut in range(len(part) - 4)
    )


def _cued(text: str, public: Public):
    for start, end, surname in cues.names(text):
        yield NAME, start, end, text[start:end], 0.6
    for start, end in cues.addresses(text):
        if not _public_address(text, start, end, public):
            yield ADDRESS, start, end, text[start:end], 0.5


def _priority(candidate: tuple) -> tuple:
    # High-confidence candidates longest first: a number written in groups (an ID, a card) may hold
    # a group that alone looks like a mobile; the whole is the finding, so nothing of it is left.
    # Otherwise the highest score first (an ID over a card of the same digits), then the longest.
    _category, start, end, _canonical, score = candidate
    sure = score >= HIGH_SCORE
    return -sure, -(end - start) if sure else 0, -score, -(end - start), start


def _strongest(candidates) -> list[tuple]:
    """Of overlapping candidates keep the strongest (see `_priority`), in text order."""
    # The kept ones never overlap, so ordered by start they are ordered by end too: a candidate
    # only has to be compared with its two neighbours (a text full of numbers stays fast).
    kept: list[tuple] = []
    starts: list[int] = []
    for candidate in sorted(candidates, key=_priority):
        at = bisect_right(starts, candidate[1])
        if (at and kept[at - 1][2] > candidate[1]) or (at < len(kept) and kept[at][1] < candidate[2]):
            continue
        kept.insert(at, candidate)
        starts.insert(at, candidate[1])
    return kept


def detect(text: str, public: Public = NOTHING_PUBLIC, *, high_only: bool = False) -> list[Finding]:
    """Every probable piece of personal data in `text`, in text order, spans in `text` as written.

    `high_only` returns `high(detect(text, public))` for less: names and addresses are never
    high, and a lower candidate never displaces a high one (`_priority` ranks every high
    candidate first), so the cued kinds and the lower numbers need not be looked for.
    """
    if not text:
        return []
    folded = fold(text)
    candidates = [c for c in _numbers(folded.text, public) if not _ordinary(folded.text, c)]
    if folded.numerals_as_words is not None:
        # A numeral read as a digit may have joined a word to a number (李四13912345678): read the
        # digits as written too. Same spans; overlapping readings are settled by `_strongest`.
        as_words = folded.numerals_as_words
        candidates += [c for c in _numbers(as_words, public)
                       if c[0] in _DIGIT_CATEGORIES and not _ordinary(as_words, c)]
    if high_only:
        candidates = [c for c in candidates if c[4] >= HIGH_SCORE]
    else:
        candidates += _cued(folded.text, public)
    findings = []
    for category, start, end, canonical, score in _strongest(candidates):
        first, last = folded.span(start, end)
        findings.append(Finding(category, first, last, text[first:last], canonical, score))
    return findings


def high(findings: list[Finding]) -> list[Finding]:
    """The findings the public exits refuse to emit."""
    return [f for f in findings if f.confidence == HIGH]
