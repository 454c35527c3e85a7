"""What complaints found and what was done: by month, category, finding, outcome and department;
the share substantiated, the share closed within the limit, the median days to close.

Every figure is counted by the database from columns the write path fills when a case is
published (its outcome too), each grouped query reading an index rather than the cases' records:
a few thousand groups, not every case.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import ComplaintCase, Department
from ..schemas.complaints import CATEGORIES, FINDINGS, LIMIT_WORKING_DAYS, OUTCOMES
from .cache import per_revision

# 部分属实 counts as substantiated: something complained of was found true.
SUBSTANTIATED = ("属实", "部分属实")


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (no complaints is not 0 %)."""
    return part / whole if whole else None


def _counted(counts: Counter, vocabulary) -> list[dict]:
    """Counts in the vocabulary's order (then any value outside it, a missing one last), leaving
    out zeros."""
    order = list(vocabulary) + sorted(set(counts) - set(vocabulary), key=lambda value: (value is None, value or ""))
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


def median(counts: Counter):
    """The median of values given as counts by value, as `statistics.median` gives it of the values
    written out: the middle one, or the mean of the middle two (None when there are none)."""
    total = sum(counts.values())
    if not total:
        return None
    wanted, found, seen = ((total - 1) // 2, total // 2), [], 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and wanted[len(found)] < seen:
            found.append(value)
    low, high = found
    return low if total % 2 else (low + high) / 2


def _live(query, department_code: str | None):
    """`query` narrowed to live cases (of one department, by code)."""
    query = query.where(ComplaintCase.withdrawn_at.is_(None))
    if department_code is not None:
        query = query.where(ComplaintCase.department_id == select(Department.id)
                            .where(Department.code == department_code).scalar_subquery())
    return query


def _groups(session: Session, department_code: str | None) -> list[tuple]:
    """(department code, working days, finding, cases, within the limit, people handled) of the live
    cases, grouped (ix_complaint_cases_live_by_department covers it)."""
    codes = dict(session.execute(select(Department.id, Department.code)).all())
    rows = session.execute(_live(select(
        ComplaintCase.department_id, ComplaintCase.working_days, ComplaintCase.finding, func.count(),
        func.count(case((ComplaintCase.within_limit, 1))), func.sum(ComplaintCase.handled_people)),
        department_code).group_by(ComplaintCase.department_id, ComplaintCase.working_days, ComplaintCase.finding))
    return [(codes[department], days, finding, n, within, int(people))
            for department, days, finding, n, within, people in rows]


@per_revision
def _city_groups(session: Session) -> list[tuple]:
    """`_groups` of the whole city, read once per publish for its figures and its departments' rows."""
    return _groups(session, None)


def _counts(session: Session, column, department_code: str | None) -> Counter:
    """How many live cases have each value of `column`."""
    return Counter(dict(session.execute(_live(select(column, func.count()), department_code).group_by(column)).all()))


def _received(session: Session, department_code: str | None) -> Counter:
    """How many live cases were received in each (year, month), from the counts per day."""
    counts: Counter = Counter()
    for day, n in session.execute(_live(select(ComplaintCase.received, func.count()), department_code)
                                  .group_by(ComplaintCase.received)):
        counts[(day.year, day.month)] += n
    return counts


def _headline(groups: list[tuple]) -> dict:
    """The figures of cases that their groups (as `_groups` reads them) give."""
    total = sum(g[3] for g in groups)
    substantiated = sum(g[3] for g in groups if g[2] in SUBSTANTIATED)
    within = sum(g[4] for g in groups)
    days: Counter = Counter()
    for group in groups:
        days[group[1]] += group[3]
    return {
        "total": total,
        "substantiated": substantiated,
        "substantiated_share": share(substantiated, total),
        "within_limit": within,
        "within_limit_share": share(within, total),
        "limit_working_days": LIMIT_WORKING_DAYS,
        "median_days": median(days),
        "people_handled": sum(g[5] for g in groups),
    }


def no_figures() -> dict:
    """The figures of no complaints at all."""
    return figures_of([], Counter(), Counter(), Counter())


def figures_of(groups: list[tuple], categories: Counter, outcomes: Counter, months: Counter) -> dict:
    """The figures of the cases counted in `groups` (as `_groups` reads them), by category, by
    outcome and by (year, month) received."""
    findings: Counter = Counter()
    departments: Counter = Counter()
    for group in groups:
        findings[group[2]] += group[3]
        departments[group[0]] += group[3]
    return {
        **_headline(groups),
        "by_month": _months(months),
        "by_category": _counted(categories, CATEGORIES),
        "by_finding": _counted(findings, FINDINGS),
        "by_outcome": _counted(outcomes, OUTCOMES),
        "by_department": [{"label": code, "count": n}
                          for code, n in sorted(departments.items(), key=lambda pair: (-pair[1], pair[0]))],
    }


@per_revision
def complaint_figures(session: Session, department_code: str | None = None) -> dict:
    """The complaint figures of the city (or of one department, by code)."""
    groups = _city_groups(session) if department_code is None else _groups(session, department_code)
    return figures_of(groups, _counts(session, ComplaintCase.category, department_code),
                      _counts(session, ComplaintCase.outcome, department_code), _received(session, department_code))


@per_revision
def by_month(session: Session) -> list[dict]:
    """The city's complaints received per month, as `complaint_figures` counts them (the home page's
    chart, without the rest of the figures)."""
    return _months(_received(session, None))


@per_revision
def headlines_by_department(session: Session) -> dict[str, dict]:
    """Every department's headline figures (total, shares, median days, people handled) by its
    code, those without complaints left out: from one grouped reading of the city's cases."""
    groups: dict[str, list[tuple]] = {}
    for group in _city_groups(session):
        groups.setdefault(group[0], []).append(group)
    return {code: _headline(mine) for code, mine in groups.items()}
