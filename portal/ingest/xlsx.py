"""Read an .xlsx upload: values only, everything a reviewer can see, in bounded memory and time.

The container is checked first (zipguard), then openpyxl reads the package's
small parts (content types, the workbook and its relationships; defusedxml, or
lxml without entities, guarding their XML) while the bulky ones are streamed with
expat, in time linear in the upload: shared strings and number formats by
`sheetxml`, worksheets by `sheetrows`. The main sheet is the one named after the kind's label, else the first
sheet; each table field may come from its own sheet named after the table (see
`tables`). Refused, with the cell named: formulas, error values, hidden sheets,
hidden rows or columns, merged cells, and numbers that Excel has already
rounded to 15 significant digits.
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
from openpyxl.xml.constants import ARC_STYLE, SHARED_STRINGS
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.worksheet.cell_range import CellRange

from ..schemas import Kind
from . import headers as spelled
from . import limits, tables, zipguard
from .sheet import ReadError, Sheet
from .sheetrows import CellTooLong, SheetReader
from .sheetxml import number_formats, shared_strings

# openpyxl parses XML with defusedxml only when it is importable (and not switched
# off by OPENPYXL_DEFUSEDXML=False); without it an upload could expand entities.
if not openpyxl.xml.DEFUSEDXML:
    raise RuntimeError("openpyxl is not using defusedxml: install it and unset OPENPYXL_DEFUSEDXML")

GUIDE_SHEET = "填写说明"  # the templates' explanation sheet, never data
# Excel keeps 15 significant digits: from here on a number may already have lost some.
EXACT_DIGITS_LIMIT = 1e15
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


def _read_package(reader: ExcelReader) -> tuple[set[int], set[int]]:
    """Read the content types, shared strings and workbook; return the date and duration styles."""
    # The steps of openpyxl's read-only load_workbook, less the per-sheet size scan
    # (a whole extra parse of every sheet that lacks a <dimension>) and the charts;
    # shared strings and number formats are streamed, not built as objects.
    reader.read_manifest()
    workbook_part = _find_workbook_part(reader.package).PartName[1:]
    for name in (workbook_part, get_rels_path(workbook_part)):
        # openpyxl builds an object per element of these: keep them the size Excel writes.
        info = reader.archive.NameToInfo.get(name)
        if info is not None and info.file_size > limits.WORKBOOK_PART_MAX:
            raise zipguard.too_large()
    strings = reader.package.find(SHARED_STRINGS)
    if strings is not None:
        with reader.archive.open(strings.PartName[1:]) as source:
            reader.shared_strings = shared_strings(source)
    reader.read_workbook()
    if ARC_STYLE not in reader.archive.NameToInfo:  # where openpyxl looks for them, too
        return set(), set()
    with reader.archive.open(ARC_STYLE) as source:
        return number_formats(source)


def _read_workbook(reader: ExcelReader, kind: Kind) -> Sheet:
    formats = _read_package(reader)
    files = set(reader.valid_files)
    parts: dict[str, str] = {}  # worksheet name → its part, in workbook order
    for sheet, relation in reader.parser.find_sheets():
        if sheet.state not in (None, "visible"):
            raise ReadError(
                _l("工作表“%(sheet)s”被隐藏:上传的内容必须都能看到,请取消隐藏并核对,或删除该工作表",
                   sheet=sheet.name),
                sheet=sheet.name,
            )
        if "chartsheet" not in relation.Type and relation.target in files:
            parts[sheet.name] = relation.target
    table_labels = {t.label for t in tables.table_fields(kind)}
    # Sheets by the label they spell (申請材料 is the 申请材料 table's sheet), in workbook order.
    named = {spelled.header(kind, name): name for name in reversed(parts)}
    main = named[kind.label] if kind.label in named else next(
        (name for name in parts if spelled.header(kind, name) not in table_labels | {GUIDE_SHEET}), None)
    if main is None:
        raise ReadError(_l("工作簿中没有数据工作表"))
    sheet = _read_sheet(reader, formats, main, parts[main], optional=False, kind=kind)
    tables.parse_table_cells(sheet, kind)
    for table in tables.table_fields(kind):
        if table.label in named and named[table.label] != main:
            child = _read_sheet(reader, formats, named[table.label], parts[named[table.label]], optional=True,
                                kind=kind)
            if child is not None:
                tables.attach(sheet, child, table, kind)
        if table.required and table.label not in sheet.headers:
            raise ReadError(
                _l("缺少“%(table)s”:请在工作表“%(table)s”中逐行填写(见模板)", table=table.label),
                sheet=main, column=table.label,
            )
    return sheet


def _read_sheet(reader: ExcelReader, formats: tuple[set[int], set[int]], title: str, part: str,
                optional: bool, kind: Kind) -> Sheet | None:
    """Read one worksheet: row 1 is the header; None for a blank optional sheet."""
    sheet = Sheet(sheet=title)
    headers: dict[int, str] | None = None
    last_row = 0
    stream = SheetReader(reader.shared_strings, reader.wb.epoch, *formats, width=limits.MAX_COLUMNS)
    with reader.archive.open(part) as source:
        for item in _items(stream, source, headers_of=lambda: headers or {}, title=title):
            if item[0] == "merge":
                _check_merged(item[1], item[2], max(headers or [0]), last_row, title)
                continue
            _, index, hidden, cells = item
            values = {}
            for cell in cells:
                text = _text(cell, title, headers or {})
                if text is not None and text.strip():
                    values[cell["column"]] = text
            if not values:
                continue
            if hidden:
                raise ReadError(
                    _l("工作表“%(sheet)s”第 %(row)s 行被隐藏:请取消隐藏(或清除筛选)并核对后再上传",
                       sheet=title, row=index),
                    sheet=title, row=index,
                )
            if headers is None:
                headers = _headers(values, index, stream, title, kind)
                sheet.headers = list(headers.values())
                continue
            sheet.rows.append((index, _row(values, index, headers, title)))
            limits.check_row_count(len(sheet.rows), title)
            last_row = index
    if headers is None:
        if optional:
            return None
        raise limits.empty_file()
    if not sheet.rows and not optional:
        raise limits.header_only(title)
    return sheet


def _items(stream: SheetReader, source, headers_of, title: str):
    """The stream's items; a cell too long to accept is refused as limits.check_cell would."""
    try:
        yield from stream.items(source)
    except CellTooLong as long:
        label = headers_of().get(long.column) or limits.column_letter(long.column)
        raise limits.cell_too_long(long.row, label, title) from None


def _headers(values: dict[int, str], index: int, stream: SheetReader, title: str,
             kind: Kind) -> dict[int, str]:
    if index != 1:
        raise limits.no_header(title)
    limits.check_column_count(max(values), title)
    headers = {column: spelled.header(kind, text.strip().lstrip("\ufeff"))
               for column, text in sorted(values.items())}
    limits.check_headers(list(headers.items()), title)
    if stream.zero_height:
        raise ReadError(
            _l("工作表“%(sheet)s”设置为默认隐藏所有行,请取消隐藏后再上传", sheet=title), sheet=title
        )
    # <cols> precedes the rows in a sheet's XML, so the hidden columns are known by now.
    hidden = stream.hidden_columns()
    for column in headers:
        if column in hidden:
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


def _check_merged(ref: str, too_many: bool, width: int, last_row: int, title: str) -> None:
    """Refuse a merged range over the data (or past MAX_MERGED ranges, wherever they are)."""
    bounds = CellRange(ref)
    if too_many or (bounds.min_col <= width and bounds.min_row <= max(last_row, 1)):
        raise ReadError(
            _l("工作表“%(sheet)s”的 %(range)s 是合并单元格:请取消合并,在每个单元格中填写",
               sheet=title, range=ref),
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
