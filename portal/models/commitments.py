"""服务承诺 items."""

from sqlalchemy.orm import Mapped

from .base import Base, Disclosure


class Commitment(Disclosure, Base):
    """A service commitment. Its limits stay in `record` as the department wrote them (20 working
    days, 即办, 3个月, 无法定时限); the columns hold what lists sort and compare by: the limits in
    working days and the compression ratio 1 − 承诺/法定 (computed when published, as declared;
    None without a statutory limit)."""

    __tablename__ = "commitments"
    kind = "commitments"

    statutory_workdays: Mapped[float | None]
    committed_workdays: Mapped[float | None]
    compression: Mapped[float | None]
