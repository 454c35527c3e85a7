"""The city's statistics, and its departments' figures side by side."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Department
from . import appraisals, complaints, timelimits
from .cache import per_revision

# The figures a comparison shows for each department, in order (each a key of `department_row`).
COMPARED = ("score", "rank", "complaints", "substantiated_share", "within_limit_share", "median_days",
            "commitments", "average_compression")


@per_revision
def departments(session: Session) -> list[dict]:
    """Every department as the figures name it, 市直部门 first, in code order."""
    found = session.scalars(select(Department).order_by(Department.code))
    return sorted((appraisals.department_ref(d) for d in found),
                  key=lambda d: appraisals.category_order(d["category"]))


def department_row(session: Session, department: dict, cases: dict | None = None, limits: dict | None = None) -> dict:
    """One department's headline figures: its latest appraisal, complaints and time limits (its
    complaint and time-limit figures are read unless given)."""
    history = appraisals.history(session, department["code"])
    latest = history[-1] if history else None
    cases = complaints.complaint_figures(session, department["code"]) if cases is None else cases
    limits = timelimits.time_limits(session, department["code"]) if limits is None else limits
    return {
        "department": department,
        "year": latest["year"] if latest else None,
        "score": latest["score"] if latest else None,
        "rank": latest["rank"] if latest else None,
        "of": latest["of"] if latest else None,
        "complaints": cases["total"],
        "substantiated_share": cases["substantiated_share"],
        "within_limit_share": cases["within_limit_share"],
        "median_days": cases["median_days"],
        "commitments": limits["count"],
        "average_compression": limits["average_compression"],
    }


@per_revision
def city_stats(session: Session) -> dict:
    """The city's complaint and time-limit figures, and every department's headline figures."""
    # Each department's row needs its headline figures only, not its charts' counts.
    cases = complaints.headlines_by_department(session)
    limits = timelimits.headlines_by_department(session)
    no_cases, no_limits = complaints.no_figures(), timelimits.figures_of([], [])
    return {
        "complaints": complaints.complaint_figures(session, None),
        "time_limits": timelimits.time_limits(session, None),
        "departments": [department_row(session, d, cases.get(d["code"], no_cases), limits.get(d["code"], no_limits))
                        for d in departments(session)],
    }


def compare(session: Session, codes: list[str]) -> list[dict]:
    """The headline figures of the departments with these codes, in the order given (unknown codes
    are left out, repeats once)."""
    rows = {row["department"]["code"]: row for row in city_stats(session)["departments"]}
    seen: list[str] = []
    for code in codes:
        if code in rows and code not in seen:
            seen.append(code)
    return [rows[code] for code in seen]
