"""The city's key figures for the home page, computed from live items once per publish."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Session

from ..models import MODELS, ChangeEvent, Commitment, ComplaintCase, Department
from ..privacy import guard
from ..publish import memo
from ..schemas.limits import exact_average


@dataclass
class Figures:
    """Counts per kind, the average compression of time limits, complaints closed in time."""

    departments: int
    counts: dict[str, int]
    average_compression: float | None
    complaints_within_limit: float | None
    complaints_substantiated: float | None
    people_handled: int


def key_figures(session: Session) -> Figures:
    """The home page's figures, computed once per publish (they change with nothing else)."""
    return memo.per_revision(session, ("key figures",), lambda: _key_figures(session))


def _key_figures(session: Session) -> Figures:
    """Compute the home page's figures in a handful of aggregate queries."""
    counts = {
        kind: session.scalar(select(func.count()).select_from(model).where(model.withdrawn_at.is_(None)))
        for kind, model in MODELS.items()
    }
    live_complaints = ComplaintCase.withdrawn_at.is_(None)
    total, within, substantiated, people = session.execute(
        select(
            func.count(),
            func.sum(func.cast(ComplaintCase.within_limit, Integer)),
            func.sum(func.cast(ComplaintCase.finding != "不属实", Integer)),
            func.coalesce(func.sum(ComplaintCase.handled_people), 0),
        ).where(live_complaints)
    ).one()
    return Figures(
        departments=session.scalar(select(func.count()).select_from(Department)),
        counts=counts,
        # As the statistics page averages it (exact, whatever index the planner walks), from the
        # distinct ratios and how often each occurs.
        average_compression=exact_average(list(session.execute(
            select(Commitment.compression, func.count())
            .where(Commitment.withdrawn_at.is_(None), Commitment.compression.is_not(None))
            .group_by(Commitment.compression)))),
        complaints_within_limit=(within or 0) / total if total else None,
        complaints_substantiated=(substantiated or 0) / total if total else None,
        people_handled=people,
    )


def latest_changes(session: Session, limit: int) -> list[ChangeEvent]:
    """The most recent change events, newest first (less any the privacy guard withholds)."""
    return guard.public_events(session.scalars(select(ChangeEvent).order_by(ChangeEvent.id.desc()).limit(limit)))
