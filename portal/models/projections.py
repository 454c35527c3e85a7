"""How far each projection kept in the database has followed the revision log."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base


class ProjectionCursor(Base):
    """The last revision a projection (the flowchart store, …) has applied."""

    __tablename__ = "projection_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    revision_id: Mapped[int] = mapped_column(default=0)

    @classmethod
    def position(cls, session: Session, name: str) -> int:
        """The last revision `name` applied (0 before its first run)."""
        found = session.get(cls, name)
        return found.revision_id if found else 0

    @classmethod
    def advance(cls, session: Session, name: str, revision_id: int) -> None:
        """Record that `name` has applied everything up to `revision_id` (the caller commits)."""
        found = session.get(cls, name) or cls(name=name)
        found.revision_id = max(found.revision_id or 0, revision_id)
        session.add(found)
