"""Flowcharts of service guides, drawn at publish time, one SVG per locale."""

from __future__ import annotations

import datetime as dt

import zlib

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Flowchart(Base):
    """A service's flow drawn for one locale, kept so that pages never run Graphviz.

    `drawn_from` is the hash of everything the drawing shows (the DOT source, title
    and description): when a publish leaves it unchanged, nothing is redrawn.
    The SVG is kept compressed (`svgz`, zlib): charts repeat their markup, and a
    province's services would otherwise fill the database with it.
    """

    __tablename__ = "flowcharts"
    __table_args__ = (UniqueConstraint("service_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service_guides.id"))
    locale: Mapped[str] = mapped_column(String(10))  # Babel locale: zh_Hans, zh_Hant, en
    svgz: Mapped[bytes] = mapped_column(LargeBinary)  # an <svg> element with its title and description
    drawn_from: Mapped[str] = mapped_column(String(64))
    drawn_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def svg(self) -> str:
        """The chart as an <svg> element."""
        return zlib.decompress(self.svgz).decode()

    @svg.setter
    def svg(self, value: str) -> None:
        self.svgz = zlib.compress(value.encode(), 9)
