"""Table fields (materials, flow steps, indicators) in flat files.

A flat sheet carries a table either as a JSON array in the table's cell (so a CSV
can hold nested data), or, in a workbook, as rows of a sheet named after the
table's label whose first columns are the parent's key columns (事项编码, or
考评年度 + 被考评单位) followed by the table's own columns.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..schemas import Kind
from ..schemas.fields import Table
from . import formulas, jsonfile
from . import headers as spelled
from .sheet import ReadError, Sheet


def table_fields(kind: Kind) -> list[Table]:
    """The kind's table fields, in declaration order."""
    return [f for f in kind.fields if isinstance(f, Table)]


def key_labels(kind: Kind) -> list[str]:
    """The headers of the columns that name an item (and a table sheet's parent row)."""
    return [kind.field(name).label for name in kind.key_fields]


def _blank(cell) -> bool:
    return cell is None or cell == [] or (isinstance(cell, str) and not cell.strip())


def parse_table_cells(sheet: Sheet, kind: Kind) -> None:
    """Replace each non-blank table cell by the rows of the JSON array it holds, in place."""
    for table in table_fields(kind):
        if table.label not in sheet.headers:
            continue
        for number, row in sheet.rows:
            cell = row.get(table.label)
            if isinstance(cell, str) and not _blank(cell):
                row[table.label] = spelled.table_rows(kind, _json_rows(cell, table, number, sheet.sheet))


def _json_rows(cell: str, table: Table, number: int, sheet: str | None) -> list:
    where = {"sheet": sheet, "row": number, "column": table.label}
    text = cell.strip()
    rows = None
    if text.startswith("["):
        try:
            rows = jsonfile.loads(text)
        except ReadError as error:
            raise ReadError(
                _l("第 %(row)s 行“%(column)s”:%(message)s", row=number, column=table.label,
                   message=error.message), **where,
            ) from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ReadError(
            _l("第 %(row)s 行“%(column)s”应为 JSON 数组,每项是一个以列名为键的对象,如 "
               "[{\"%(first)s\": \"…\"}]", row=number, column=table.label, first=table.columns[0].label),
            **where,
        )
    formulas.check_table(rows, number, table.label, sheet)
    return rows


def _key(row: dict, labels: list[str]) -> tuple[str, ...]:
    return tuple(str(row.get(label) or "").strip() for label in labels)


def attach(main: Sheet, child: Sheet, table: Table, kind: Kind) -> None:
    """Give each row of `main` the rows of `child` (the table's own sheet) that name it by key."""
    labels = key_labels(kind)
    for sheet, headers in ((child.sheet, child.headers), (main.sheet, main.headers)):
        for label in labels:
            if label not in headers:
                raise ReadError(
                    _l("工作表“%(sheet)s”缺少列“%(column)s”:工作表“%(table)s”的每一行用它对应到主表中的行",
                       sheet=sheet, column=label, table=child.sheet),
                    sheet=sheet, row=1, column=label,
                )
    parents: dict[tuple[str, ...], list[tuple[int, dict]]] = {}
    for number, row in main.rows:
        parents.setdefault(_key(row, labels), []).append((number, row))
    children: dict[tuple[str, ...], list[tuple[int, dict]]] = {}
    for number, row in child.rows:
        key = _key(row, labels)
        for label, value in zip(labels, key):
            if not value:
                raise ReadError(
                    _l("工作表“%(sheet)s”第 %(row)s 行没有填写“%(column)s”", sheet=child.sheet, row=number,
                       column=label),
                    sheet=child.sheet, row=number, column=label,
                )
        if key not in parents:
            raise ReadError(
                _l("工作表“%(sheet)s”第 %(row)s 行的“%(value)s”在工作表“%(main)s”中找不到对应的行",
                   sheet=child.sheet, row=number, value=" ".join(key)[:60], main=main.sheet),
                sheet=child.sheet, row=number, column=labels[0],
            )
        cells = {label: value for label, value in row.items() if label not in labels}
        children.setdefault(key, []).append((number, cells))
    for key, rows in parents.items():
        for number, row in rows:
            if key in children and not _blank(row.get(table.label)):
                raise ReadError(
                    _l("第 %(row)s 行的“%(column)s”既在本列填写,又在工作表“%(column)s”中填写,只能选一处",
                       row=number, column=table.label),
                    sheet=main.sheet, row=number, column=table.label,
                )
            if key in children or _blank(row.get(table.label)):
                row[table.label] = [cells for _, cells in children.get(key, [])]
                main.table_rows[(number, table.label)] = [n for n, _ in children.get(key, [])]
    if table.label not in main.headers:
        main.headers.append(table.label)
