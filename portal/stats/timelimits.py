"""Committed against statutory time limits: the average compression, its distribution, the
slowest services."""

from __future__ import annotations

import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Commitment, Department
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


def _rows(session: Session, department_code: str | None) -> list:
    query = (select(Commitment.code, Commitment.title, Commitment.statutory_workdays,
                    Commitment.committed_workdays, Commitment.compression, Department.code.label("department"))
             .join(Department, Commitment.department_id == Department.id)
             .where(Commitment.withdrawn_at.is_(None)))
    if department_code is not None:
        query = query.where(Department.code == department_code)
    return list(session.execute(query))


def _slowest(rows: list) -> list:
    return sorted((r for r in rows if r.committed_workdays is not None),
                  key=lambda r: (-r.committed_workdays, r.code))[:SLOWEST]


def _written(session: Session, codes: list[str]) -> dict[str, dict]:
    """The records of these live commitments, by code (their limits as written)."""
    return {code: record for code, record in session.execute(
        select(Commitment.code, Commitment.record)
        .where(Commitment.code.in_(codes), Commitment.withdrawn_at.is_(None)))}


@per_revision
def time_limits(session: Session, department_code: str | None = None) -> dict:
    """The time-limit figures of the city (or of one department, by code).

    Limits are compared in working days (the columns the door fills from what the department
    wrote: 即办, 自然日, 个月 …); a commitment without a statutory limit (无法定时限) counts,
    but has no compression to average. The slowest services show their limits as written.
    """
    rows = _rows(session, department_code)
    return figures_of(rows, _written(session, [r.code for r in _slowest(rows)]))


@per_revision
def time_limits_by_department(session: Session) -> dict[str | None, dict]:
    """Every department's time-limit figures by its code (those without commitments left out), and
    the city's under None, from one reading of the city's commitments rather than one per department."""
    rows = _rows(session, None)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.department, []).append(row)
    written = _written(session, [r.code for mine in [rows, *groups.values()] for r in _slowest(mine)])
    return {None: figures_of(rows, written), **{code: figures_of(mine, written) for code, mine in groups.items()}}


def figures_of(rows: list, written: dict[str, dict]) -> dict:
    """The figures of these commitments (rows as `_rows` reads them; `written`: the records of the slowest)."""
    compared = [r for r in rows if r.compression is not None]
    bands = [0] * BANDS
    for row in compared:
        bands[band_of(row.compression)] += 1
    slowest = _slowest(rows)
    return {
        "count": len(rows),
        "compared": len(compared),
        # fsum: the same average whatever order the rows came in (a department alone or the whole city).
        "average_compression": math.fsum(r.compression for r in compared) / len(compared) if compared else None,
        "compression_bands": [{"label": band_label(i), "count": n} for i, n in enumerate(bands)],
        "slowest": [{"code": r.code, "title": r.title,
                     "statutory_days": written[r.code].get("statutory_days"),
                     "committed_days": written[r.code].get("committed_days"),
                     "committed_workdays": r.committed_workdays, "compression": r.compression}
                    for r in slowest],
    }
