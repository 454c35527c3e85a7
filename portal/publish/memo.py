"""Figures kept until the next publish: facet counts, totals, key figures, a department's gaps.

They change only when a revision lands, so each process keeps them by the newest
revision (its id and hash: two databases never share both) and forgets them all
when another revision appears, whether published here or through another app
server sharing the database. One cheap query per request reads the newest
revision; the store is bounded, so a worker's memory does not grow with the
number of filter combinations asked for.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Revision
from .signals import published

T = TypeVar("T")

# Enough for every facet of every kind under a few hundred filter combinations.
SIZE = 2048
_KEY = "portal.memo"
_HEAD = "_memo_head"


class _Store:
    """One process's kept figures, all of them for one newest revision."""

    def __init__(self) -> None:
        self.head: tuple | None = None
        self.values: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()


def _head(session: Session) -> tuple:
    # Read once per app context (a request): a publish in this context forgets it (below).
    found = g.get(_HEAD)
    if found is None:
        row = session.execute(select(Revision.id, Revision.hash).order_by(Revision.id.desc()).limit(1)).first()
        found = (str(session.get_bind().url), *(row or (0, "")))
        setattr(g, _HEAD, found)
    return found


def per_revision(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for `key` since the newest revision landed."""
    store = current_app.extensions.setdefault(_KEY, _Store())
    head = _head(session)
    with store.lock:
        if store.head != head:
            store.head, store.values = head, OrderedDict()
        elif key in store.values:
            store.values.move_to_end(key)
            return store.values[key]  # type: ignore[return-value]
    value = compute()
    with store.lock:
        if store.head == head:
            store.values[key] = value
            while len(store.values) > SIZE:
                store.values.popitem(last=False)
    return value


def clear(app) -> None:
    """Forget everything `app`'s process keeps (benchmarks time the first request after a publish)."""
    app.extensions.pop(_KEY, None)


def _forget_head(sender, **_extra) -> None:
    g.pop(_HEAD, None)


published.connect(_forget_head)
