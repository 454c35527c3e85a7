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
the database in batches, once per scope, and written to every file as they come.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS, Department
from ..privacy import guard
from ..schemas import DEPARTMENTS, Kind
from ..schemas.fields import Table
from .cells import cell
from .writers import CsvFile, Files, JsonFile, Written, XlsxFile

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


@dataclass
class _Live:
    """What the guard reads of a live item (`guard.public_items`), from a plain row."""

    kind: str
    code: str
    title: str
    record: dict
    screened: str | None
    withdrawn_reason: None = None


def _records(session: Session, kind: Kind, department: Department | None) -> Iterator[dict]:
    """The live records of a scope in code order, less any the privacy guard withholds."""
    model = MODELS[kind.name]
    # Plain rows, not items: the record is all a download holds, and ORM objects cost 3× the time.
    # With the verdict kept at publish time, the guard runs its detector only on items whose
    # text or public numbers changed since (or that it refused then).
    query = (select(model.code, model.title, model.record, model.screened)
             .where(model.withdrawn_at.is_(None)).order_by(model.code))
    if department is not None:
        query = query.where(model.department_id == department.id)
    for code, title, record, screened in session.execute(query.execution_options(yield_per=_BATCH)):
        if guard.public_items([_Live(kind.name, code, title, record, screened)], where="download"):
            yield {**record, **kind.derive(record)}


def _table_headers(kind: Kind, table: Table, ids: bool) -> list[str]:
    pick = (lambda f: f.name) if ids else (lambda f: f.label)
    return [pick(k) for k in key_fields(kind)] + [ROW_NUMBER[0] if ids else ROW_NUMBER[1]] + [
        pick(c) for c in table.columns]


def build_scope(session: Session, root: Path, kind: Kind, department: Department | None,
                previous: dict[str, str] | None = None) -> list[Written]:
    """Write every file of one scope in one pass over its records; return them as the manifest lists them.

    `previous`: the SHA-256 of each file as the manifest lists it (a file that comes out the same is
    left in place)."""
    name = stem(kind.name, department.code if department else None)
    fields, keys, nested = flat_fields(kind), key_fields(kind), tables(kind)
    files = Files(previous or {})
    try:
        main = [files.add(CsvFile(root, f"{name}.csv", [f.label for f in fields])),
                files.add(CsvFile(root, f"{name}.ids.csv", [f.name for f in fields]))]
        table_files = {t.name: [files.add(CsvFile(root, f"{name}.{t.name}{suffix}.csv", _table_headers(kind, t, ids)))
                                for ids, suffix in ((False, ""), (True, ".ids"))] for t in nested}
        json_file = files.add(JsonFile(root, f"{name}.json"))
        # The workbook is laid out as the upload template is (a table's rows follow their order on
        # the sheet, so no row number), so that a downloaded workbook uploads again as it is.
        workbook = files.add(XlsxFile(root, f"{name}.xlsx", [(kind.label, [f.label for f in fields])] + [
            (t.label, [k.label for k in keys] + [c.label for c in t.columns]) for t in nested]))
        for record in _records(session, kind, department):
            row = [cell(f, record.get(f.name)) for f in fields]
            for csv_file in main:
                csv_file.row(row)
            workbook.row(kind.label, row)
            json_file.row(record)
            key = [cell(k, record.get(k.name)) for k in keys]
            for table in nested:
                for number, entry in enumerate(record.get(table.name) or [], start=1):
                    columns = [cell(c, entry.get(c.name)) for c in table.columns]
                    for csv_file in table_files[table.name]:
                        csv_file.row(key + [str(number)] + columns)
                    workbook.row(table.label, key + columns)
        return files.close()
    except BaseException:
        files.discard()
        raise


def build_departments(session: Session, root: Path, previous: dict[str, str] | None = None) -> list[Written]:
    """The city's departments (reference data): CSV in both header variants, JSON and XLSX."""
    fields = [f for f in DEPARTMENTS.fields if not isinstance(f, Table)]
    files = Files(previous or {})
    try:
        csv_files = [files.add(CsvFile(root, "departments.csv", [f.label for f in fields])),
                     files.add(CsvFile(root, "departments.ids.csv", [f.name for f in fields]))]
        json_file = files.add(JsonFile(root, "departments.json"))
        workbook = files.add(XlsxFile(root, "departments.xlsx", [(DEPARTMENTS.label, [f.label for f in fields])]))
        for department in session.scalars(select(Department).order_by(Department.code)):
            record = {f.name: getattr(department, f.name) for f in fields}
            row = [cell(f, record[f.name]) for f in fields]
            for csv_file in csv_files:
                csv_file.row(row)
            workbook.row(DEPARTMENTS.label, row)
            json_file.row(record)
        return files.close()
    except BaseException:
        files.discard()
        raise
