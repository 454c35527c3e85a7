"""A department of the city: owner of disclosures and of accounts."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import String, Text, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base


class Department(Base):
    """A 市直部门, a 乡镇/街道 or a 垂直管理部门, as declared in `portal.schemas.departments`."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(10), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    complaint_phone: Mapped[str] = mapped_column(String(40))
    duties: Mapped[str | None] = mapped_column(Text)
    # 统一社会信用代码 of the department and its units: national item codes carrying one are its own.
    credit_codes: Mapped[list[Any] | None]

    @classmethod
    def by_code(cls, session: Session, code: str) -> Department | None:
        """The department with this code, or None: the one lookup every caller uses."""
        return session.scalars(_by_code(), {"code": code}).first()


@cache
def _by_code():
    # Built once: a statement costs more to build than to run (every file a load reads asks it).
    return select(Department).where(Department.code == bindparam("code"))
