"""服务承诺 items."""

from sqlalchemy.orm import Mapped

from .base import Base, Disclosure


class Commitment(Disclosure, Base):
    """A service commitment: committed against statutory working days, and the compression
    ratio 1 − 承诺/法定 (computed when published, as declared)."""

    __tablename__ = "commitments"
    kind = "commitments"

    statutory_days: Mapped[int]
    committed_days: Mapped[int]
    compression: Mapped[float]
