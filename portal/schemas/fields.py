"""Field types of a disclosure declaration.

A field knows its English identifier, its Chinese header (the column name in
files, templates and downloads), whether it is required, and how to turn one raw
cell into a clean, JSON-ready value. Raw cells are always strings (CSV cells and
YAML scalars are read as text, never coerced), or lists of row mappings for
table fields, so that parsing happens here and only here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

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
    text = unicodedata.normalize("NFC", str(raw)).replace("\r\n", "\n").strip()
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
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise FieldError(_l("格式不正确:“%(value)s”", value=text[:40]))
        return text

    def format(self, value) -> str:
        """Return the value as a file cell (the inverse of parse)."""
        return "" if value is None else str(value)


@dataclass(frozen=True)
class LongText(Field):
    """Multi-line prose, shown as paragraphs."""

    max_length: int = 20000


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
        if re.fullmatch(r"[+-]?\d+\.0+", text):
            text = text.split(".")[0]
        if not re.fullmatch(r"[+-]?\d+", text):
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
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
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
        text = re.sub(r"[ T]00:00(:00)?$", "", text)
        match = re.fullmatch(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?", text)
        try:
            if not match:
                raise ValueError
            return dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            raise FieldError(
                _l("日期格式应为 YYYY-MM-DD:“%(value)s”", value=text[:40])
            ) from None


@dataclass(frozen=True)
class Choice(Field):
    """One value from a fixed vocabulary."""

    choices: tuple[str, ...] = ()
    # Other spellings departments write, each mapped to its value: the national elements'
    # numeric codes ("1" for 行政许可), 免费 for 不收费.
    aliases: tuple[tuple[str, str], ...] = ()

    type_label = _l("枚举")
    free_form = False

    def canonical(self, text: str) -> str:
        """The value `text` stands for: itself, or the value an alias maps it to."""
        return dict(self.aliases).get(unicodedata.normalize("NFKC", text).strip(), text)

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


@dataclass(frozen=True)
class Table(Field):
    """A nested list of rows with their own fields (materials, flow steps, indicators)."""

    columns: tuple[Field, ...] = field(default_factory=tuple)
    min_rows: int = 0
    max_rows: int = 200
    # Template rows after the one the columns' examples make, in column order, for
    # tables whose rules need more than one row (a flow needs a start and an end).
    example_rows: tuple[tuple[str, ...], ...] = ()

    type_label = _l("表格")
    free_form = False

    def parse(self, raw: object):
        if raw is None or raw == "" or raw == []:
            if self.required or self.min_rows:
                raise FieldError(_l("至少需要 %(count)s 行", count=max(self.min_rows, 1)))
            return []
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise FieldError(_l("应为由多行组成的列表"))
        if not self.min_rows <= len(raw) <= self.max_rows:
            raise FieldError(
                _l("行数应在 %(min)s 到 %(max)s 之间", min=self.min_rows, max=self.max_rows)
            )
        known = {c.label for c in self.columns} | {c.name for c in self.columns}
        rows, found = [], []
        for number, row in enumerate(raw, start=1):
            unknown = [str(k) for k in row if k not in known]
            if unknown:
                found.append((number, None, _l("有未知列:%(columns)s", columns="、".join(unknown))))
                continue
            clean = {}
            for column in self.columns:
                cell = row.get(column.label, row.get(column.name))
                try:
                    clean[column.name] = column.parse(cell)
                except FieldError as error:
                    found.append((number, column.label, error))
            rows.append(clean)
        if found:
            raise TableError(found)
        return rows

    @property
    def text_columns(self) -> list[Field]:
        """The columns whose cells are screened for personal data (see `Field.screened`)."""
        return [c for c in self.columns if c.screened]

    def format(self, value) -> str:
        return "" if not value else str(len(value))
