"""Uploaded files (archived by SHA-256) and uploads waiting for their department to publish."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from .accounts import User
from .base import Base, utcnow
from .department import Department


class StoredFile(Base):
    """An uploaded file's bytes, content-addressed: the same file is stored once."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Upload(Base):
    """A validated upload: its records and preview, pending until published or discarded."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))  # as the user named it, for display only
    file_sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending, published, discarded
    records: Mapped[list[Any]]
    counts: Mapped[dict[str, Any]]
    # Each record's row in the file, by code: the number a clerk finds it under in the sheet.
    # None for an upload staged before rows were kept (its findings show no row).
    rows: Mapped[dict[str, Any] | None]
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    department: Mapped[Department] = relationship(lazy="joined", innerjoin=True)
