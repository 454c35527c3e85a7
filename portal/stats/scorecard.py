"""A department's scorecard (效能画像): its ranking over the years, time limits, complaints, gaps."""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import appraisals, complaints, timelimits, transparency


def scorecard(session: Session, department_code: str) -> dict:
    """Every figure of one department's scorecard (each part kept per revision)."""
    return {
        "history": appraisals.history(session, department_code),
        "time_limits": timelimits.time_limits(session, department_code),
        "complaints": complaints.complaint_figures(session, department_code),
        "gaps": transparency.gaps(session, department_code),
    }
