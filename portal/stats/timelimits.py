"""Committed against statutory time limits: the average compression, its distribution, the
slowest services."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Commitment, Department
from ..schemas.limits import exact_average
from .cache import per_revision

# Compression ratios 1 − 承诺/法定 in bands of a fifth: [0, 20 %), [20 %, 40 %) … [80 %, 100 %].
BANDS = 5
SLOWEST = 5


def band_label(index: int) -> str:
    """The band's range as a label: 0–20%, 20–40% … 80–100%."""
    step = 100 // BANDS
    return f"{index * step}–{(index + 1) * step}%"


def band_of(compression: float) -> int:
    """The band a compression ratio falls in (100 % in the last one, below 0 in the first)."""
    return min(BANDS - 1, max(0, int(compression * BANDS)))


def _live(query, department_code: str | None):
    """`query` narrowed to live commitments (of one department, by code)."""
    query = query.where(Commitment.withdrawn_at.is_(None))
    if department_code is not None:
        query = query.where(Commitment.department_id == select(Department.id)
                            .where(Department.code == department_code).scalar_subquery())
    return query


def _by_code(session: Session):
    """The commitments' codes ordered as Python orders text (by code point, whatever collation
    a PostgreSQL database was made with), for ties among the slowest."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    return Commitment.code.collate("C") if postgresql else Commitment.code


def _compressions(session: Session, department_code: str | None) -> list:
    """(department id, compression, how many) of the live commitments: a few hundred distinct
    values rather than every row (the lists' index on compression covers it)."""
    return list(session.execute(
        _live(select(Commitment.department_id, Commitment.compression, func.count()), department_code)
        .group_by(Commitment.department_id, Commitment.compression)))


@per_revision
def _city_compressions(session: Session) -> list:
    """`_compressions` of the whole city, read once per publish for its figures and its departments'."""
    return [tuple(row) for row in _compressions(session, None)]


_SLOW_COLUMNS = (Commitment.code, Commitment.title, Commitment.committed_workdays, Commitment.compression,
                 Commitment.record)


def _slowest(session: Session, department_code: str | None) -> list:
    """The slowest live commitments (by committed working days, then code), records included: the
    few ids chosen first, then only their rows read (sorting a large department's every row with
    its record cost more than the rest of its time-limit figures)."""
    order = (Commitment.committed_workdays.desc(), _by_code(session))
    chosen = (_live(select(Commitment.id), department_code).where(Commitment.committed_workdays.is_not(None))
              .order_by(*order).limit(SLOWEST).subquery())
    return list(session.execute(
        select(*_SLOW_COLUMNS).join(chosen, Commitment.id == chosen.c.id).order_by(*order)))


@per_revision
def time_limits(session: Session, department_code: str | None = None) -> dict:
    """The time-limit figures of the city (or of one department, by code).

    Limits are compared in working days (the columns the door fills from what the department
    wrote: 即办, 自然日, 个月 …); a commitment without a statutory limit (无法定时限) counts,
    but has no compression to average. The slowest services show their limits as written.
    """
    read = _city_compressions(session) if department_code is None else _compressions(session, department_code)
    counted = [(compression, n) for _department, compression, n in read]
    return figures_of(counted, _slowest(session, department_code))


@per_revision
def headlines_by_department(session: Session) -> dict[str, dict]:
    """Every department's count and average compression by its code (those without commitments
    left out), as `time_limits` gives them, from one grouped query over the city's commitments
    (the comparison's figures: not each department's slowest)."""
    codes = {department: code for department, code in session.execute(select(Department.id, Department.code))}
    groups: dict[int, list] = {}
    for department, compression, n in _city_compressions(session):
        groups.setdefault(department, []).append((compression, n))
    return {codes[d]: {"count": sum(n for _c, n in pairs),
                       "average_compression": exact_average([(c, n) for c, n in pairs if c is not None])}
            for d, pairs in groups.items()}


def figures_of(counted: list[tuple], slowest: list) -> dict:
    """The figures of commitments counted as (compression, how many) pairs (None: no statutory
    limit), with the slowest as `_slowest` reads them."""
    compared = [(c, n) for c, n in counted if c is not None]
    bands = [0] * BANDS
    for compression, n in compared:
        bands[band_of(compression)] += n
    return {
        "count": sum(n for _c, n in counted),
        "compared": sum(n for _c, n in compared),
        # Exact: the same average whether a department is computed alone or with the city.
        "average_compression": exact_average(compared),
        "compression_bands": [{"label": band_label(i), "count": n} for i, n in enumerate(bands)],
        "slowest": [{"code": r.code, "title": r.title,
                     "statutory_days": r.record.get("statutory_days"),
                     "committed_days": r.record.get("committed_days"),
                     "committed_workdays": r.committed_workdays, "compression": r.compression}
                    for r in slowest],
    }
