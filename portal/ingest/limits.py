"""How much one uploaded file may hold, and the checks every reader shares.

The request size is capped by MAX_CONTENT_LENGTH before a reader runs; these
limits bound what a file may expand into once read.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from openpyxl.utils import get_column_letter

from . import formulas
from .sheet import ReadError

MAX_ROWS = 50_000  # data rows (items, or rows of one table sheet)
MAX_COLUMNS = 100  # the widest kind has under 20 columns
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_DEPTH = 4  # JSON/YAML nesting: list of items → item → table → table row
MAX_NUMBER_CHARS = 30  # a JSON number longer than this is no disclosure's value

# Zip archives (.xlsx), judged from the directory before anything is inflated.
ZIP_MAX_ENTRIES = 1_000
ZIP_MAX_TOTAL = 128 * 1024 * 1024  # bytes once inflated, all entries together
ZIP_MAX_RATIO = 100  # inflated / compressed, for entries above ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 1024 * 1024  # small parts (styles, a tiny sheet) may compress very well
# Reading costs per XML tag, not per byte: a part may hold this many tags (each `<`, and
# each `/>` closing an empty element) per byte it takes in the upload. Real sheets hold
# about one, the most repetitive (one short value in every cell) under three; a flood of
# empty elements deflates to hundreds.
ZIP_MAX_TAGS_PER_BYTE = 3
ZIP_TAGS_FLOOR = 50_000  # tags any part may hold, however well it compresses
WORKBOOK_PART_MAX = 1024 * 1024  # workbook.xml and its relationships, which openpyxl reads whole


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 1-based column index (1 → A, 28 → AB)."""
    return get_column_letter(index)


def check_row_count(count: int, sheet: str | None = None) -> None:
    """Refuse a file with more data rows than MAX_ROWS."""
    if count > MAX_ROWS:
        raise ReadError(_l("数据超过 %(max)s 行,请分成几个文件上传", max=MAX_ROWS), sheet=sheet)


def check_column_count(count: int, sheet: str | None = None) -> None:
    """Refuse a header wider than MAX_COLUMNS."""
    if count > MAX_COLUMNS:
        raise ReadError(_l("表头超过 %(max)s 列", max=MAX_COLUMNS), sheet=sheet, row=1)


def check_cell(text: str, row: int, column: str, sheet: str | None = None) -> None:
    """Refuse a cell longer than MAX_CELL_CHARS, holding a NUL character, or read as a formula."""
    if len(text) > MAX_CELL_CHARS:
        raise cell_too_long(row, column, sheet)
    if "\x00" in text:
        raise ReadError(
            _l("第 %(row)s 行“%(column)s”含有空字符(NUL),文件可能已损坏", row=row, column=column),
            sheet=sheet, row=row, column=column,
        )
    formulas.check(text, row, column, sheet)


def cell_too_long(row: int, column: str, sheet: str | None = None) -> ReadError:
    """The error for a cell longer than MAX_CELL_CHARS."""
    return ReadError(
        _l("第 %(row)s 行“%(column)s”超过 %(max)s 个字符", row=row, column=column, max=MAX_CELL_CHARS),
        sheet=sheet, row=row, column=column,
    )


def check_headers(named: list[tuple[int, str]], sheet: str | None = None) -> None:
    """Refuse repeated or over-long column names; `named` pairs each name with its column index."""
    seen: dict[str, int] = {}
    for index, header in named:
        if header in seen:
            raise ReadError(
                _l("列名“%(column)s”重复出现(%(first)s 列和 %(second)s 列)", column=header,
                   first=column_letter(seen[header]), second=column_letter(index)),
                sheet=sheet, row=1, column=header,
            )
        seen[header] = index
        check_cell(header, 1, header, sheet)


def unnamed_column(index: int, row: int, sheet: str | None = None) -> ReadError:
    """The error for content under a column whose header is blank."""
    return ReadError(
        _l("表头 %(letter)s 列没有列名,但第 %(row)s 行在该列有内容", letter=column_letter(index), row=row),
        sheet=sheet, row=row,
    )


def no_header(sheet: str | None = None) -> ReadError:
    """The error for a file whose first row is blank."""
    return ReadError(_l("第 1 行应为表头(列名),但它是空的"), sheet=sheet, row=1)


def empty_file() -> ReadError:
    """The error for a file with nothing in it."""
    return ReadError(_l("文件是空的"))


def header_only(sheet: str | None = None) -> ReadError:
    """The error for a file with a header and no data rows."""
    return ReadError(_l("文件只有表头,没有数据行"), sheet=sheet)
