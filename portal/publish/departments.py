"""Departments are reference data, published through the door like any disclosure.

A department that is added or whose details change gets a revision of its own
(kind `departments`, its snapshot the department's record) and a change event,
so renaming a department is as visible, as dated and as chained as any other
publish, and every projection hears of it. A department missing from a file is
not removed: its disclosures and tombstones still name it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS, Department, Revision, utcnow
from ..schemas import KINDS, Kind
from . import diff as diffing
from .apply import event, new_revision


def department_record(department: Department, kind: Kind) -> dict:
    """A department's stored details as a record of the declaration."""
    return {f.name: getattr(department, f.name) for f in kind.fields}


def publish_departments(session: Session, kind: Kind, records: list[dict], *, author: str, source: str,
                        filename: str | None, file_sha256: str | None) -> list[Revision]:
    """Add or update departments from clean records; one revision and event per department changed."""
    existing = {d.code: d for d in session.scalars(select(Department))}
    live = {code: department_record(d, kind) for code, d in existing.items()}
    incoming = {kind.key(r): r for r in records}
    diff = diffing.compute(live, incoming)
    now = utcnow()
    revisions = []
    for code in sorted([*diff.added, *diff.changed]):
        department = existing.get(code) or Department(code=code)
        for name, value in incoming[code].items():
            setattr(department, name, value)
        session.add(department)
        session.flush()
        action = "added" if code in diff.added else "changed"
        counts = {"added": int(action == "added"), "changed": int(action == "changed"), "withdrawn": 0}
        revision = new_revision(session, department, kind.name, [incoming[code]], counts, now=now,
                                author=author, source=source, filename=filename, file_sha256=file_sha256)
        session.add(event(revision, code, department.name, action, diff.changed.get(code, {}), None))
        if "name" in diff.changed.get(code, {}):
            _retitle(session, department)
        revisions.append(revision)
    session.flush()
    return revisions


def _retitle(session: Session, department: Department) -> None:
    """Give a renamed department's items whose titles name it (complaints) its new name."""
    for kind in KINDS.values():
        if kind.named_title:
            model = MODELS[kind.name]
            for item in session.scalars(select(model).where(model.department_id == department.id)):
                item.title = kind.title_for(item.record, department.name)
