"""Item codes: the city's short codes and the national 政务服务事项 codes departments really hold.

Three families are accepted as an item's identity, kept exactly as written:

- a city code, 主体码-类型码-序号 (`99010000FG-XK-0001`), whose 主体码 is the publishing
  department's code;
- a national or provincial 实施编码, 基本编码-区划-业务办理项-统一社会信用代码-…
  (`511A0141700000-511602000000-000-115113016823646795-1-00`; the 基本编码 may itself
  contain hyphens, `G-000007-001`), 23 to 64 characters;
- any other code a department publishes: a bare 基本编码 (`511A0141700000`), a 12-digit
  职权编码, a 实施编码 cut short by its source system.

`parts` names the segments of a code so that pages show them and search finds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .fields import Field, FieldError

CITY_CODE = re.compile(r"([0-9A-Z]{4,20})-([A-Z]{2})-([0-9]{3,6})")
# Letters, digits, and single hyphens or underscores between them: what every real code uses.
_ANY_CODE = re.compile(r"[0-9A-Za-z]+(?:[-_][0-9A-Za-z]+)*")
# 行政区划代码 as the national codes write it: 12 digits (GB/T 2260 + township and village).
_REGION = re.compile(r"\d{12}")
# 统一社会信用代码 (GB 32100): 18 characters; old 组织机构代码 (9, or 10 with its hyphen) too.
CREDIT_PATTERN = r"[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-Z]{9}[0-9A-Za-z]"
_CREDIT = re.compile(CREDIT_PATTERN)

MAX_LENGTH = 64  # the items tables' code column


def parts(code: str) -> dict[str, str]:
    """The named segments of a code ({} when it is neither a city code nor a 实施编码).

    City codes give 主体码, 类型码 and 序号; a 实施编码 gives 基本编码, 区划, 业务办理项 and,
    when its 实施主体 segment reads as one, 统一社会信用代码 (else 实施主体编码, as written).
    """
    found = CITY_CODE.fullmatch(code)
    if found:
        return {"主体码": found[1], "类型码": found[2], "序号": found[3]}
    segments = code.split("-")
    region = next((i for i, s in enumerate(segments) if i and _REGION.fullmatch(s)), None)
    if region is None or region + 2 >= len(segments):
        return {}
    named = {"基本编码": "-".join(segments[:region]), "区划": segments[region],
             "业务办理项": segments[region + 1]}
    subject = segments[region + 2]
    named["统一社会信用代码" if _CREDIT.fullmatch(subject) else "实施主体编码"] = subject
    return named


def credit_code(code: str) -> str | None:
    """The 统一社会信用代码 a 实施编码 carries, upper-cased as GB 32100 writes it (None if it has none)."""
    found = parts(code).get("统一社会信用代码")
    return found.upper() if found else None


def city_prefix(code: str) -> str | None:
    """The 主体码 of a city code (the department it belongs to), or None for any other code."""
    found = CITY_CODE.fullmatch(code)
    return found[1] if found else None


def is_credit_code(text: str) -> bool:
    """True when `text` has the shape of an 18-character 统一社会信用代码."""
    return bool(_CREDIT.fullmatch(text))


@dataclass(frozen=True)
class ItemCode(Field):
    """An item's code: a city code, a national 实施编码, a 基本编码 or 职权编码, kept as written."""

    type_label = _l("事项编码")
    # An identifier, checked by its own rules: not prose that could carry personal data (its
    # 18-digit credit-code segment reads like an ID number to the detector).
    free_form = False

    def convert(self, text: str):
        if len(text) > MAX_LENGTH:
            raise FieldError(_l("长度超过 %(max)s 个字符", max=MAX_LENGTH))
        if len(text) < 4 or not _ANY_CODE.fullmatch(text):
            raise FieldError(_l("编码只能由字母、数字和连字符“-”组成,至少 4 位:“%(value)s”",
                                value=text[:40]))
        return text


# The names `parts` gives, marked for the catalogs: pages show them in the reader's language.
PART_NAMES = (_l("主体码"), _l("类型码"), _l("序号"), _l("基本编码"), _l("区划"), _l("业务办理项"),
              _l("统一社会信用代码"), _l("实施主体编码"))
