"""Find personal data in free text: resident IDs, phones, bank cards, plates, e-mail, names, addresses.

`detect` folds the text (NFKC, see `normalize`), runs every pattern, scores each
candidate with the checks that apply (ID check digit and birth date, Luhn, the
portal's own public numbers), keeps the strongest of overlapping candidates and
returns them as `Finding`s whose spans index the text as written.

Confidence is a score in [0, 1]; `HIGH` (≥ 0.8) findings are what the public
exits refuse to emit, `MEDIUM` ones (names, addresses, numbers that fail their
checks) are for a person to review on upload.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from . import cues, numbers
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
    for m in numbers.ID18.finditer(text):
        value = m.group(1) + m.group(2) + m.group(3).upper()
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
    for m in numbers.EXCEL_FLOAT.finditer(text):
        exponent = int(m.group(3))
        if 10 <= exponent <= 19:
            # Eleven digits or more turned into a float: an ID, a phone or a card, never a sum
            # of money in a complaint. Only the leading digits survive Excel; keep those.
            yield EXCEL_NUMBER, m.start(), m.end(), m.group(1) + m.group(2) + f"e{exponent}", 0.85
    for m in numbers.PLATE.finditer(text):
        if any(c.isdigit() for c in m.group()):
            value = "".join(c for c in m.group() if c not in " ·•-")
            yield PLATE, m.start(), m.end(), value, 0.85


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


def _strongest(candidates) -> list[tuple]:
    """Of overlapping candidates keep the highest score (then the longest), in text order."""
    kept: list[tuple] = []
    for candidate in sorted(candidates, key=lambda c: (-c[4], -(c[2] - c[1]), c[1])):
        if all(candidate[2] <= other[1] or candidate[1] >= other[2] for other in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda c: c[1])


def detect(text: str, public: Public = NOTHING_PUBLIC) -> list[Finding]:
    """Every probable piece of personal data in `text`, in text order, spans in `text` as written."""
    if not text:
        return []
    folded = fold(text)
    candidates = [*_numbers(folded.text, public), *_cued(folded.text, public)]
    findings = []
    for category, start, end, canonical, score in _strongest(candidates):
        first, last = folded.span(start, end)
        findings.append(Finding(category, first, last, text[first:last], canonical, score))
    return findings


def high(findings: list[Finding]) -> list[Finding]:
    """The findings the public exits refuse to emit."""
    return [f for f in findings if f.confidence == HIGH]
