"""Cells as downloads write them: text a spreadsheet shows as typed, never runs as a formula.

OWASP's advice on CSV injection: a cell that begins with `=`, `+`, `-`, `@`, a tab,
a carriage return or a line feed is a formula to Excel, LibreOffice and Google
Sheets, so such a cell is written with a leading apostrophe (`'=1+1`), which the
spreadsheet hides and never evaluates — unless the whole cell is a plain number
(`-3`, `+1.5`), which is data. XLSX cells are written with the string type, so
they need no apostrophe. JSON is not a spreadsheet format and is written as
published.
"""

from __future__ import annotations

import re

from ..schemas.fields import Field, Table

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
NEUTRALISER = "'"


def neutralise(text: str) -> str:
    """A CSV cell that no spreadsheet takes as a formula (see the module's docstring)."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return NEUTRALISER + text
    return text


def cell(field: Field, value) -> str:
    """A value as its field writes it in a file (是/否, ISO dates, numbers as typed), as text."""
    if isinstance(field, Table):
        raise TypeError("tables are written as rows of their own")
    return field.format(value)
