"""Lay out the sheets of an upload template: headers, example rows, drop-downs, formats, the guide."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..schemas.codes import ItemCode
from ..schemas.fields import Boolean, Choice, Date, Decimal, Department, Integer, LongText, Table
from ..schemas.values import Several
from .limits import MAX_ROWS, column_letter

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT_FORMAT = "@"
# Excel refuses a list validation whose inline formula is longer than this.
INLINE_LIST_LIMIT = 255


def choices(field) -> tuple[str, ...]:
    """The values a drop-down offers for `field`, or () when it has none."""
    if isinstance(field, Several):  # a drop-down would refuse a cell holding several values
        return ()
    if isinstance(field, Choice):
        return field.choices
    if isinstance(field, Boolean):
        return ("是", "否")
    return ()


def allowed(field) -> str:
    """What a cell of `field` may hold, for the 填写说明 sheet."""
    if choices(field):
        return "、".join(choices(field))
    if isinstance(field, Several) and field.choices:
        return str(_l("可填写多个,用顿号分隔:%(choices)s", choices="、".join(field.choices)))
    if isinstance(field, Several):
        return str(_l("可填写多个,用顿号分隔"))
    if isinstance(field, Integer):
        return str(_l("%(min)s 到 %(max)s 的整数", min=field.minimum, max=field.maximum))
    if isinstance(field, Decimal):
        return str(_l("%(min)s 到 %(max)s,最多 %(places)s 位小数",
                      min=field.minimum, max=field.maximum, places=field.places))
    if isinstance(field, Date):
        return "YYYY-MM-DD"
    if isinstance(field, Department):
        return str(_l("部门编码或部门全称"))
    if isinstance(field, Table):
        return str(_l("见工作表“%(sheet)s”", sheet=field.label))
    if isinstance(field, ItemCode):
        return str(_l("本市编码如 %(example)s;国家或省级编码按原样填写,不超过 64 位", example=field.example))
    if field.pattern and field.example:
        return str(_l("格式如 %(example)s", example=field.example))
    return str(_l("不超过 %(max)s 个字", max=field.max_length))


def _cell_value(field, text: str):
    # Numbers go in as numbers so that Excel does not flag them "stored as text".
    if text and isinstance(field, Integer):
        return int(text)
    if text and isinstance(field, Decimal):
        value = float(text)
        return int(value) if value.is_integer() else value
    return text or None


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(field, examples: list[str]) -> float:
    if isinstance(field, LongText):
        return 40
    longest = max([_display_width(field.label), *(_display_width(e) for e in examples)])
    return min(max(longest + 2, 8), 40)


def fill(sheet: Worksheet, fields: list, rows: list[list[str]]) -> None:
    """Write header and example rows for `fields`, with formats, drop-downs and widths."""
    for index, field in enumerate(fields, start=1):
        letter = column_letter(index)
        header = sheet.cell(row=1, column=index, value=field.label)
        header.font = REQUIRED_FONT if field.required else HEADER_FONT
        header.fill = HEADER_FILL
        is_number = isinstance(field, (Integer, Decimal))
        dimension = sheet.column_dimensions[letter]
        dimension.width = _width(field, [row[index - 1] for row in rows])
        if not is_number:
            # The column's own format applies to every cell the uploader types into.
            dimension.number_format = TEXT_FORMAT
        for number, row in enumerate(rows, start=2):
            cell = sheet.cell(row=number, column=index, value=_cell_value(field, row[index - 1]))
            if not is_number:
                cell.number_format = TEXT_FORMAT
            if isinstance(field, LongText):
                cell.alignment = WRAP
        if choices(field):
            _drop_down(sheet, field, letter)
    sheet.freeze_panes = "A2"


def _drop_down(sheet: Worksheet, field, letter: str) -> None:
    formula = '"' + ",".join(choices(field)) + '"'
    if len(formula) > INLINE_LIST_LIMIT:
        raise ValueError(f"{field.label}: choices too long for an Excel drop-down ({len(formula)} > 255)")
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
        errorTitle=str(_l("不是允许的值")),
        error=str(_l("请从下拉列表中选择:%(choices)s", choices="、".join(choices(field)))),
    )
    validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.add_data_validation(validation)


GUIDE_HEADERS = (
    _l("工作表"), _l("列名"), _l("类型"), _l("是否必填"), _l("可选值或格式"), _l("说明"), _l("示例"),
)
GUIDE_WIDTHS = (14, 18, 10, 10, 36, 40, 40)


def guide(sheet: Worksheet, notes: list[str], rows: list[list[str]]) -> None:
    """Write the 填写说明 sheet: numbered notes, then one row per column of every sheet."""
    sheet.cell(row=1, column=1, value=str(_l("填写说明"))).font = Font(bold=True, size=14)
    for number, note in enumerate(notes, start=1):
        sheet.cell(row=number + 1, column=1, value=f"{number}. {note}")
    top = len(notes) + 3
    for index, (title, width) in enumerate(zip(GUIDE_HEADERS, GUIDE_WIDTHS), start=1):
        header = sheet.cell(row=top, column=index, value=str(title))
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[column_letter(index)].width = width
    for offset, row in enumerate(rows, start=1):
        for index, value in enumerate(row, start=1):
            sheet.cell(row=top + offset, column=index, value=value or None).alignment = WRAP
