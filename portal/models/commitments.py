"""服务承诺 items."""

from sqlalchemy.orm import Mapped

from ..schemas.commitments import compression
from .base import Base, Disclosure


class Commitment(Disclosure, Base):
    """A service commitment: committed against statutory working days."""

    __tablename__ = "commitments"
    kind = "commitments"

    statutory_days: Mapped[int]
    committed_days: Mapped[int]
    compression: Mapped[float]

    @classmethod
    def derive(cls, record: dict) -> dict:
        """The compression ratio 1 − 承诺/法定, the figure journalists quote."""
        return {"compression": compression(record["statutory_days"], record["committed_days"])}
