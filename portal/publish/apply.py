"""Apply a prepared plan: one new revision, the items it touches, and its change events.

This is the one write path for disclosures. The caller owns the transaction:
it commits after `apply` returns, or rolls back on any error, so a publish lands
whole or not at all.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import MODELS, ChangeEvent, Revision, utcnow
from ..privacy import review, stubs
from .canonical import content_hash, revision_hash
from .plan import Plan

DEFAULT_WITHDRAW_REASON = "发布单位在新版清单中删除了该事项"


def apply(
    session: Session,
    plan: Plan,
    *,
    author: str,
    source: str,
    filename: str | None = None,
    file_sha256: str | None = None,
    reason: str | None = None,
) -> Revision | None:
    """Publish a clean plan as a new revision; return it, or None when nothing changes.

    Raises `PersonalDataHeld` while a record it adds or changes has probable personal
    data that was neither redacted nor confirmed as not personal (portal.privacy.review).
    """
    if not plan.ok:
        raise ValueError("a plan with problems cannot be applied")
    if plan.diff.empty:
        return None
    incoming = {plan.kind.key(r): r for r in plan.records}
    touched = [incoming[c] for c in (*plan.diff.added, *plan.diff.changed)]
    if any(stubs.is_stub(r) for r in touched):
        raise ValueError("records whose personal data was purged cannot be published again")
    held = review.held(session, plan.kind, touched)
    if held:
        raise review.PersonalDataHeld(held)
    now = utcnow()
    revision = _new_revision(session, plan, now, author, source, filename, file_sha256)
    model = MODELS[plan.kind.name]
    items = {
        item.code: item
        for item in session.scalars(
            select(model).where(model.department_id == plan.department.id)
        )
    }
    events = []
    for code in plan.diff.added:
        item = items.get(code) or model(code=code, department_id=plan.department.id, published_at=now)
        session.add(item)
        _write(item, plan, incoming[code], revision, now)
        item.withdrawn_at = item.withdrawn_reason = None
        events.append(_event(revision, plan, code, item.title, "added", {}, None, now))
    for code, changes in plan.diff.changed.items():
        _write(items[code], plan, incoming[code], revision, now)
        events.append(_event(revision, plan, code, items[code].title, "changed", changes, None, now))
    for code in plan.diff.withdrawn:
        item = items[code]
        item.withdrawn_at, item.withdrawn_reason = now, reason or DEFAULT_WITHDRAW_REASON
        item.revision_id, item.updated_at = revision.id, now
        events.append(_event(revision, plan, code, item.title, "withdrawn", {}, item.withdrawn_reason, now))
    session.add_all(events)
    session.flush()
    return revision


def _new_revision(session, plan, now, author, source, filename, file_sha256) -> Revision:
    previous = session.scalars(select(Revision).order_by(Revision.id.desc()).limit(1)).first()
    number = session.scalar(
        select(func.coalesce(func.max(Revision.number), 0)).where(
            Revision.department_id == plan.department.id, Revision.kind == plan.kind.name
        )
    )
    counts = plan.diff.counts()
    revision = Revision(
        department=plan.department,
        kind=plan.kind.name,
        number=number + 1,
        created_at=now,
        author=author,
        source=source,
        filename=filename,
        file_sha256=file_sha256,
        content_sha256=content_hash(plan.records),
        prev_hash=previous.hash if previous else None,
        snapshot=plan.records,
        added=counts["added"],
        changed=counts["changed"],
        withdrawn=counts["withdrawn"],
    )
    revision.hash = revision_hash(revision)
    session.add(revision)
    session.flush()
    return revision


def _write(item, plan, record, revision, now) -> None:
    """Copy a record into an item: the full record, its title and its typed columns."""
    model = type(item)
    item.record = record
    item.title = plan.kind.title(record)
    item.revision_id = revision.id
    item.updated_at = now
    values = {**record, **model.derive(record)}
    for column in model.__table__.columns:
        if column.name in values and column.name not in ("code", "department", "title", "record"):
            setattr(item, column.name, values[column.name])


def _event(revision, plan, code, title, action, changes, reason, now) -> ChangeEvent:
    authority = current_app.config["TAG_AUTHORITY"]
    return ChangeEvent(
        uid=f"tag:{authority}:{plan.kind.name}/{code}/{revision.hash[:16]}/{action}",
        revision_id=revision.id,
        department_id=plan.department.id,
        kind=plan.kind.name,
        code=code,
        title=title,
        action=action,
        changes=changes,
        reason=reason,
        created_at=now,
    )
