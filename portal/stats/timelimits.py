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
    """The time-limit figures of the city (or of one department, by code)."""
    query = (select(Commitment.code, Commitment.title, Commitment.statutory_days, Commitment.committed_days,
                    Commitment.compression)
             .join(Department, Commitment.department_id == Department.id)
             .where(Commitment.withdrawn_at.is_(None)))
    if department_code is not None:
        query = query.where(Department.code == department_code)
    rows = list(session.execute(query))
    bands = [0] * BANDS
    for row in rows:
        bands[band_of(row.compression)] += 1
    slowest = sorted(rows, key=lambda r: (-r.committed_days, r.code))[:SLOWEST]
    return {
        "count": len(rows),
        "average_compression": sum(r.compression for r in rows) / len(rows) if rows else None,
        "statutory_days": sum(r.statutory_days for r in rows),
        "committed_days": sum(r.committed_days for r in rows),
        "compression_bands": [{"label": band_label(i), "count": n} for i, n in enumerate(bands)],
        "slowest": [{"code": r.code, "title": r.title, "statutory_days": r.statutory_days,
                     "committed_days": r.committed_days, "compression": r.compression} for r in slowest],
    }
