"""Apply a prepared plan inside the door: one new revision, the items it touches, and its change events.

Only `portal.publish.door` calls this, inside the transaction it owns, holding the
chain's head: the revision it adds is hash-chained to the newest one.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from functools import cache

from sqlalchemy import Date, bindparam, func, select
from sqlalchemy.orm import Session

from ..extensions import EncodedJSON, EncodedList
from ..models import MODELS, ChangeEvent, Department, Revision, gaps, utcnow
from ..privacy import guard, reasons, review, stubs
from ..schemas.values import stored
from .canonical import canonical_list, canonical_text, content_hash, content_hash_of, revision_hash
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
    screening: review.Screening | None = None,
) -> Revision | None:
    """Publish a clean plan as a new revision; return it, or None when nothing changes.

    `screening` is the caller's screening of the records (`review.screen`), reused for
    every record it still holds for; any other is screened here.

    Raises `PersonalDataHeld` while a record it adds or changes has probable personal
    data that was neither redacted nor confirmed as not personal (portal.privacy.review),
    and `ReasonRefused` for a withdrawal reason that may not be published
    (portal.privacy.reasons): too long, or with probable personal data.
    """
    if not plan.ok:
        raise ValueError("a plan with problems cannot be applied")
    # Checked whether or not anything is withdrawn: a refused reason is refused every time.
    reason = reasons.checked(session, reason)
    if plan.diff.empty:
        return None
    incoming = {plan.kind.key(r): r for r in plan.records}
    touched = [incoming[c] for c in (*plan.diff.added, *plan.diff.changed)]
    if any(stubs.is_stub(r) for r in touched):
        raise ValueError("records whose personal data was purged cannot be published again")
    held = review.held(session, plan.kind, touched, screening)
    if held:
        raise review.PersonalDataHeld(held)
    now = utcnow()
    # Each record encoded once: its item's column, the revision's snapshot and its content hash.
    encoded = [canonical_text(r) for r in plan.records]
    texts = dict(zip(incoming, encoded))
    revision = new_revision(session, plan.department, plan.kind.name, plan.records, plan.diff.counts(),
                            now=now, author=author, source=source, filename=filename,
                            file_sha256=file_sha256, encoded=encoded)
    model = MODELS[plan.kind.name]
    codes = [*plan.diff.added, *plan.diff.changed, *plan.diff.withdrawn]
    items = {
        item.code: item
        for item in session.scalars(_items_query(model), {"department": plan.department.id, "codes": codes})
    } if codes else {}
    events, written, fresh = [], [], []
    # How the screening read each record: the stored verdict reads the same texts.
    readings = dict(screening.records) if screening is not None else {}
    for code in plan.diff.added:
        record = incoming[code]
        title = plan.kind.title_for(record, plan.department.name)
        if code in items:  # a withdrawn item published again: its tombstone comes back to life
            item = items[code]
            _write(item, plan, record, revision, now)
            item.withdrawn_at = item.withdrawn_reason = None
            written.append(item)
        else:
            # A new item: inserted with the others in one statement, not as an object each.
            row = {**_values(model, plan, record), "code": code, "department_id": plan.department.id,
                   "published_at": now, "updated_at": now, "revision_id": revision.id, "title": title,
                   "record": EncodedJSON(texts[code])}
            row["screened"] = guard.verdict(plan.kind.name, code, title, record, None, readings.get(code),
                                            screening.public if screening is not None else None)
            fresh.append(row)
        events.append(event_row(revision, code, title, "added", {}, None))
    for code, changes in plan.diff.changed.items():
        _write(items[code], plan, incoming[code], revision, now)
        written.append(items[code])
        events.append(event_row(revision, code, items[code].title, "changed", changes, None))
    for code in plan.diff.withdrawn:
        item = items[code]
        item.withdrawn_at, item.withdrawn_reason = now, reason or DEFAULT_WITHDRAW_REASON
        item.revision_id, item.updated_at = revision.id, now
        written.append(item)
        events.append(event_row(revision, code, item.title, "withdrawn", {}, item.withdrawn_reason))
    for item in written:
        # The final guard reads this verdict instead of screening the item again on every view.
        item.screened = guard.publish_verdict(item)
    session.flush()
    # Table inserts, many rows each: the ORM's bulk insert would go over every row again in Python.
    if fresh:
        session.execute(model.__table__.insert(), fresh)
    session.execute(ChangeEvent.__table__.insert(), events)
    return revision


def new_revision(session: Session, department: Department, kind: str, records: list[dict],
                 counts: dict[str, int], *, now: dt.datetime, author: str, source: str,
                 filename: str | None, file_sha256: str | None, encoded: list[str] | None = None) -> Revision:
    """Add the next revision of `department`'s `kind`, chained to the newest revision of all.

    `encoded`, when given, is each record's canonical text (`canonical_text`), in order.
    """
    # Its hash only: the newest revision's snapshot (a whole list) is not read to chain to it.
    previous = session.scalar(_HEAD)
    number = session.scalar(_LAST_NUMBER, {"department": department.id, "kind": kind})
    snapshot = records
    if encoded is not None:
        snapshot = EncodedList(records)  # written as the text already made, not encoded again
        snapshot.encoded = canonical_list(encoded)
    revision = Revision(
        department=department,
        kind=kind,
        number=number + 1,
        created_at=now,
        author=author,
        source=source,
        filename=filename,
        file_sha256=file_sha256,
        content_sha256=content_hash(records) if encoded is None else content_hash_of(snapshot.encoded),
        prev_hash=previous,
        snapshot=snapshot,
        added=counts["added"],
        changed=counts["changed"],
        withdrawn=counts["withdrawn"],
    )
    revision.hash = revision_hash(revision)
    session.add(revision)
    session.flush()
    return revision


# Statements every publish runs, built once: building one costs more than running it.
_HEAD = select(Revision.hash).order_by(Revision.id.desc()).limit(1)
_LAST_NUMBER = select(func.coalesce(func.max(Revision.number), 0)).where(
    Revision.department_id == bindparam("department"), Revision.kind == bindparam("kind"))


@cache
def _items_query(model):
    return select(model).where(model.department_id == bindparam("department"),
                               model.code.in_(bindparam("codes", expanding=True)))


def _values(model, plan, record) -> dict:
    """The typed and computed columns of an item that repeat fields of its record."""
    found = {}
    values = {**record, **plan.kind.derive(record)}
    for column in model.__table__.columns:
        if column.name in values and column.name not in ("code", "department", "title", "record"):
            value = values[column.name]
            if isinstance(column.type, Date) and isinstance(value, str):
                value = dt.date.fromisoformat(value)  # records keep ISO text; columns sort as dates
            elif isinstance(value, list):
                value = stored(value)  # several values (服务对象): filtered by each
            found[column.name] = value
    # What it leaves unpublished among the fields whose absence is named: gaps are counted from it.
    found["left_empty"] = gaps.left_empty(plan.kind.name, record)
    return found


def _write(item, plan, record, revision, now) -> None:
    """Copy a record into an item: the full record, its title, and its typed and computed columns."""
    item.record = record
    item.title = plan.kind.title_for(record, plan.department.name)
    item.revision_id = revision.id
    item.updated_at = now
    for name, value in _values(type(item), plan, record).items():
        setattr(item, name, value)


def event_row(revision: Revision, code: str, title: str, action: str, changes: dict,
              reason: str | None) -> dict:
    """The columns of a change event of `revision`, with its permanent tag: URI."""
    authority = current_app.config["TAG_AUTHORITY"]
    return dict(
        uid=f"tag:{authority}:{revision.kind}/{code}/{revision.hash[:16]}/{action}",
        revision_id=revision.id,
        department_id=revision.department.id,
        kind=revision.kind,
        code=code,
        title=title,
        action=action,
        changes=changes,
        reason=reason,
        created_at=revision.created_at,
    )


def event(revision: Revision, code: str, title: str, action: str, changes: dict,
          reason: str | None) -> ChangeEvent:
    """A change event of `revision`, with its permanent tag: URI."""
    return ChangeEvent(**event_row(revision, code, title, action, changes, reason))
