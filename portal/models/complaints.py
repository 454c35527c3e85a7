"""效能投诉办结案件."""

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Disclosure


class ComplaintCase(Disclosure, Base):
    """A disposed complaint case; its year, working days and 限时办结 are computed when published."""

    __tablename__ = "complaint_cases"
    kind = "complaints"

    year: Mapped[int] = mapped_column(index=True)
    received: Mapped[dt.date]
    closed: Mapped[dt.date]
    channel: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(10), index=True)
    finding: Mapped[str] = mapped_column(String(6), index=True)
    # Repeats the record's 处理结果, which the statistics count by (null in a record without one).
    outcome: Mapped[str | None] = mapped_column(String(10))
    handled_people: Mapped[int]
    working_days: Mapped[int]
    within_limit: Mapped[bool]

