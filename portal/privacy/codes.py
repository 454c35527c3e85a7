"""Personal data written as an item code: a phone or ID number typed where the code goes.

An item code is published in URLs, feeds, downloads and the export, and it is not free text
(`ItemCode.free_form`), so the screening of texts never reads it. A code outside the city and
national formats may be any digits, so an upload reads each code with the detector here.

The detector alone would refuse real codes: a 实施编码's 统一社会信用代码 often passes the
bank cards' Luhn check, and the digits after a 基本编码's letter (512C0107400001) read as a
Beijing landline. So an ID number (birth date and all) counts wherever it is, but for a credit code
of digits that reads as one (11120119661123235X: 111201, born 1966-11-23) and that GB 32100's check
digit proves a credit code; a mobile number (eleven digits of its own shape, no more) counts
wherever it is but in that credit code; a landline or a card number only when it stands alone in
the code, between separators or at its ends.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from stdnum.cn import uscc

from ..schemas import Kind, Problem
from ..schemas.codes import ItemCode, parts
from .detect import ID_NUMBER, MOBILE, Finding, detect
from .labels import category_label

_SEPARATOR = re.compile(r"[-_]")


def code_findings(code: str) -> list[Finding]:
    """The probable personal data in an item code (empty for every code a department really holds)."""
    if not any(c.isdigit() for c in code):
        return []
    credit = _credit_segment(code)
    region = _region_segment(code)
    # The detector reads a hyphen between a number's groups but not an underscore: the same length.
    found = [f for f in detect(code.replace("_", "-"), high_only=True)
             if f.category == ID_NUMBER and not (credit and (f.start, f.end) == credit and uscc.is_valid(f.value))
             or (f.category == MOBILE or _stands_alone(code, f)) and (f.start, f.end) != credit]
    # A village's 区划 and the 业务办理项 after it (511602101215-000) are an old ID's 15 digits.
    found = [f for f in found if (f.start, f.end) != region]
    split = [f for f in _split_numbers(code) if (f.start, f.end) != region]
    # Whole segments read as one number beat a reading that cuts through them (130-01020000-1-00 is
    # a mobile number and the code's tail, not a landline 01020000-1-00).
    return [f for f in found if not any(f.start < s.end and s.start < f.end for s in split)] + split


_DIGIT_SEGMENT = re.compile(r"\d+[Xx]?")
# The lengths of a mobile number and of both resident ID numbers.
_WHOLE_NUMBERS = {11, 15, 18}


def _split_numbers(code: str) -> list[Finding]:
    """A mobile or ID number cut into segments of the code anyhow (99010001FG-XK-1381-234-5678): in a
    longer text such groups are read by where they fall, but in a code the hyphens are the code's own,
    so the digits of a few neighbouring segments are read again as one number."""
    segments = [(m.start(), m.end()) for m in re.finditer(r"[^-_]+", code)]
    found = []
    for first in range(len(segments)):
        for last in range(first + 2, min(first + 5, len(segments) + 1)):
            chosen = segments[first:last]
            if not all(_DIGIT_SEGMENT.fullmatch(code, a, b) for a, b in chosen):
                break
            joined = "".join(code[a:b] for a, b in chosen)
            if len(joined) not in _WHOLE_NUMBERS:
                continue
            found += [Finding(f.category, chosen[0][0], chosen[-1][1], code[chosen[0][0]:chosen[-1][1]],
                              f.canonical, f.score)
                      for f in detect(joined, high_only=True)
                      if f.category in (ID_NUMBER, MOBILE) and (f.start, f.end) == (0, len(joined))]
    return found


def _stands_alone(code: str, finding: Finding) -> bool:
    """True when nothing but a separator or the code's end is glued to the finding."""
    before = finding.start == 0 or bool(_SEPARATOR.fullmatch(code[finding.start - 1]))
    after = finding.end == len(code) or bool(_SEPARATOR.fullmatch(code[finding.end]))
    return before and after


def _credit_segment(code: str) -> tuple[int, int] | None:
    """The span of the 统一社会信用代码 segment of a 实施编码, if it has one."""
    named = parts(code)
    credit = named.get("统一社会信用代码")
    if credit is None:
        return None
    # `parts` names the segment two after 区划 (业务办理项 between): find it there, not an equal one earlier.
    start = len(named["基本编码"]) + 1 + len(named["区划"]) + 1 + len(named["业务办理项"]) + 1
    return start, start + len(credit)


def _region_segment(code: str) -> tuple[int, int] | None:
    """The span of a 实施编码's 区划 and its three-digit 业务办理项 together, if it has them (an ID
    cut in two there, 110101199003-074514, has a longer second segment and is still found)."""
    named = parts(code)
    if len(named.get("业务办理项", "")) != 3:
        return None
    start = len(named["基本编码"]) + 1
    return start, start + len(named["区划"]) + 1 + len(named["业务办理项"])


def code_problems(kind: Kind, numbered: list[tuple[int, dict]], sheet: str | None = None) -> list[Problem]:
    """A problem for each item code of each (row number, clean record) that holds probable personal
    data, naming its row and column and what it seems to be, never the number itself."""
    fields = [f for f in kind.fields if isinstance(f, ItemCode)]
    problems = []
    for number, record in numbered:
        for f in fields:
            code = record.get(f.name)
            found = code_findings(code) if isinstance(code, str) else []
            if found:
                what = str(_l("、")).join(dict.fromkeys(category_label(finding.category) for finding in found))
                problems.append(Problem(number, f.label, str(_l(
                    "编码中有疑似%(what)s,编码会出现在网址、订阅和下载中,不能含个人信息:"
                    "请填写本事项的编码", what=what)), sheet=sheet))
    return problems
