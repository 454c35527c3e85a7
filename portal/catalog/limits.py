"""What a service's page and its commitment's page say about their limits together."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Commitment, ServiceGuide
from ..schemas.limits import flow_beyond_promise


def contradiction(session: Session, code: str) -> dict | None:
    """When the live guide's flow adds up to more working days than its live commitment promises:
    {"flow_days", "committed"} (the committed limit as written); else None."""
    found = {}
    for model in (ServiceGuide, Commitment):
        found[model] = session.scalar(
            select(model.record).where(model.code == code, model.withdrawn_at.is_(None)))
    guide, promise = found[ServiceGuide], found[Commitment]
    if not guide or not promise:
        return None
    days = flow_beyond_promise(guide["flow"], promise["committed_days"])
    return None if days is None else {"flow_days": days, "committed": promise["committed_days"]}
