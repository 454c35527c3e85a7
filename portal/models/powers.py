"""权责清单 items."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Disclosure


class PowerItem(Disclosure, Base):
    """A power item; `status` is its own 在用/已取消/已调整, not withdrawal from the site."""

    __tablename__ = "power_items"
    kind = "powers"

    power_type: Mapped[str] = mapped_column(String(10), index=True)
    status: Mapped[str] = mapped_column(String(6), index=True)
