"""Codes the efficiency office handed from one department to another."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .department import Department


class CodeGrant(Base):
    """One item code of one kind that only `department` may publish, by the efficiency office's decision.

    It overrides every other ownership rule (a city code's prefix, a national code's
    统一社会信用代码, first publication): items move between departments after
    institutional reforms and keep their codes.
    """

    __tablename__ = "code_grants"
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    granted_by: Mapped[str] = mapped_column(String(40))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)

    department: Mapped[Department] = relationship(lazy="joined", innerjoin=True)
