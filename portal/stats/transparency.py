"""Transparency gaps: what a department's live items leave unpublished (no legal basis, no flow)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS, Department
from ..schemas import KINDS
from .cache import per_revision

# A guide without its process cannot be drawn as a flowchart; the declaration requires a flow,
# but a guide published before that rule may lack one.
_WITHOUT_FLOW = ("services", "flow", "未公布办理流程")


def _empty(value) -> bool:
    return value in (None, "", [])


def _checks() -> list[tuple[str, str, str]]:
    """(kind, field, what is missing) for every field whose absence the declarations name."""
    checks = [(kind.name, field.name, field.missing)
              for kind in KINDS.values() for field in kind.fields if getattr(field, "missing", None)]
    if _WITHOUT_FLOW[0] in KINDS:
        checks.append(_WITHOUT_FLOW)
    return checks


@per_revision
def gaps(session: Session, department_code: str) -> list[dict]:
    """Each gap of the department's live items: kind, what is missing, how many of how many."""
    found = []
    for kind, field, missing in _checks():
        model = MODELS[kind]
        records = session.scalars(
            select(model.record).join(Department, model.department_id == Department.id)
            .where(Department.code == department_code, model.withdrawn_at.is_(None))
        ).all()
        found.append({"kind": kind, "missing": missing, "count": sum(1 for r in records if _empty(r.get(field))),
                      "of": len(records)})
    return found
