"""Field types whose cell is one typed value: numbers, dates, vocabularies, yes/no, a department."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from flask_babel import lazy_gettext as _l

from .field_base import Field, FieldError
from .spellings import Spellings

# Compiled once: every row of a file runs them.
_WHOLE_FLOAT = re.compile(r"[+-]?\d+\.0+")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_MIDNIGHT = re.compile(r"[ T]00:00(:00)?$")
_DATE = re.compile(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?")


@dataclass(frozen=True)
class Integer(Field):
    """A whole number within bounds."""

    minimum: int = 0
    maximum: int = 1_000_000

    type_label = _l("整数")
    free_form = False

    def convert(self, text: str):
        text = unicodedata.normalize("NFKC", text)
        # Excel writes whole numbers read back from a sheet as "3.0".
        if _WHOLE_FLOAT.fullmatch(text):
            text = text.split(".")[0]
        if not _INTEGER.fullmatch(text):
            raise FieldError(_l("应为整数:“%(value)s”", value=text[:40]))
        value = int(text)
        if not self.minimum <= value <= self.maximum:
            raise FieldError(
                _l("应在 %(min)s 到 %(max)s 之间", min=self.minimum, max=self.maximum)
            )
        return value


@dataclass(frozen=True)
class Decimal(Field):
    """A number with up to `places` decimals (scores, weights, working days)."""

    minimum: float = 0
    maximum: float = 1_000_000
    places: int = 2

    type_label = _l("数值")
    free_form = False

    def convert(self, text: str):
        text = unicodedata.normalize("NFKC", text)
        if not _DECIMAL.fullmatch(text):
            raise FieldError(_l("应为数值:“%(value)s”", value=text[:40]))
        value = round(float(text), self.places)
        if not self.minimum <= value <= self.maximum:
            raise FieldError(
                _l("应在 %(min)s 到 %(max)s 之间", min=self.minimum, max=self.maximum)
            )
        return int(value) if value == int(value) else value


@dataclass(frozen=True)
class Date(Field):
    """A calendar date written YYYY-MM-DD (also YYYY/MM/DD or YYYY年M月D日)."""

    type_label = _l("日期")
    free_form = False

    def convert(self, text: str):
        text = unicodedata.normalize("NFKC", text)
        # Spreadsheets export dates with a midnight time part.
        text = _MIDNIGHT.sub("", text)
        match = _DATE.fullmatch(text)
        if not match:
            raise FieldError(_l("日期格式应为 YYYY-MM-DD:“%(value)s”", value=text[:40]))
        try:
            return dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            # Written the right way but not on the calendar (2024-02-30, 2024-13-01): saying
            # the format is wrong would send the clerk looking for a mistake that is not there.
            raise FieldError(_l("日期不存在:“%(value)s”,请核对年、月、日", value=text[:40])) from None


@dataclass(frozen=True)
class Choice(Field):
    """One value from a fixed vocabulary."""

    choices: tuple[str, ...] = ()
    # Other spellings departments write, each mapped to its value: the national elements'
    # numeric codes ("1" for 行政许可), 免费 for 不收费.
    aliases: tuple[tuple[str, str], ...] = ()

    type_label = _l("枚举")
    free_form = False

    @cached_property
    def _aliased(self) -> dict[str, str]:
        return dict(self.aliases)

    @cached_property
    def _traditional(self) -> Spellings:
        return Spellings((*self.choices, *self._aliased))

    def canonical(self, text: str) -> str:
        """The value `text` stands for: itself, or the value an alias maps it to; a value or alias
        spelled in Traditional (行政許可, as zh-hant pages show it) stands for its Simplified one."""
        plain = unicodedata.normalize("NFKC", text).strip()
        if plain in self._aliased:
            return self._aliased[plain]
        if not self.choices or plain in self.choices:
            return text
        simplified = self._traditional.simplified(plain)
        return text if simplified is None else self._aliased.get(simplified, simplified)

    def convert(self, text: str):
        text = self.canonical(text)
        if text not in self.choices:
            raise FieldError(
                _l(
                    "“%(value)s”不是允许的值,可选:%(choices)s",
                    value=text[:40],
                    choices="、".join(self.choices),
                )
            )
        return text


@dataclass(frozen=True)
class Boolean(Field):
    """是/否 (also accepts Y/N, true/false, 1/0)."""

    type_label = _l("是/否")
    free_form = False
    _TRUE = ("是", "y", "yes", "true", "1")
    _FALSE = ("否", "n", "no", "false", "0")

    def convert(self, text: str):
        lowered = unicodedata.normalize("NFKC", text).lower()
        if lowered in self._TRUE:
            return True
        if lowered in self._FALSE:
            return False
        raise FieldError(_l("应为“是”或“否”:“%(value)s”", value=text[:40]))

    def format(self, value) -> str:
        return "" if value is None else ("是" if value else "否")


@dataclass(frozen=True)
class Department(Field):
    """The publishing department, written as its code or its full name.

    Parsing needs the city's departments, so the validator resolves it; here it
    is only cleaned text.
    """

    type_label = _l("部门编码或名称")
    free_form = False
