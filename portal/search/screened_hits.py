"""Search hits through the final privacy guard on their way out.

The index is screened when documents are written (`documents.build`), but it keeps
what it was given: a text indexed under an older detector, or before the efficiency
office's rules changed, stays in it until the item is published again. Each page of
hits is therefore read against the items as they stand, as every other exit reads
them: an item the guard withholds now is left out (and logged).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS
from ..privacy import guard
from .results import Hit


def public_hits(session: Session, hits: list[Hit]) -> list[Hit]:
    """The hits whose items the final guard lets out (their stored verdicts make this cheap)."""
    allowed: set[tuple[str, str]] = set()
    for kind in {hit.kind for hit in hits}:
        model = MODELS.get(kind)
        codes = [hit.code for hit in hits if hit.kind == kind]
        if model is None or not codes:
            continue
        items = session.scalars(select(model).where(model.code.in_(codes))).all()
        allowed |= {(kind, item.code) for item in guard.public_items(items, "search results")}
    return [hit for hit in hits if (hit.kind, hit.code) in allowed]
