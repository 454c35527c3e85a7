"""Search hits through the final privacy guard on their way out.

The index is screened when documents are written (`documents.build`), but it keeps
what it was given: a text indexed under an older detector, or before the efficiency
office's rules changed, stays in it until the item is published again. Each page of
hits is therefore read against the items as they stand, as every other exit reads
them: an item the guard withholds now is left out (and logged), and the index forgets
it, as a catch-up forgets an item withheld when published (`documents.changes_since`),
so that no total or facet count tells it is there.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS
from ..privacy import guard
from . import engine, query, text
from .results import Hit, Results

log = logging.getLogger(__name__)

# How long a search waits for the index's writer lock to forget a withheld item (a publish may hold it):
# no longer than a visitor notices; the next search, or the item's next publish, forgets it otherwise.
FORGET_WAIT_SECONDS = 2.0


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


def _forget(hits: list[Hit]) -> bool:
    """Remove the hits' documents from the index; False when that could not be done now."""
    try:
        return engine().apply([], [f"{hit.kind}:{hit.code}" for hit in hits], timeout=FORGET_WAIT_SECONDS)
    except Exception:  # the lock is busy or the index broken: the page is right, only its counts are not
        log.exception("search index could not forget withheld items now")
        return False


def screened_query(session: Session, q: str | None, filters: dict[str, str], page: int,
                   page_size: int) -> tuple[text.QueryPlan, Results | None]:
    """`search.query` with the hits the guard withholds left out and forgotten by the index (then
    asked again, so that the total and the facets count only what may be shown)."""
    plan, found = query(q, filters, page, page_size)
    if found is None:
        return plan, found
    kept = public_hits(session, found.hits)
    if len(kept) < len(found.hits) and _forget([hit for hit in found.hits if hit not in kept]):
        plan, found = query(q, filters, page, page_size)
        kept = public_hits(session, found.hits)
    found.hits = kept
    return plan, found
