"""Number-shaped personal data: what each looks like (on folded text) and how it is checked.

Every pattern runs on text folded by `normalize.fold` (ASCII digits, Chinese
numerals read as digits, "-" for any dash). The patterns here know the usual
groupings (3-4-4, 6-8-4, 4-4-4-4) with any of the four separators between the
groups; `groups` finds the other groupings. A pattern only proposes a match;
the checks here decide how sure it is:
a resident ID whose birth date is real and whose ISO 7064 MOD 11-2 check digit
agrees is certain, a 16–19 digit run that passes Luhn is very likely a bank card.
"""

from __future__ import annotations

import datetime as dt
import re

# Province-level codes that begin a resident ID (GB/T 2260), Hong Kong, Macao, Taiwan.
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_NOT_DIGIT_BEFORE = r"(?<![0-9])"
_NOT_DIGIT_AFTER = r"(?![0-9])"
# What people put between the groups of a number: a space, dash, dot or slash (or nothing); a dash
# may have a space on either side (138 - 1234 - 5678, as word processors space it).
SEPARATORS = " -./"
_SEP = r"(?: ?- ?|[ ./])?"

# 18 digits (the last may be X, with a space before it as some type it), optionally written 6-8-4
# with separators.
ID18 = re.compile(
    _NOT_DIGIT_BEFORE + r"([1-9][0-9]{5})" + _SEP + r"((?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9])"
    + _SEP + r"([0-9]{3}(?:[0-9]|[ ]?[Xx]))(?![0-9A-Za-z])"
)
# The legacy 15-digit ID: region, YYMMDD, sequence.
ID15 = re.compile(
    _NOT_DIGIT_BEFORE + r"([1-9][0-9]{5})" + _SEP + r"([0-9]{2}[01][0-9][0-3][0-9])" + _SEP
    + r"([0-9]{3})" + _NOT_DIGIT_AFTER
)
# A mainland mobile: 1[3-9]x xxxx xxxx, with +86 / 0086 / 86 / (+86) in front or not,
# grouped 3-4-4 by separators or not at all.
MOBILE = re.compile(
    r"(?<![0-9+])(?:(?:\+|00)?86" + _SEP + r"|\(\+?86\)" + r" ?)?"
    r"(1[3-9][0-9])" + _SEP + r"([0-9]{4})" + _SEP + r"([0-9]{4})" + _NOT_DIGIT_AFTER
)
_AREA = r"(?:10|2[0-9]|[3-9][0-9]{2})"
# A landline with its area code: 0xx(x)-xxxxxxx(x), (0xxx)xxxxxxx, +86 xxx xxxxxxx,
# with an extension (转 / 分机 / ext / - / #) or not.
LANDLINE = re.compile(
    r"(?<![0-9+])(?:(?:\+|00)86" + _SEP + r"\(?0?(" + _AREA + r")\)?|\(0(" + _AREA + r")\)|0(" + _AREA + r"))"
    + _SEP + r"([2-9][0-9]{2,3})" + _SEP + r"([0-9]{4})"
    + r"(?:" + _SEP + r"(?:转|分机|ext\.?|x|-|#)" + _SEP + r"([0-9]{1,5}))?" + _NOT_DIGIT_AFTER,
    re.IGNORECASE,
)
# A local number without area code, after a word that says it is a phone number.
CUED_LOCAL = re.compile(
    r"(?:电话|手机|座机|联系方式|联系号码|号码|tel|phone)(?:号码)?[::]?\s*([2-9][0-9]{2,3}" + _SEP
    + r"[0-9]{4})" + _NOT_DIGIT_AFTER,
    re.IGNORECASE,
)
# 16–19 digits, contiguous or in groups of four with one kind of separator (2260-2007 2019-2023
# is two ranges).
CARD = re.compile(
    _NOT_DIGIT_BEFORE + r"(?:[0-9]{4}([ \-./])[0-9]{4}(?:\1[0-9]{4}){2}(?:\1?[0-9]{1,3})?|[0-9]{16,19})"
    + _NOT_DIGIT_AFTER
)
# What Excel makes of a long number in a General cell: 1.10101199003070E+17.
EXCEL_FLOAT = re.compile(r"(?<![0-9.])([1-9])\.([0-9]{1,17})[Ee]\+?([0-9]{2})" + _NOT_DIGIT_AFTER)
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_CHAR = "[A-HJ-NP-Z0-9]"
# Between the authority letter and the rest: a space, a dot of any kind (·•.・‧∙⋅) or a dash,
# with a space either side or not; a space may also follow the province (粤 B 12345).
_PLATE_GAP = "[ ]?[·•.・‧∙⋅\\-]?[ ]?"
# Ordinary plates (粤B 12345, 京A·8888L, 苏E1234挂) and new-energy plates (粤B D12345, 沪A 12345F),
# in either case: people type 京a12345 as often as 京A12345, and the letters I and O are never used.
PLATE = re.compile(
    "[" + _PLATE_PROVINCES + "][ ]?[A-HJ-NP-Z]" + _PLATE_GAP
    + "(?:[DF]" + _PLATE_CHAR + "[0-9]{4}|[0-9]{5}[DF]|" + _PLATE_CHAR + "{4}[A-HJ-NP-Z0-9挂学警港澳])"
    "(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def digits(text: str) -> str:
    """Only the digits of `text` (and a final X of an ID, upper-cased)."""
    kept = "".join(c for c in text if c.isdigit() and c.isascii())
    return kept + "X" if text.rstrip()[-1:] in ("X", "x") else kept


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1880, 1, 1) <= born <= dt.date.today()


def id_birth_ok(region: str, birth: str) -> bool:
    """True when an 18-digit ID's region starts with a province code and its birth date is real."""
    return region[:2] in PROVINCES and _real_date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))


def legacy_id_ok(region: str, birth: str) -> bool:
    """True when a 15-digit ID's region and YYMMDD birth date (19YY) are plausible."""
    return region[:2] in PROVINCES and _real_date(1900 + int(birth[:2]), int(birth[2:4]), int(birth[4:]))


def id_checksum_ok(number: str) -> bool:
    """ISO 7064 MOD 11-2 over the first 17 digits gives the 18th (X for 10)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def id_check_digit(first17: str) -> str:
    """The check digit an ID with these 17 digits must end in."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def luhn_ok(number: str) -> bool:
    """The Luhn check bank cards carry in their last digit."""
    total = 0
    for position, char in enumerate(reversed(number)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def luhn_digit(partial: str) -> str:
    """The digit that makes `partial` + digit pass Luhn."""
    return str(next(d for d in range(10) if luhn_ok(partial + str(d))))
