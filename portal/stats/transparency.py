"""Transparency gaps: what a department's live items leave unpublished (no legal basis, no flow)."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import MODELS, Department
from ..schemas import KINDS
from .cache import per_revision

# A guide without its process cannot be drawn as a flowchart; the declaration requires a flow,
# but a guide published before that rule may lack one.
_WITHOUT_FLOW = ("services", "flow", "未公布办理流程")


def _checks() -> list[tuple[str, str, str]]:
    """(kind, field, what is missing) for every field whose absence the declarations name."""
    checks = [(kind.name, field.name, field.missing)
              for kind in KINDS.values() for field in kind.fields if getattr(field, "missing", None)]
    if _WITHOUT_FLOW[0] in KINDS:
        checks.append(_WITHOUT_FLOW)
    return checks


@per_revision
def empty_fields(session: Session, department_code: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(kind, field) → (how many of the department's live items leave it empty, how many are live),
    for every field whose absence is named: one statement per kind, read once per publish for both
    the scorecard's gaps and the department page's (the database reads the records, not Python)."""
    checks = _checks()
    department_id = session.scalar(select(Department.id).where(Department.code == department_code))
    counted: dict[tuple[str, str], tuple[int, int]] = {}
    for kind in dict.fromkeys(kind for kind, _field, _missing in checks):
        model = MODELS[kind]
        fields = list(dict.fromkeys(field for k, field, _missing in checks if k == kind))
        live, *empty = session.execute(
            select(func.count(), *(func.count(case((model.leaves_empty(f), 1))) for f in fields))
            .where(model.department_id == department_id, model.withdrawn_at.is_(None))).one()
        counted.update({(kind, f): (n, live) for f, n in zip(fields, empty)})
    return counted


@per_revision
def gaps(session: Session, department_code: str) -> list[dict]:
    """Each gap of the department's live items: kind, what is missing, how many of how many."""
    counted = empty_fields(session, department_code)
    return [{"kind": kind, "missing": missing, "count": counted[kind, field][0], "of": counted[kind, field][1]}
            for kind, field, missing in _checks()]


def declared_gaps(session: Session, department_code: str, kind: str) -> dict[str, int]:
    """How many of a department's live items of one kind leave each declared field empty, by the
    field's `missing` label (未公布设定依据: 3), zeros left out."""
    counted = empty_fields(session, department_code)
    found: dict[str, int] = {}
    for field in KINDS[kind].fields:
        if getattr(field, "missing", None):
            found[field.missing] = found.get(field.missing, 0) + counted[kind, field.name][0]
    return {missing: n for missing, n in found.items() if n}
