"""What complaints found and what was done: by month, category, finding, outcome and department;
the share substantiated, the share closed within the limit, the median days to close."""

from __future__ import annotations

import statistics
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ComplaintCase, Department
from ..schemas.complaints import CATEGORIES, FINDINGS, LIMIT_WORKING_DAYS, OUTCOMES
from .cache import per_revision

# 部分属实 counts as substantiated: something complained of was found true.
SUBSTANTIATED = ("属实", "部分属实")


def _cases(session: Session, department_code: str | None) -> list[tuple]:
    query = (select(ComplaintCase.received, ComplaintCase.category, ComplaintCase.finding,
                    ComplaintCase.record["outcome"].as_string(), ComplaintCase.working_days,
                    ComplaintCase.within_limit, ComplaintCase.handled_people, Department.code)
             .join(Department, ComplaintCase.department_id == Department.id)
             .where(ComplaintCase.withdrawn_at.is_(None)))
    if department_code is not None:
        query = query.where(Department.code == department_code)
    return list(session.execute(query))


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (no complaints is not 0 %)."""
    return part / whole if whole else None


def _counted(values, vocabulary) -> list[dict]:
    """Counts in the vocabulary's order (then any value outside it), leaving out zeros."""
    counts = Counter(values)
    order = list(vocabulary) + sorted(set(counts) - set(vocabulary))
    return [{"label": value, "count": counts[value]} for value in order if counts[value]]


def _months(counts: Counter) -> list[dict]:
    """Complaints received per month, every month from the first to the last (empty months as 0),
    from counts by (year, month)."""
    if not counts:
        return []
    (year, month), last = min(counts), max(counts)
    months = []
    while (year, month) <= last:
        months.append({"label": f"{year:04d}-{month:02d}", "count": counts[(year, month)]})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@per_revision
def complaint_figures(session: Session, department_code: str | None = None) -> dict:
    """The complaint figures of the city (or of one department, by code)."""
    return figures_of(_cases(session, department_code))


@per_revision
def by_month(session: Session) -> list[dict]:
    """The city's complaints received per month, as `complaint_figures` counts them, from the
    database's counts per day (the home page's chart, without reading every case)."""
    counts: Counter = Counter()
    for day, n in session.execute(select(ComplaintCase.received, func.count())
                                  .where(ComplaintCase.withdrawn_at.is_(None)).group_by(ComplaintCase.received)):
        counts[(day.year, day.month)] += n
    return _months(counts)


@per_revision
def figures_by_department(session: Session) -> dict[str | None, dict]:
    """Every department's complaint figures by its code (those without complaints left out), and
    the city's under None, from one reading of the city's cases rather than one per department."""
    cases = _cases(session, None)
    groups: dict[str, list[tuple]] = {}
    for case in cases:
        groups.setdefault(case[7], []).append(case)
    return {None: figures_of(cases), **{code: figures_of(mine) for code, mine in groups.items()}}


def figures_of(cases: list[tuple]) -> dict:
    """The figures of these cases (rows as `_cases` reads them)."""
    total = len(cases)
    substantiated = sum(1 for c in cases if c[2] in SUBSTANTIATED)
    within = sum(1 for c in cases if c[5])
    return {
        "total": total,
        "substantiated": substantiated,
        "substantiated_share": share(substantiated, total),
        "within_limit": within,
        "within_limit_share": share(within, total),
        "limit_working_days": LIMIT_WORKING_DAYS,
        "median_days": statistics.median(c[4] for c in cases) if cases else None,
        "people_handled": sum(c[6] for c in cases),
        "by_month": _months(Counter((c[0].year, c[0].month) for c in cases)),
        "by_category": _counted((c[1] for c in cases), CATEGORIES),
        "by_finding": _counted((c[2] for c in cases), FINDINGS),
        "by_outcome": _counted((c[3] for c in cases), OUTCOMES),
        "by_department": [{"label": code, "count": n}
                          for code, n in sorted(Counter(c[7] for c in cases).items(),
                                                key=lambda pair: (-pair[1], pair[0]))],
    }
