"""Committed against statutory time limits: the average compression, its distribution, the
slowest services."""

from __future__ import annotations

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


@per_revision
def time_limits(session: Session, department_code: str | None = None) -> dict:
    """The time-limit figures of the city (or of one department, by code).

    Limits are compared in working days (the columns the door fills from what the department
    wrote: 即办, 自然日, 个月 …); a commitment without a statutory limit (无法定时限) counts,
    but has no compression to average. The slowest services show their limits as written.
    """
    query = (select(Commitment.code, Commitment.title, Commitment.statutory_workdays,
                    Commitment.committed_workdays, Commitment.compression)
             .join(Department, Commitment.department_id == Department.id)
             .where(Commitment.withdrawn_at.is_(None)))
    if department_code is not None:
        query = query.where(Department.code == department_code)
    rows = list(session.execute(query))
    compared = [r for r in rows if r.compression is not None]
    bands = [0] * BANDS
    for row in compared:
        bands[band_of(row.compression)] += 1
    slowest = sorted((r for r in rows if r.committed_workdays is not None),
                     key=lambda r: (-r.committed_workdays, r.code))[:SLOWEST]
    written = {code: record for code, record in session.execute(
        select(Commitment.code, Commitment.record)
        .where(Commitment.code.in_([r.code for r in slowest]), Commitment.withdrawn_at.is_(None)))}
    return {
        "count": len(rows),
        "compared": len(compared),
        "average_compression": sum(r.compression for r in compared) / len(compared) if compared else None,
        "compression_bands": [{"label": band_label(i), "count": n} for i, n in enumerate(bands)],
        "slowest": [{"code": r.code, "title": r.title,
                     "statutory_days": written[r.code].get("statutory_days"),
                     "committed_days": written[r.code].get("committed_days"),
                     "committed_workdays": r.committed_workdays, "compression": r.compression}
                    for r in slowest],
    }
