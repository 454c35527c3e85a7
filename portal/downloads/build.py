"""Build the download files of one scope: a kind for the whole city or for one department.

Files, all under the data directory (`DATA_DIR`, default instance/data/):

    <kind>.csv              the items, Chinese headers (as the upload template has them)
    <kind>.ids.csv          the same with the English identifiers as headers
    <kind>.<table>.csv      a nested table (materials, flow steps, indicators), one row per
    <kind>.<table>.ids.csv  table row, keyed by its item's key columns and a row number
    <kind>.json             the items as published, nested tables inline, computed values added
    <kind>.xlsx             the items as the upload template lays them out: one sheet, one per table
    departments/<code>/…    the same for one department

Only live items are written, each through the privacy guard. Rows are read from
the database in batches and written as they come.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS, Department
from ..privacy import guard
from ..schemas import DEPARTMENTS, Kind
from ..schemas.fields import Table
from .cells import cell
from .writers import Sheet, Written, write_csv, write_json, write_xlsx

# The column that numbers a table's rows within their item.
ROW_NUMBER = ("row", "序号")
_BATCH = 500


def flat_fields(kind: Kind) -> list:
    """The kind's declared fields that are one cell each, then its computed ones."""
    return [f for f in kind.fields if not isinstance(f, Table)] + [c.field for c in kind.computed]


def tables(kind: Kind) -> list[Table]:
    """The kind's nested tables."""
    return [f for f in kind.fields if isinstance(f, Table)]


def key_fields(kind: Kind) -> list:
    """The fields that name an item, which a table's rows repeat."""
    return [kind.field(name) for name in kind.key_fields]


def stem(kind_name: str, department: str | None) -> str:
    """The path stem of a scope's files: `powers`, or `departments/<code>/powers`."""
    return f"departments/{department}/{kind_name}" if department else kind_name


def _records(session: Session, kind: Kind, department: Department | None) -> Iterator[dict]:
    """The live records of a scope in code order, less any the privacy guard withholds."""
    model = MODELS[kind.name]
    query = select(model).where(model.withdrawn_at.is_(None)).order_by(model.code)
    if department is not None:
        query = query.where(model.department_id == department.id)
    for item in guard.public_items(session.scalars(query.execution_options(yield_per=_BATCH)), where="download"):
        yield {**item.record, **kind.derive(item.record)}


def _main_rows(session, kind, department) -> Iterator[list[str]]:
    fields = flat_fields(kind)
    for record in _records(session, kind, department):
        yield [cell(f, record.get(f.name)) for f in fields]


def _table_rows(session, kind, department, table: Table) -> Iterator[list[str]]:
    keys = key_fields(kind)
    for record in _records(session, kind, department):
        for number, row in enumerate(record.get(table.name) or [], start=1):
            yield [cell(k, record.get(k.name)) for k in keys] + [str(number)] + [
                cell(c, row.get(c.name)) for c in table.columns]


def _table_headers(kind: Kind, table: Table, ids: bool) -> list[str]:
    pick = (lambda f: f.name) if ids else (lambda f: f.label)
    return [pick(k) for k in key_fields(kind)] + [ROW_NUMBER[0] if ids else ROW_NUMBER[1]] + [
        pick(c) for c in table.columns]


def build_scope(session: Session, root: Path, kind: Kind, department: Department | None) -> list[Written]:
    """Write every file of one scope; return them as the manifest lists them."""
    name = stem(kind.name, department.code if department else None)
    fields = flat_fields(kind)
    written = [
        write_csv(root, f"{name}.csv", [f.label for f in fields], _main_rows(session, kind, department)),
        write_csv(root, f"{name}.ids.csv", [f.name for f in fields], _main_rows(session, kind, department)),
    ]
    for table in tables(kind):
        for ids, suffix in ((False, ""), (True, ".ids")):
            written.append(write_csv(root, f"{name}.{table.name}{suffix}.csv", _table_headers(kind, table, ids),
                                     _table_rows(session, kind, department, table)))
    written.append(write_json(root, f"{name}.json", _records(session, kind, department)))
    sheets = [Sheet(kind.label, [f.label for f in fields], _main_rows(session, kind, department))]
    sheets += [Sheet(t.label, _table_headers(kind, t, False), _table_rows(session, kind, department, t))
               for t in tables(kind)]
    written.append(write_xlsx(root, f"{name}.xlsx", sheets))
    return written


def build_departments(session: Session, root: Path) -> list[Written]:
    """The city's departments (reference data): CSV in both header variants, JSON and XLSX."""
    fields = [f for f in DEPARTMENTS.fields if not isinstance(f, Table)]

    def records() -> Iterator[dict]:
        for department in session.scalars(select(Department).order_by(Department.code)):
            yield {f.name: getattr(department, f.name) for f in fields}

    def rows() -> Iterator[list[str]]:
        for record in records():
            yield [cell(f, record[f.name]) for f in fields]

    return [
        write_csv(root, "departments.csv", [f.label for f in fields], rows()),
        write_csv(root, "departments.ids.csv", [f.name for f in fields], rows()),
        write_json(root, "departments.json", records()),
        write_xlsx(root, "departments.xlsx", [Sheet(DEPARTMENTS.label, [f.label for f in fields], rows())]),
    ]

