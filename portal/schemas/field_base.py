"""The base of every field type: plain text, its errors, and how a raw cell is cleaned.

A field knows its English identifier, its Chinese header (the column name in
files, templates and downloads), whether it is required, and how to turn one raw
cell into a clean, JSON-ready value. Every row of every file goes through `parse`,
so whatever a field can work out from its declaration alone (a compiled pattern, a
table's known columns) is worked out once per field, not once per cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from flask_babel import lazy_gettext as _l


class FieldError(ValueError):
    """A cell that does not satisfy its field; the message is for the uploader."""


class TableError(FieldError):
    """Every bad cell of a table field at once: (table row from 1, column label or None, message).

    A clerk fixes a materials table in one round: each problem names its own row and
    column, and a workbook's table sheet is named with the row the clerk sees there.
    """

    def __init__(self, problems: list[tuple[int, str | None, object]]):
        self.problems = problems
        super().__init__("; ".join(TableError.describe(*p) for p in problems))

    @staticmethod
    def describe(row: int, column: str | None, message: object) -> str:
        """One problem as text naming the table's row (and column)."""
        if column is None:
            return str(_l("第 %(row)s 行%(message)s", row=row, message=message))
        return str(_l("第 %(row)s 行“%(column)s”:%(message)s", row=row, column=column, message=message))


# Control characters (C0 other than tab/newline, DEL, C1) and bidi overrides never
# belong in a disclosure; they break feeds and can disguise text.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(raw: object) -> str:
    """Return `raw` as stripped text with NFC normalisation, or raise on control characters."""
    text = unicodedata.normalize("NFC", raw if raw.__class__ is str else str(raw))
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    text = text.strip()
    if _FORBIDDEN.search(text):
        raise FieldError(_l("含有不可见的控制字符"))
    return text


@dataclass(frozen=True)
class Field:
    """A text field; the base of every other type."""

    name: str
    label: str
    required: bool = False
    help: str = ""
    max_length: int = 2000
    pattern: str | None = None
    example: str = ""
    # How pages show the value beyond its type: "badge" (a coloured tag), "percent", "workdays".
    display: str = ""
    # The value an empty cell stands for (a list that names no status is in use).
    default: str = ""
    # What pages and the department's scorecard say when an optional field is left empty
    # (未公布设定依据): a gap the public should see rather than a blank.
    missing: str = ""
    # A number the department publishes on purpose for the public to call (咨询电话, 监督电话):
    # not screened for personal data, and the numbers in it are public for its item.
    contact: bool = False

    type_label = _l("文本")
    # Whether values are free text, where personal data could be written (not a vocabulary,
    # a date, a number, a department or a table, whose own columns say for themselves).
    free_form = True

    @property
    def screened(self) -> bool:
        """True when the privacy screening reads this field: free text that is not a code (a
        pattern) nor a contact number published on purpose."""
        return self.free_form and not self.pattern and not self.contact

    @cached_property
    def compiled_pattern(self) -> re.Pattern | None:
        """`pattern` compiled, once for the field (None when it has none)."""
        return re.compile(self.pattern) if self.pattern else None

    def parse(self, raw: object):
        """Return the clean value of one raw cell (None when empty), or raise FieldError."""
        if raw is None:
            return self._empty()
        if isinstance(raw, (list, dict)):
            raise FieldError(_l("应为单个值"))
        text = clean_text(raw)
        if text == "":
            return self._empty()
        return self.convert(text)

    def _empty(self):
        if self.default:
            return self.convert(self.default)
        if self.required:
            raise FieldError(_l("必填项不能为空"))
        return None

    def convert(self, text: str):
        """Turn non-empty text into the field's value."""
        if len(text) > self.max_length:
            raise FieldError(_l("长度超过 %(max)s 个字符", max=self.max_length))
        if self.pattern and not self.compiled_pattern.fullmatch(text):
            raise FieldError(_l("格式不正确:“%(value)s”", value=text[:40]))
        return text

    def format(self, value) -> str:
        """Return the value as a file cell (the inverse of parse)."""
        return "" if value is None else str(value)


@dataclass(frozen=True)
class LongText(Field):
    """Multi-line prose, shown as paragraphs."""

    max_length: int = 20000
