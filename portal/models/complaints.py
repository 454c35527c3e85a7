"""效能投诉办结案件."""

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..schemas.complaints import LIMIT_WORKING_DAYS
from ..workdays import working_days
from .base import Base, Disclosure


class ComplaintCase(Disclosure, Base):
    """A disposed complaint case, with its handling time computed from its dates."""

    __tablename__ = "complaint_cases"
    kind = "complaints"

    year: Mapped[int] = mapped_column(index=True)
    received: Mapped[dt.date]
    closed: Mapped[dt.date]
    channel: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(10), index=True)
    finding: Mapped[str] = mapped_column(String(6), index=True)
    handled_people: Mapped[int]
    working_days: Mapped[int]
    within_limit: Mapped[bool]

    @classmethod
    def derive(cls, record: dict) -> dict:
        """Dates as dates, the year received, working days taken and whether within the limit."""
        received = dt.date.fromisoformat(record["received"])
        closed = dt.date.fromisoformat(record["closed"])
        days = working_days(received, closed)
        return {
            "received": received,
            "closed": closed,
            "year": received.year,
            "working_days": days,
            "within_limit": days <= LIMIT_WORKING_DAYS,
        }
