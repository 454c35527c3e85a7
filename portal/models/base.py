"""The declarative base, a timezone-aware clock, and the columns every disclosure shares."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, TypeDecorator, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship


def utcnow() -> dt.datetime:
    """The current time, timezone-aware (UTC)."""
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetimes are not stored")
            value = value.astimezone(dt.timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        elif value is not None:
            # PostgreSQL answers in the session's zone; revision hashes cover
            # created_at.isoformat(), so it must read back in UTC everywhere.
            value = value.astimezone(dt.timezone.utc)
        return value


class Base(DeclarativeBase):
    """The base of every model."""

    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Disclosure:
    """Columns shared by the five disclosure kinds.

    `record` is the complete validated row as declared in `portal.schemas`; the
    typed columns of each kind repeat the few fields that lists filter and sort on.
    A withdrawn item keeps its row (its tombstone): `withdrawn_at` says when.
    """

    kind: str  # set by each subclass: the schema name

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    record: Mapped[dict[str, Any]]
    published_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    # Indexed with the lists' indexes (portal.models.indexes): the live rows and the tombstones apart.
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    # The privacy guard's verdict when this version was published (portal.privacy.guard.publish_verdict).
    screened: Mapped[str | None] = mapped_column(String(64))
    # Which of the fields whose absence is named this version leaves empty ("|basis|"), filled
    # when it is published (portal.models.gaps): a department's gaps are counted from it.
    left_empty: Mapped[str | None] = mapped_column(String(200))

    @declared_attr
    def department_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("departments.id"), index=True)

    @declared_attr
    def revision_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("revisions.id"))

    @declared_attr
    def department(cls):
        return relationship("Department", lazy="joined", innerjoin=True)

    @classmethod
    def leaves_empty(cls, field: str):
        """The SQL condition that an item's record leaves `field` empty (absent, null, "" or an empty
        list), on SQLite and PostgreSQL alike: counted by the database, not by reading every record."""
        # One extraction per row (absent or null read as ""): SQLite extracts, and serializes a
        # list, each time the expression names it, and the records are what the count costs.
        return func.coalesce(cls.record[field].as_string(), "").in_(("", "[]"))

    @property
    def is_withdrawn(self) -> bool:
        """True when the item has been withdrawn and only its tombstone remains."""
        return self.withdrawn_at is not None
