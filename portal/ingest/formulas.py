"""Refuse cell text that a spreadsheet would run as a formula ("CSV injection").

A workbook cell holding a formula is refused (xlsx.py); the same formula typed
into a CSV cell, a text cell of a workbook or a JSON or YAML value is refused
here, alike, whatever the format: the published data, and the original file
kept for the record, are opened in spreadsheets by readers and by staff.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from .sheet import ReadError

# OWASP's guidance on CSV injection: no cell may begin with = + - @, tab or carriage return.
_FORMULA_STARTS = ("=", "+", "-", "@")
_SPACE_STARTS = {"\t": _l("制表符"), "\r": _l("回车符")}
_SUSPECT_STARTS = frozenset((*_FORMULA_STARTS, *_SPACE_STARTS))
# What a spreadsheet reads as a plain number (-3, +1.5, -1,234.5, -5%, 1.2E+5), or a dash
# or two standing for "none": nothing in these can call a function or name a cell.
_HARMLESS = re.compile(r"[+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?%?|-+")


def check(text: str, row: int, column: str, sheet: str | None = None,
          item: int | None = None, field: str | None = None) -> None:
    """Refuse `text` if a spreadsheet would take it for a formula, naming row and column.

    The rule is OWASP's: text whose first character is =, +, -, @, a tab or a
    carriage return is refused; so is text that begins so after leading spaces
    (fields publish their text trimmed). Two exceptions are harmless and common:
    a plain number (-3, +1.5, -1,234.5, 5%), which a spreadsheet reads as the
    number it is, and a cell of dashes only ("-", "--" for none). Anything else is
    refused, the uploader told to drop the character or put words before it:
    a list bullet ("- 受理") can be "1." or "·", a phone number "+86 10 1234" can
    be "0086 10 1234" (a spreadsheet would compute "+86 10 1234" as a formula,
    and show an error instead of the number). `item` and `field` name the row and
    column inside a table cell (办理流程, 申请材料…).
    """
    if not text:
        return
    first = text[0]
    if first not in _SUSPECT_STARTS and not first.isspace():
        return  # most cells: begins with neither a formula's character nor a space before one
    stripped = text.strip()
    if not stripped or _HARMLESS.fullmatch(stripped):
        return
    if text[0] in _SPACE_STARTS:
        char = _SPACE_STARTS[text[0]]
    elif stripped[0] in _FORMULA_STARTS:
        char = stripped[0]
    else:
        return
    if item is None:
        message = _l("第 %(row)s 行“%(column)s”以“%(char)s”开头,电子表格软件会把它当作公式运行:"
                     "请删去开头的“%(char)s”,或在前面加上文字(列表可用“1.”或“·”,国际区号可写作“0086”)",
                     row=row, column=column, char=char)
    else:
        message = _l("第 %(row)s 行“%(column)s”第 %(item)s 项的“%(field)s”以“%(char)s”开头,"
                     "电子表格软件会把它当作公式运行:"
                     "请删去开头的“%(char)s”,或在前面加上文字(列表可用“1.”或“·”,国际区号可写作“0086”)",
                     row=row, column=column, item=item, field=field, char=char)
    raise ReadError(message, sheet=sheet, row=row, column=column)


def check_table(rows: list, row: int, column: str, sheet: str | None = None) -> None:
    """Check each text of a table cell's rows (a list of mappings), naming the row inside the table."""
    for item, entry in enumerate(rows, start=1):
        if isinstance(entry, dict):
            for field, value in entry.items():
                if isinstance(value, str):
                    check(value, row, column, sheet, item=item, field=str(field))
