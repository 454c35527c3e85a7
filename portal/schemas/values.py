"""Cells that hold several values: levels (`省级,市级`), service objects, credit codes.

Departments separate values with whatever their spreadsheet uses — 、 , ， ; ； or a
new line — and often write the national elements' numeric codes (`2,3`). A clean
value is the list of distinct values in the declared order; a file cell writes
them back joined by 、.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .fields import Choice, FieldError

SEPARATORS = re.compile(r"[,、;/\s]+")


@dataclass(frozen=True)
class Several(Choice):
    """Several values in one cell: from `choices` (and `aliases`) when given, else matching `pattern`."""

    type_label = _l("多值")

    def parse(self, raw: object):
        """A cell of values, or a list of them (a JSON or YAML file's way, as the JSON downloads write
        them): each value is checked as if the cell named them all."""
        if isinstance(raw, list) and all(isinstance(value, str) for value in raw):
            raw = self.format(raw)
        return super().parse(raw)

    def convert(self, text: str):
        values = []
        # An alias may stand for several values (个人和法人 → 个人、法人).
        pieces = [part for piece in SEPARATORS.split(unicodedata.normalize("NFKC", text)) if piece
                  for part in SEPARATORS.split(self.canonical(piece))]
        for piece in pieces:
            if not piece:
                continue
            value = piece
            if self.choices and value not in self.choices:
                raise FieldError(_l("“%(value)s”不是允许的值,可选:%(choices)s",
                                    value=piece[:40], choices="、".join(self.choices)))
            if len(value) > self.max_length or (self.pattern and not self.compiled_pattern.fullmatch(value)):
                raise FieldError(_l("格式不正确:“%(value)s”", value=piece[:40]))
            if value not in values:
                values.append(value)
        if self.choices:
            values.sort(key=self.choices.index)
        return values or self._empty()

    def format(self, value) -> str:
        return "" if not value else "、".join(value)


def stored(values: list[str] | None) -> str | None:
    """Several values as a list column stores them, each between bars (`|自然人|企业法人|`), so that
    a filter finds one value by its bars (法人 never matches 企业法人)."""
    return None if values is None else "|" + "|".join(values) + "|"


def holds(column, value: str):
    """The SQL condition that a column of `stored` values holds `value`."""
    return column.contains(f"|{value}|", autoescape=True)
