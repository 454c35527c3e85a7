"""Privacy decisions that must outlive an upload: values confirmed as not personal, and purges."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class PrivacyConfirmation(Base):
    """A detector finding in one item that its department confirmed is not personal data.

    Holds the finding's fingerprint (a hash of its category and value), never the
    value: the final guard lets exactly that value through for exactly that item. A
    high-confidence finding (a checksum-valid ID number, a mobile, a bank card …) is
    settled only when a second person, an administrator of the efficiency office who
    did not upload it, confirmed it too (`office_confirmed_by`).
    """

    __tablename__ = "privacy_confirmations"
    __table_args__ = (UniqueConstraint("kind", "code", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(64), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(40))
    confirmed_by: Mapped[str] = mapped_column(String(40))
    confirmed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    # "high" or "medium" when confirmed; None for confirmations recorded before a second
    # person was asked for (the final guard lets none of their high findings through).
    confidence: Mapped[str | None] = mapped_column(String(10))
    office_confirmed_by: Mapped[str | None] = mapped_column(String(40))
    office_confirmed_at: Mapped[dt.datetime | None]


class PrivacyPurge(Base):
    """A revision whose personal data an administrator removed.

    The revision keeps its hash, metadata and recorded content hash, so the chain
    still verifies; `remaining_sha256` is the hash of what its snapshot holds after
    the purge, so what is left stays tamper-evident.
    """

    __tablename__ = "privacy_purges"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), unique=True)
    # The revision the administrator asked to purge (this one, or the one whose records it carried).
    requested_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    purged_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    purged_by: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    records: Mapped[int]  # how many records of its snapshot were emptied
    remaining_sha256: Mapped[str] = mapped_column(String(64))
