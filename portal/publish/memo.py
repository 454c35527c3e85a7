"""What each worker keeps for one state of the database: figures, and whole public answers.

Facet counts, totals, key figures, a department's gaps, the scorecards' figures, and
the public pages, twins and feeds made from them change only when the database does.
So each process keeps them for one *state* of the database, and forgets them all when
the state moves on, whether through this server or another sharing the database.

The state is what a public answer depends on, read in one statement once per request
(app context): the newest revision (its id and hash: every publish and withdrawal
makes one, and two databases never share both), the privacy office's
confirmations, which the final guard honours, the newest drawn flowchart (charts
are drawn after their publish, or later once Graphviz is installed) and the purges. A publish in this context forgets the
reading, so what follows reads the new state.

Two kinds of thing are kept, in one store:
- figures (`per_revision`): any value, at most `SIZE` of them, the least recently used
  going first, so memory does not grow with the filter combinations asked for;
- answers (`kept_answer`, `keep_answer`): bytes with an expiry, at most a given number of
  bytes in all (`portal.web.page_cache` keeps public answers there).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, g
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Flowchart, PrivacyConfirmation, PrivacyPurge, Revision
from .signals import published

T = TypeVar("T")

# Enough for every facet of every kind under a few hundred filter combinations.
SIZE = 2048
_KEY = "portal.memo"
_STATE = "_memo_state"


class _Store:
    """One process's kept figures and answers, all of them for one state of the database."""

    def __init__(self) -> None:
        self.state: tuple | None = None
        self.values: OrderedDict[Hashable, object] = OrderedDict()
        self.answers: OrderedDict[Hashable, tuple[float, int, object]] = OrderedDict()
        self.answer_bytes = 0
        self.lock = threading.Lock()

    def follow(self, state: tuple) -> None:
        """Forget everything if `state` is not the one kept for (call with the lock held)."""
        if self.state != state:
            self.state, self.values, self.answers, self.answer_bytes = state, OrderedDict(), OrderedDict(), 0


def _state_statement():
    newest = select(Revision.id, Revision.hash).order_by(Revision.id.desc()).limit(1).subquery()
    return select(
        select(newest.c.id).scalar_subquery(),
        select(newest.c.hash).scalar_subquery(),
        select(func.count(PrivacyConfirmation.id)).scalar_subquery(),
        select(func.max(PrivacyConfirmation.id)).scalar_subquery(),
        # The office's second confirmation is written into the row its department made.
        select(func.count(PrivacyConfirmation.office_confirmed_at)).scalar_subquery(),
        # Flowcharts are drawn after their publish (or later, once Graphviz is installed).
        select(func.max(Flowchart.id)).scalar_subquery(),
        # A purge scrubs old revisions' events and snapshots, with no new revision when nothing
        # live had to be withdrawn.
        select(func.count(PrivacyPurge.id)).scalar_subquery())


# The state's statement as each kind of database writes it, made once: it is read on every
# request (a kept answer's only statement), where building and compiling it again would cost
# more than running it.
_SQL: dict[str, str] = {}


def state(session: Session) -> tuple:
    """The database's state as far as anything kept depends on it: one statement, once per app context."""
    found = g.get(_STATE)
    if found is None:
        bind = session.get_bind()
        sql = _SQL.get(bind.dialect.name)
        if sql is None:
            sql = _SQL[bind.dialect.name] = str(_state_statement().compile(
                dialect=bind.dialect, compile_kwargs={"literal_binds": True}))
        found = (str(bind.url), *session.connection().exec_driver_sql(sql).one())
        setattr(g, _STATE, found)
    return found


def guard_state(session: Session) -> tuple:
    """The part of the state that publishes leave alone: the database, the privacy office's
    confirmations and the purges (what an old change event's words depend on besides itself)."""
    found = state(session)
    return (found[0], *found[3:6], found[7])


def _store() -> _Store:
    return current_app.extensions.setdefault(_KEY, _Store())


def per_revision(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for `key` since the database reached its present state."""
    store, now = _store(), state(session)
    with store.lock:
        store.follow(now)
        if key in store.values:
            store.values.move_to_end(key)
            return store.values[key]  # type: ignore[return-value]
    value = compute()
    with store.lock:
        if store.state == now:
            store.values[key] = value
            while len(store.values) > SIZE:
                store.values.popitem(last=False)
    return value


def kept_answer(session: Session, key: Hashable) -> object | None:
    """The answer kept for `key` in the database's present state and not yet expired, if any."""
    store, now = _store(), state(session)
    with store.lock:
        store.follow(now)
        kept = store.answers.get(key)
        if kept is None or kept[0] < time.monotonic():
            return None
        store.answers.move_to_end(key)
        return kept[2]


def keep_answer(made_in: tuple, key: Hashable, answer: object, size: int, seconds: float, limit: int) -> None:
    """Keep `answer` (of `size` bytes) for `key` for `seconds`, if the database is still in the state
    `made_in` it was made in; the least recently asked for go first beyond `limit` bytes in all."""
    if size > limit // 8:
        return  # one answer may not push out most of the others
    store = _store()
    with store.lock:
        if store.state != made_in:
            return  # the database moved on while the answer was made
        old = store.answers.pop(key, None)
        store.answer_bytes -= old[1] if old else 0
        store.answers[key] = (time.monotonic() + seconds, size, answer)
        store.answer_bytes += size
        while store.answer_bytes > limit:
            _key, (_expires, dropped, _answer) = store.answers.popitem(last=False)
            store.answer_bytes -= dropped


def clear(app) -> None:
    """Forget everything `app`'s process keeps (benchmarks time the first request after a publish)."""
    app.extensions.pop(_KEY, None)


def _forget_state(sender, **_extra) -> None:
    g.pop(_STATE, None)


published.connect(_forget_state)
