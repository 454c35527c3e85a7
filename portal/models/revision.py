"""Revisions (one per publish, hash-chained) and the change events they record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .department import Department


class Revision(Base):
    """The complete state of one department's disclosures of one kind after a publish.

    `hash` covers the canonical content and the previous revision's hash, so the
    revisions form one chain over the whole site that cannot be rewritten silently.
    """

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_scope", "department_id", "kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[int]  # 1, 2, 3 … within the department and kind
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    author: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(20))  # content, upload, rollback
    filename: Mapped[str | None] = mapped_column(String(200))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    content_sha256: Mapped[str] = mapped_column(String(64))
    # Unique: two publishes racing for the same predecessor cannot both land (no fork).
    prev_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    snapshot: Mapped[list[Any]]
    added: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[int] = mapped_column(default=0)

    department: Mapped[Department] = relationship(lazy="joined", innerjoin=True)


class ChangeEvent(Base):
    """One thing a revision did to one item: added, changed (which fields) or withdrawn."""

    __tablename__ = "change_events"
    __table_args__ = (Index("ix_change_events_scope", "department_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A tag: URI minted when the event is recorded; feeds use it as the entry id forever.
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(12))  # added, changed, withdrawn
    changes: Mapped[dict[str, Any]]  # {field name: [old, new]} for "changed"
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    department: Mapped[Department] = relationship(lazy="joined", innerjoin=True)
    revision: Mapped[Revision] = relationship()
