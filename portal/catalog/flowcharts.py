"""A service's flowchart as the pages show it: the stored SVG and the text equivalent."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..flowcharts.graph import InvalidFlow
from ..flowcharts.text import Walkthrough, walk
from ..flowcharts.validate import read
from ..models import Flowchart, ServiceGuide
from ..privacy import guard
from .listing import NotFound


def chart(session: Session, service: ServiceGuide, locale: str) -> Flowchart | None:
    """The service's chart drawn for `locale`, or None while it has not been drawn."""
    return session.scalars(
        select(Flowchart).where(Flowchart.service_id == service.id, Flowchart.locale == locale)
    ).first()


def chart_by_code(session: Session, code: str, locale: str) -> Flowchart:
    """The chart of the service with this code drawn for `locale`, or NotFound; `guard.Withheld`
    when the final privacy guard refuses the service (the chart shows its steps' names and posts)."""
    found = session.execute(
        select(Flowchart, ServiceGuide)
        .join(ServiceGuide, Flowchart.service_id == ServiceGuide.id)
        .where(ServiceGuide.code == code, Flowchart.locale == locale)
    ).first()
    if found is None:
        raise NotFound(code)
    chart, service = found
    guard.check_item(service, where="flowchart")
    return chart


def walkthrough(service: ServiceGuide) -> Walkthrough | None:
    """The service's steps in reading order, or None for a flow published before the flow rules."""
    try:
        return walk(read(service.record["flow"]))
    except InvalidFlow:
        return None
