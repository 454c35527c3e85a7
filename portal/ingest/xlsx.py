"""Read an .xlsx upload: values only, everything a reviewer can see, in bounded memory.

The container is checked first (zipguard), then openpyxl reads it in read-only
mode with defusedxml guarding its XML. The main sheet is the one named after the
kind's label, else the first sheet; each table field may come from its own sheet
named after the table (see `tables`). Refused, with the cell named: formulas,
error values, hidden sheets, hidden rows or columns, merged cells, and numbers
that Excel has already rounded to 15 significant digits.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import warnings
import zipfile
import zlib

import defusedxml
import openpyxl.xml
from flask_babel import lazy_gettext as _l
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange

from ..schemas import Kind
from . import limits, tables, zipguard
from .sheet import ReadError, Sheet

# openpyxl parses XML with defusedxml only when it is importable (and not switched
# off by OPENPYXL_DEFUSEDXML=False); without it an upload could expand entities.
if not openpyxl.xml.DEFUSEDXML:
    raise RuntimeError("openpyxl is not using defusedxml: install it and unset OPENPYXL_DEFUSEDXML")

GUIDE_SHEET = "填写说明"  # the templates' explanation sheet, never data
# Excel keeps 15 significant digits: from here on a number may already have lost some.
EXACT_DIGITS_LIMIT = 1e15
_TRUE_VALUES = ("1", "true")
# What openpyxl and the zip and XML layers under it raise on a malformed package.
_BROKEN = (KeyError, ValueError, TypeError, IndexError, AttributeError, SyntaxError, EOFError, OSError,
           zipfile.BadZipFile, zlib.error)


def read_xlsx(data: bytes, kind: Kind) -> Sheet:
    """Read a workbook's main sheet, with its table fields from their own sheets where present."""
    zipguard.check_workbook(data)
    # openpyxl warns about features it drops (extensions, styles); none matter for values.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = ExcelReader(io.BytesIO(data), read_only=True, keep_links=False)
        except _BROKEN as error:
            raise _broken(error) from None
        try:
            return _read_workbook(reader, kind)
        except ReadError:
            raise
        except _BROKEN as error:
            raise _broken(error) from None
        finally:
            reader.archive.close()


def _broken(error: BaseException) -> ReadError:
    while error is not None:
        if isinstance(error, defusedxml.DefusedXmlException):
            return zipguard.entity_declarations()
        error = error.__cause__ or error.__context__
    return zipguard.damaged()


def _read_workbook(reader: ExcelReader, kind: Kind) -> Sheet:
    # The steps of openpyxl's read-only load_workbook, less the per-sheet size scan
    # (a whole extra parse of every sheet that lacks a <dimension>) and the charts.
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    parts: dict[str, str] = {}  # worksheet name → its part, in workbook order
    for sheet, relation in reader.parser.find_sheets():
        if sheet.state not in (None, "visible"):
            raise ReadError(
                _l("工作表“%(sheet)s”被隐藏:上传的内容必须都能看到,请取消隐藏并核对,或删除该工作表",
                   sheet=sheet.name),
                sheet=sheet.name,
            )
        if "chartsheet" not in relation.Type and relation.target in reader.valid_files:
            parts[sheet.name] = relation.target
    table_labels = {t.label for t in tables.table_fields(kind)}
    main = kind.label if kind.label in parts else next(
        (name for name in parts if name not in table_labels | {GUIDE_SHEET}), None)
    if main is None:
        raise ReadError(_l("工作簿中没有数据工作表"))
    sheet = _read_sheet(reader, main, parts[main], optional=False)
    tables.parse_table_cells(sheet, kind)
    for table in tables.table_fields(kind):
        if table.label in parts and table.label != main:
            child = _read_sheet(reader, table.label, parts[table.label], optional=True)
            if child is not None:
                tables.attach(sheet, child, table, kind)
        if table.required and table.label not in sheet.headers:
            raise ReadError(
                _l("缺少“%(table)s”:请在工作表“%(table)s”中逐行填写(见模板)", table=table.label),
                sheet=main, column=table.label,
            )
    return sheet


def _read_sheet(reader: ExcelReader, title: str, part: str, optional: bool) -> Sheet | None:
    """Read one worksheet: row 1 is the header; None for a blank optional sheet."""
    workbook = reader.wb
    sheet = Sheet(sheet=title)
    headers: dict[int, str] | None = None
    last_row = 0
    # openpyxl's read-only worksheet drives this same streaming parser but hides the
    # row and column attributes and merged ranges it collects; we need them too.
    with reader.archive.open(part) as source:
        parser = WorkSheetParser(
            source, reader.shared_strings, data_only=False, epoch=workbook.epoch,
            date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats,
        )
        for index, cells in parser.parse():
            attributes = parser.row_dimensions.pop(str(index), {})  # popped: memory stays flat
            values = {}
            for cell in cells:
                text = _text(cell, title, headers or {})
                if text is not None and text.strip():
                    values[cell["column"]] = text
            if not values:
                continue
            if attributes.get("hidden") in _TRUE_VALUES:
                raise ReadError(
                    _l("工作表“%(sheet)s”第 %(row)s 行被隐藏:请取消隐藏(或清除筛选)并核对后再上传",
                       sheet=title, row=index),
                    sheet=title, row=index,
                )
            if headers is None:
                headers = _headers(values, index, parser, title)
                sheet.headers = list(headers.values())
                continue
            sheet.rows.append((index, _row(values, index, headers, title)))
            limits.check_row_count(len(sheet.rows), title)
            last_row = index
        _check_merged(parser, max(headers or [0]), last_row, title)
    if headers is None:
        if optional:
            return None
        raise limits.empty_file()
    if not sheet.rows and not optional:
        raise limits.header_only(title)
    return sheet


def _headers(values: dict[int, str], index: int, parser, title: str) -> dict[int, str]:
    if index != 1:
        raise limits.no_header(title)
    limits.check_column_count(max(values), title)
    headers = {column: text.strip().lstrip("\ufeff") for column, text in sorted(values.items())}
    limits.check_headers(list(headers.items()), title)
    format_ = getattr(parser, "sheet_format", None)
    if format_ is not None and format_.zeroHeight:
        raise ReadError(
            _l("工作表“%(sheet)s”设置为默认隐藏所有行,请取消隐藏后再上传", sheet=title), sheet=title
        )
    # <cols> precedes the rows in a sheet's XML, so the column attributes are known by now.
    for attributes in parser.column_dimensions.values():
        if attributes.get("hidden") in _TRUE_VALUES:
            for column in headers:
                if int(attributes["min"]) <= column <= int(attributes["max"]):
                    raise ReadError(
                        _l("工作表“%(sheet)s”的 %(letter)s 列(“%(column)s”)被隐藏,请取消隐藏并核对后再上传",
                           sheet=title, letter=limits.column_letter(column), column=headers[column]),
                        sheet=title, row=1, column=headers[column],
                    )
    return headers


def _row(values: dict[int, str], index: int, headers: dict[int, str], title: str) -> dict:
    row = {label: "" for label in headers.values()}
    for column, text in values.items():
        if column not in headers:
            raise limits.unnamed_column(column, index, title)
        limits.check_cell(text, index, headers[column], title)
        row[headers[column]] = text
    return row


def _check_merged(parser, width: int, last_row: int, title: str) -> None:
    merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    for merge in merged:
        bounds = CellRange(merge.ref)
        if bounds.min_col <= width and bounds.min_row <= max(last_row, 1):
            raise ReadError(
                _l("工作表“%(sheet)s”的 %(range)s 是合并单元格:请取消合并,在每个单元格中填写",
                   sheet=title, range=merge.ref),
                sheet=title, row=bounds.min_row,
            )


def _text(cell: dict, title: str, headers: dict[int, str]) -> str | None:
    """A cell's value as the text the uploader sees, or None when it is empty."""
    value, data_type = cell["value"], cell["data_type"]
    if data_type == "s" and isinstance(value, str):
        return value  # most cells: checked first, as this runs for every cell
    if data_type == "f":
        raise _cell_error(cell, title, headers, _l(
            "工作表“%(sheet)s”单元格 %(cell)s 含有公式:请复制后“选择性粘贴 → 数值”再上传",
            sheet=title, cell=_coordinate(cell)))
    if value is None:
        return None
    if data_type == "e":
        raise _cell_error(cell, title, headers, _l(
            "工作表“%(sheet)s”单元格 %(cell)s 是错误值 %(value)s",
            sheet=title, cell=_coordinate(cell), value=str(value)[:20]))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return _date_text(value)
    if isinstance(value, (int, float)):
        if abs(value) >= EXACT_DIGITS_LIMIT:
            raise _cell_error(cell, title, headers, _l(
                "工作表“%(sheet)s”单元格 %(cell)s 的数字 %(value)s 超过 15 位,Excel 已丢失末尾的数字:"
                "请把该列设置为“文本”格式后重新填写",
                sheet=title, cell=_coordinate(cell), value=f"{value:.6G}"))
        if isinstance(value, float):
            # Whole numbers read back as 3.0; the shortest repr avoids 0.30000000000000004.
            return str(int(value)) if value.is_integer() else format(decimal.Decimal(repr(value)), "f")
    return str(value)


def _coordinate(cell: dict) -> str:
    return f"{limits.column_letter(cell['column'])}{cell['row']}"


def _cell_error(cell: dict, title: str, headers: dict[int, str], message) -> ReadError:
    return ReadError(message, sheet=title, row=cell["row"], column=headers.get(cell["column"]))


def _date_text(value) -> str:
    """Dates as YYYY-MM-DD (with the time only when there is one), times as HH:MM."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    minutes = round(value.total_seconds() / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"
