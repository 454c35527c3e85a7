"""Transparency gaps: what a department's live items leave unpublished (no legal basis, no flow)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import MODELS, Department, gaps as declared
from ..schemas import KINDS
from .cache import per_revision


@per_revision
def empty_fields(session: Session, department_code: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(kind, field) → (how many of the department's live items leave it empty, how many are live),
    for every field whose absence is named: one statement per kind, read once per publish for both
    the scorecard's gaps and the department page's. Counted from what each item left empty when it
    was published (`left_empty`), not from the records."""
    department_id = session.scalar(select(Department.id).where(Department.code == department_code))
    counted: dict[tuple[str, str], tuple[int, int]] = {}
    for kind in dict.fromkeys(kind for kind, _field, _missing in declared.checks()):
        model = MODELS[kind]
        # Grouped by what is left empty (a handful of values), along the index of the department's
        # live items and their `left_empty`: no record, nor row, is read.
        groups = session.execute(select(model.left_empty, func.count())
                                 .where(model.department_id == department_id, model.withdrawn_at.is_(None))
                                 .group_by(model.left_empty)).all()
        live = sum(n for _left, n in groups)
        for field in declared.checked(kind):
            empty = sum(n for left, n in groups if left and declared.marker(field) in left)
            counted[kind, field] = (empty, live)
    return counted


@per_revision
def gaps(session: Session, department_code: str) -> list[dict]:
    """Each gap of the department's live items: kind, what is missing, how many of how many."""
    counted = empty_fields(session, department_code)
    return [{"kind": kind, "missing": missing, "count": counted[kind, field][0], "of": counted[kind, field][1]}
            for kind, field, missing in declared.checks()]


def declared_gaps(session: Session, department_code: str, kind: str) -> dict[str, int]:
    """How many of a department's live items of one kind leave each declared field empty, by the
    field's `missing` label (未公布设定依据: 3), zeros left out."""
    counted = empty_fields(session, department_code)
    found: dict[str, int] = {}
    for field in KINDS[kind].fields:
        if getattr(field, "missing", None):
            found[field.missing] = found.get(field.missing, 0) + counted[kind, field.name][0]
    return {missing: n for missing, n in found.items() if n}
