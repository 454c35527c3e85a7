"""Read a CSV upload: explicit decoding, a strict parser, and a message naming the row for every flaw."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from ..schemas import Kind
from . import headers as spelled
from . import limits, tables
from .sheet import ReadError, Sheet
from .textstream import lines

# Excel saves a long number it took for a float the way it shows it: 1.23457E+17.
_EXCEL_FLOAT = re.compile(r"[+-]?\d+(\.\d+)?E\+\d+")


def read_csv(data: bytes | BinaryIO, kind: Kind) -> Sheet:
    """Read CSV (bytes, or a binary file) whose first row is the header; data rows are numbered
    from 2, as in Excel.

    The text is decoded and parsed a piece at a time (`textstream`), never held whole.
    A table field's cell may hold a JSON array of its rows.
    """
    content = _Content(lines(data, kind.headers))
    records = _records(csv.reader(content, strict=True))
    try:
        _, first = next(records)
    except StopIteration:
        raise limits.empty_file() from None
    if not any(cell.strip() for cell in first) and not content.rest_has_text():
        raise limits.empty_file()
    headers = [spelled.header(kind, cell.strip()) for cell in first]
    if not any(headers):
        raise limits.no_header()
    limits.check_column_count(len(headers))
    named = [(index, header) for index, header in enumerate(headers, start=1) if header]
    limits.check_headers(named)
    sheet = Sheet(headers=[header for _, header in named])
    for number, record in records:
        if not any(cell.strip() for cell in record):
            continue  # blank lines, as Excel shows them, carry no data
        if len(record) != len(headers):
            raise ReadError(
                _l("第 %(row)s 行有 %(found)s 列,表头有 %(expected)s 列",
                   row=number, found=len(record), expected=len(headers)),
                row=number,
            )
        sheet.rows.append((number, _row(record, headers, number)))
        limits.check_row_count(len(sheet.rows))
    if not sheet.rows:
        raise limits.header_only()
    tables.parse_table_cells(sheet, kind)
    return sheet


def _row(record: list[str], headers: list[str], number: int) -> dict[str, str]:
    row = {}
    for index, (header, cell) in enumerate(zip(headers, record), start=1):
        if not header:
            if cell.strip():
                raise limits.unnamed_column(index, number)
            continue
        limits.check_cell(cell, number, header)
        if "E+" in cell and _EXCEL_FLOAT.fullmatch(cell.strip()):
            raise ReadError(
                _l("第 %(row)s 行“%(column)s”的“%(value)s”是 Excel 改写成科学计数法的长数字,末尾的数字已丢失:"
                   "请在 Excel 中把该列设置为“文本”格式,重新填写后再保存",
                   row=number, column=header, value=cell.strip()),
                row=number, column=header,
            )
        row[header] = cell
    return row


class _Content:
    """The lines the parser reads, noting whether any shows more than white space."""

    def __init__(self, source: Iterable[str]):
        self.source = iter(source)
        self.seen_text = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self.source)
        if not self.seen_text and line.strip():
            self.seen_text = True
        return line

    def rest_has_text(self) -> bool:
        """Read on to the end: True when any line so far or from here on is more than white space."""
        return self.seen_text or any(line.strip() for line in self.source)


def _records(reader) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells); the row number counts records, as Excel does, not lines."""
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _error(error, number + 1) from None
        number += 1
        yield number, record


def _error(error: csv.Error, row: int) -> ReadError:
    # The csv module's messages are English and terse; say what the uploader should fix.
    reason = str(error)
    if "unexpected end of data" in reason:
        message = _l("CSV 格式错误:第 %(row)s 行的引号没有闭合(从这里到文件末尾都在引号内)", row=row)
    elif "expected after" in reason:
        message = _l("CSV 格式错误:第 %(row)s 行的引号用法不对(单元格内的引号应写成两个双引号 \"\")", row=row)
    elif "field larger than field limit" in reason:
        message = _l("CSV 格式错误:第 %(row)s 行有单元格超过 %(max)s 个字符",
                     row=row, max=limits.MAX_CELL_CHARS)
    else:
        message = _l("CSV 格式错误:第 %(row)s 行无法解析", row=row)
    return ReadError(message, row=row)
