"""Search over all five kinds: the small interface the rest of the portal uses.

    from portal import search
    search.rebuild(session)                       # full build (flask search reindex)
    found = search.query("营业执照", {"kind": "services"}, page=1)
    search.suggest(plan)                          # help when nothing matched

The engine behind it (`whoosh_engine.WhooshEngine`) is chosen here and only here;
another engine needs the same four methods: rebuild, apply, search, count.
The index follows the revision log: it records the last revision it applied,
and `sync` applies whatever the log holds after it — on every announced publish,
before a request now and then (publishes through another app server), and in
`flask search sync` / `flask setup`. A failing update is logged, never raised:
the publish has already happened, and the next catch-up repairs the index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Revision
from ..publish.signals import catch_up_due, published
from . import synonyms, text
from .documents import FACETS, changes_since, count_live, live_documents
from .whoosh_engine import Hit, Results, WhooshEngine

log = logging.getLogger(__name__)

__all__ = ["FACETS", "Hit", "Results", "engine", "head", "query", "rebuild", "suggest", "synonyms", "sync",
           "text"]


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
    """Index every live item afresh; return how many documents were indexed.

    The newest revision is read first, in the same read transaction as the items: the
    index then reflects it exactly, and catching up starts after it.
    """
    applied = head(session)
    total = count_live(session)
    if on_total:
        on_total(total)
    return engine().rebuild(live_documents(session), total, progress, workers=workers, applied=applied)


def query(q: str | None, filters: dict[str, str] | None = None, page: int = 1,
          page_size: int = 20) -> tuple[text.QueryPlan, Results | None]:
    """The plan for `q` and one page of its results (None when no index has been built).

    Query terms are expanded with the everyday-words dictionary under CONTENT_DIR.
    """
    plan = text.parse(q, synonyms.load(current_app.config.get("CONTENT_DIR")).entries)
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


# Keeping up with the revision log ---------------------------------------------


def head(session: Session) -> int:
    """The newest revision of the log (0 when nothing was ever published)."""
    return session.scalar(select(func.max(Revision.id))) or 0


def sync(session: Session) -> int | None:
    """Catch the index up with the revision log; return the revision it now reflects (None: no index).

    After a crash between a publish's commit and its index update, after a purge,
    or when another app server sharing the database published, this applies
    exactly what changed since the index's last applied revision.
    """
    newest = head(session)
    return engine().catch_up(newest, lambda since: changes_since(session, since, newest))


@contextmanager
def deferred():
    """Catch up once at the end of the block instead of after every publish inside it.

    Loading a whole content directory publishes one revision per file; one
    commit for all of them is much faster than one per file.
    """
    g._search_deferred = True
    try:
        yield
    finally:
        del g._search_deferred
        _sync_quietly(current_app._get_current_object())


def _on_published(sender: Flask, revision, **_extra) -> None:
    if not g.get("_search_deferred"):
        _sync_quietly(sender)


def _sync_quietly(app: Flask) -> None:
    try:
        sync(db.session)
    except Exception:  # the publish has landed; the next catch-up or `flask search sync` repairs the index
        log.exception("search index update failed; it catches up with the next publish or `flask search sync`")


def _catch_up_now_and_then() -> None:
    """Before a request, now and then: apply what other processes published."""
    if catch_up_due("search"):
        _sync_quietly(current_app._get_current_object())


def init_app(app: Flask) -> None:
    """Keep the app's search index in step with the revision log."""
    published.connect(_on_published, sender=app, weak=False)
    app.before_request(_catch_up_now_and_then)
