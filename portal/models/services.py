"""办事指南 items."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Disclosure


class ServiceGuide(Disclosure, Base):
    """A service guide; materials and the flow stay in `record`."""

    __tablename__ = "service_guides"
    kind = "services"

    # Several 服务对象 between bars (`|自然人|企业法人|`, see schemas.values.stored).
    service_object: Mapped[str] = mapped_column(String(200), index=True)
    case_type: Mapped[str] = mapped_column(String(6))
    power_code: Mapped[str | None] = mapped_column(String(64), index=True)
    visits: Mapped[int]
    online: Mapped[bool | None]  # None: the guide gives its 网办深度 only
    fee: Mapped[bool]
