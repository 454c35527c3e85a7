"""Redaction: what the portal offers in place of each finding (张某, 138****5678).

Masks keep just enough to recognise the item for the person who wrote it (the
mobile's first three and last four digits, a name's surname) and never anything
the detector would find again, so redacting twice changes nothing:
redact(redact(x)) == redact(x).
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import detect as detection
from .detect import NOTHING_PUBLIC, Finding, Public

_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                      "宇文", "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "呼延", "申屠", "轩辕")
# Each pass masks at least one digit run; real texts settle in one or two.
_MAX_PASSES = 8
_ADDRESS_NUMBER = re.compile(
    r"[0-9０-９]+|[一二三四五六七八九十百零〇两]+(?=号|栋|幢|座|单元|室|户)"
)


def _keep(digits: str, head: int, tail: int) -> str:
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[len(digits) - tail:]


def _landline(canonical: str) -> str:
    number = canonical.split("-", 1)[0]
    area = 3 if number.startswith(("010", "02")) else 4
    return number[:area] + "-" + _keep(number[area:], 0, 2)


def _address(value: str) -> str:
    masked = _ADDRESS_NUMBER.sub("*", value)
    return masked if masked != value else "***"


def mask(finding: Finding) -> str:
    """The text offered in place of a finding."""
    canonical = finding.canonical
    if finding.category == detection.ID_NUMBER:
        return _keep(canonical, 3, 2)
    if finding.category == detection.MOBILE:
        return _keep(canonical, 3, 4)
    if finding.category == detection.LANDLINE:
        return _landline(canonical) if canonical.startswith("0") else _keep(canonical, 0, 2)
    if finding.category == detection.BANK_CARD:
        return _keep(canonical, 4, 4)
    if finding.category == detection.PLATE:
        return canonical[:2] + "*" * (len(canonical) - 2)
    if finding.category == detection.EMAIL:
        local, _at, domain = canonical.partition("@")
        return local[:1] + "***@" + domain
    if finding.category == detection.EXCEL_NUMBER:
        return "*" * (int(canonical.rsplit("e", 1)[1]) + 1)
    if finding.category == detection.NAME:
        surname = canonical[:2] if canonical.startswith(_COMPOUND_SURNAMES) else canonical[:1]
        return surname + "某"
    return _address(finding.value)


def apply(text: str, findings: list[Finding]) -> str:
    """`text` with each of `findings` (spans in `text`, not overlapping) replaced by its mask."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[:finding.start] + mask(finding) + text[finding.end:]
    return text


def redact(text: str, public: Public = NOTHING_PUBLIC) -> str:
    """`text` with every finding, high or medium, replaced by its mask, until nothing is found.

    Masks keep a few digits at their edges, and numbers written side by side can
    overlap; so masking repeats until the detector finds nothing more, which makes
    redaction idempotent by construction (each pass only shortens the digit runs).
    """
    for _pass in range(_MAX_PASSES):
        findings = detection.detect(text, public) if text else []
        if not findings:
            break
        text = apply(text, findings)
    return text


def redact_fingerprint(text: str, fingerprint: str, public: Public = NOTHING_PUBLIC) -> str:
    """`text` with the findings of one fingerprint (every occurrence of one value) masked."""
    return apply(text, [f for f in detection.detect(text, public) if f.fingerprint == fingerprint])


@lru_cache(maxsize=4096)
def shown_file_name(name: str | None) -> str | None:
    """A revision's file name as it may leave: masked as an upload's name is when it is staged.

    The name is part of the revision's hash and stays as stored, but one stored under an older
    detector, or copied by a rollback from such a revision, can hold a phone number; every exit
    that shows a name shows this. A name masked when it was staged comes back unchanged
    (`redact` is idempotent), so the hash of its revision can still be checked from what is shown.
    """
    return redact(name) if name else name
