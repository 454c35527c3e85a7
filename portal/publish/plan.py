"""Prepare a publish: validate a sheet for one department and kind, and diff it with what is live.

Nothing here writes. Loading `content/` and a department's upload both call
`prepare`, show or check its problems, and hand the clean records to the door
(`portal.publish.door`), which diffs them again under its lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..ingest.readers import Sheet
from ..models import MODELS, Department
from ..privacy import review
from ..privacy.codes import code_problems
from ..schemas import Kind, Problem
from ..schemas.fields import Table
from . import diff as diffing
from .checks import CROSS_CHECKS
from .namespaces import ownership_problems
from .references import withdrawal_problems


@dataclass
class Plan:
    """A validated sheet for one department and kind, and what publishing it would change."""

    department: Department
    kind: Kind
    records: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    diff: diffing.Diff | None = None
    live: dict[str, dict] = field(default_factory=dict)
    # Probable personal data in the records (complaints): each must be redacted or confirmed
    # as not personal before `apply` will publish them (see portal.privacy.review).
    findings: list[review.RowFinding] = field(default_factory=list)
    # The records it adds or changes as screened for those findings: the door reuses it.
    screening: review.Screening | None = None
    # The records with their rows in the file (row number, record), when read from a file.
    numbered: list[tuple[int, dict]] = field(default_factory=list)
    # Set by the door when the plan was checked under its lock (`Writer.check`).
    checked_under: tuple | None = None

    @property
    def ok(self) -> bool:
        """True when the plan has no problems and may be applied."""
        return not self.problems


def department_spellings(session: Session) -> dict[str, str]:
    """Every accepted way to name a department (code, name) mapped to its code."""
    spellings = {}
    for code, name in session.execute(_SPELLINGS):
        spellings[code] = code
        spellings[name] = code
    return spellings


def live_records(session: Session, department: Department, kind: Kind) -> dict[str, dict]:
    """The records of a department's live items of a kind, keyed by code."""
    rows = session.execute(_live_query(MODELS[kind.name]), {"department": department.id})
    return {code: record for code, record in rows}


# Statements a publish runs every time, built once: building one costs more than running it.
_SPELLINGS = select(Department.code, Department.name)


@cache
def _live_query(model):
    return (select(model.code, model.record)
            .where(model.department_id == bindparam("department"), model.withdrawn_at.is_(None))
            .order_by(model.code))


def diffed(session: Session, department: Department, kind: Kind, records: list[dict]) -> Plan:
    """A plan for records that are already valid (a staged upload, an old revision), diffed with what is live."""
    plan = Plan(department=department, kind=kind, records=sorted(records, key=kind.key))
    plan.live = live_records(session, department, kind)
    plan.diff = diffing.compute(plan.live, {kind.key(r): r for r in plan.records})
    return plan


def prepare(session: Session, department: Department, kind: Kind, sheet: Sheet) -> Plan:
    """Validate `sheet` as the complete list of `kind` for `department` and diff it."""
    plan = validated(session, department, kind, sheet)
    return checked(session, plan) if plan.ok else plan


def validated(session: Session, department: Department, kind: Kind, sheet: Sheet) -> Plan:
    """The first half of `prepare`: the sheet's headers and rows validated on their own.

    Reads nothing of what is live but the departments' names, so a loader may run it
    before opening the door and keep the door's lock for `checked`.
    """
    problems, numbered = validate_sheet(kind, sheet, department_spellings(session))
    return Plan(department=department, kind=kind, problems=problems,
                records=[record for _number, record in numbered], numbered=numbered)


def validate_sheet(kind: Kind, sheet: Sheet, spellings: dict[str, str]) -> tuple[list[Problem], list]:
    """(problems, [(row number, clean record), …]) of a sheet for `kind`: no records unless every
    row is valid. `spellings` is `department_spellings`; nothing else is read, so this runs
    anywhere, without the database (the content loader reads ahead in a process of its own)."""
    problems = kind.check_headers(sheet.headers)
    if problems:
        return problems, []
    if not sheet.rows:
        return [Problem(None, None, str(_l("文件中没有数据行")))], []
    example = _example_cells(kind)
    left_in = {number for number, raw in sheet.rows
               if all(str(raw.get(label, "")).strip() == cell for label, cell in example)} if example else set()
    rows = [row for row in sheet.rows if row[0] not in left_in] if left_in else sheet.rows
    result = kind.validate(rows, spellings, sheet=sheet.sheet, table_rows=sheet.table_rows)
    if left_in or not result.ok:
        # The template's example row, left in: its department and codes are made up, and their
        # errors would send the clerk looking for mistakes in a row that should not be there.
        return [Problem(number, kind.fields[0].label, str(_l("这一行是模板自带的示例,请删除后再上传")),
                        sheet=sheet.sheet) for number in sorted(left_in)] + result.problems, []
    numbered = [(number, record) for (number, _), record in zip(rows, result.records)]
    # Codes are published in URLs, feeds and downloads, and no screening of texts reads them.
    problems = code_problems(kind, numbered, sheet.sheet)
    return (problems, []) if problems else ([], numbered)


def _example_cells(kind: Kind) -> tuple[tuple[str, str], ...]:
    """(header, text) of each cell of the templates' example row outside tables (`portal.ingest.templates`)."""
    if kind.name not in _EXAMPLES:
        _EXAMPLES[kind.name] = tuple((f.label, f.example) for f in kind.fields
                                     if f.example and not isinstance(f, Table))
    return _EXAMPLES[kind.name]


_EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {}


def checked(session: Session, plan: Plan, coming: Mapping[str, list[dict]] | None = None) -> Plan:
    """The second half of `prepare`: a validated plan checked against what is live, diffed and screened.

    Ownership of the codes, the checks across kinds, the diff, the withdrawals others
    rely on and the privacy screening: what a publish must check again under the
    door's lock, unless it is checked there (`Writer.check`). `coming`: the department's
    new lists of other kinds to be published with this one (see `withdrawal_problems`).
    """
    department, kind, rows = plan.department, plan.kind, plan.numbered
    problems = ownership_problems(session, department, kind, rows)
    for check in CROSS_CHECKS.get(kind.name, ()):
        problems += check(session, department, rows)
    if problems:
        plan.problems = problems
        return plan
    found = diffed(session, department, kind, plan.records)
    found.numbered = rows
    found.problems = withdrawal_problems(session, department, kind, found.diff, coming)
    if found.problems:
        return found
    # A screening made as the file was read (`plan.screening`) is reused for every record it still
    # holds for: the same record, with the same numbers public (see `review.screen`).
    touched = review.touched(kind, found.records, found.live)
    found.screening = review.screen(session, kind, touched, plan.screening)
    found.findings = review.unresolved(session, kind, found.screening, {kind.key(r): n for n, r in rows})
    return found
