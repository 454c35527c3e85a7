"""绩效考评结果 items: one per department and year."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Disclosure


class AppraisalResult(Disclosure, Base):
    """A department's appraisal for one year; the indicators stay in `record`."""

    __tablename__ = "appraisal_results"
    kind = "appraisals"

    year: Mapped[int] = mapped_column(index=True)
    total_score: Mapped[float]
    grade: Mapped[str] = mapped_column(String(4), index=True)
    rank: Mapped[int]
