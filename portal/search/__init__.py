"""Search over all five kinds: the small interface the rest of the portal uses.

    from portal import search
    search.rebuild(session)                       # full build (flask search reindex)
    found = search.query("营业执照", {"kind": "services"}, page=1)
    search.suggest(plan)                          # help when nothing matched

The engine behind it (`whoosh_engine.WhooshEngine`) is chosen here and only here;
another engine needs the same four methods: rebuild, apply, search, count.
Publishing updates the index incrementally: `portal.publish` announces each
committed revision, and `_on_published` re-indexes exactly the items that
revision touched (and removes what it withdrew). A failing update is logged,
never raised: the publish has already happened, and `flask search reindex`
rebuilds the index from the database at any time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from ..extensions import db
from ..publish.signals import published
from . import text
from .documents import FACETS, count_live, live_documents, revision_changes
from .whoosh_engine import Hit, Results, WhooshEngine

log = logging.getLogger(__name__)

__all__ = ["FACETS", "Hit", "Results", "engine", "query", "rebuild", "suggest", "text"]


def engine(app: Flask | None = None) -> WhooshEngine:
    """The search engine of the app (in context), created on first use."""
    app = app or current_app._get_current_object()
    found = app.extensions.get("portal.search")
    if found is None:
        root = app.config.get("SEARCH_DIR") or str(Path(app.instance_path) / "search")
        found = app.extensions["portal.search"] = WhooshEngine(root)
    return found


def rebuild(session: Session, progress: Callable[[int], None] | None = None,
            workers: int | None = None, on_total: Callable[[int], None] | None = None) -> int:
    """Index every live item afresh; return how many documents were indexed."""
    total = count_live(session)
    if on_total:
        on_total(total)
    return engine().rebuild(live_documents(session), total, progress, workers=workers)


def query(q: str | None, filters: dict[str, str] | None = None, page: int = 1,
          page_size: int = 20) -> tuple[text.QueryPlan, Results | None]:
    """The plan for `q` and one page of its results (None when no index has been built)."""
    plan = text.parse(q)
    return plan, engine().search(plan, dict(filters or {}), page, page_size)


# How many alternative queries one zero-result page may try, and on how long a phrase.
SUGGESTION_BUDGET = 40
MAX_SUGGESTED_PHRASE = 12


@dataclass
class Suggestion:
    """Another query worth trying, and how many results it has."""

    q: str
    count: int


def suggest(plan: text.QueryPlan, limit: int = 4) -> list[Suggestion]:
    """For a query with no results: each term alone, the longest parts that match, shorter codes."""
    if plan.empty:
        return []
    search = engine()
    found: dict[str, int] = {}
    budget = [SUGGESTION_BUDGET]

    def consider(q: str):
        if q and q not in found and q != plan.raw and budget[0] > 0:
            budget[0] -= 1
            found[q] = search.count(text.parse(q))

    if len(plan.terms) > 1:
        for term in plan.terms:
            consider(term.text)
    for term in plan.terms:
        if term.code and "-" in term.code.strip("-"):
            consider(term.code.rsplit("-", 1)[0])
        han = term.han[:MAX_SUGGESTED_PHRASE]
        # The longest stretches of the phrase that do occur (营业执照办理流程 → 营业执照).
        for length in range(len(han) - 1, 1, -1):
            hits = []
            for start in range(0, len(han) - length + 1):
                part = han[start:start + length]
                consider(part)
                if found.get(part):
                    hits.append(part)
            if hits:
                break
    ranked = sorted(((q, n) for q, n in found.items() if n), key=lambda p: (-len(p[0]), -p[1]))
    return [Suggestion(q, n) for q, n in ranked[:limit]]


# Incremental updates -----------------------------------------------------------


@contextmanager
def deferred():
    """Collect the revisions published inside the block and index them in one commit at its end.

    Loading a whole content directory publishes one revision per file; one
    commit for all of them is much faster than one per file, and still touches
    only what those revisions changed.
    """
    g._search_deferred = pending = []
    try:
        yield
    finally:
        del g._search_deferred
        if pending:
            _index_revisions(current_app._get_current_object(), pending)


def _on_published(sender: Flask, revision, **_extra) -> None:
    pending = g.get("_search_deferred")
    if pending is not None:
        pending.append(revision)
        return
    _index_revisions(sender, [revision])


def _index_revisions(app: Flask, revisions: list) -> None:
    search = engine(app)
    try:
        if not search.exists():
            log.info("no search index yet: run `flask search reindex`")
            return
        upserts, removals = [], []
        for revision in revisions:
            more, gone = revision_changes(db.session, revision)
            upserts += more
            removals += gone
        if upserts or removals:
            search.apply(upserts, removals)
    except Exception:  # the publish has landed; the index can always be rebuilt
        log.exception("search index update failed; run `flask search reindex`")


def init_app(app: Flask) -> None:
    """Keep the app's search index in step with what is published."""
    published.connect(_on_published, sender=app, weak=False)
