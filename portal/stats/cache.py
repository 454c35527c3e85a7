"""Figures kept until the next revision: computed once, not per request from every row."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Department, Revision

# Enough for every department's scorecard and every year of the sample city many times over;
# the oldest answers go first.
MAX_ENTRIES = 512

_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()


def revision_key(session: Session) -> tuple:
    """What the figures depend on: the database, its newest revision and its departments.

    Every publish (disclosures, departments, rollbacks, purges) adds a revision, so a
    new head means new figures; the department count guards databases filled
    without the door (tests that add a department directly).
    """
    head = session.scalar(select(func.max(Revision.id)))
    departments = session.scalar(select(func.count()).select_from(Department))
    return (str(session.get_bind().url), head, departments)


def per_revision(compute: Callable) -> Callable:
    """Decorate `compute(session, *args)` so that its answer is kept until the next revision.

    Answers must be plain values (numbers, text, lists, dicts), never models, and
    callers must not change them.
    """

    @functools.wraps(compute)
    def cached(session: Session, *args):
        key = (compute.__module__, compute.__qualname__, revision_key(session), args)
        with _lock:
            if key in _entries:
                _entries.move_to_end(key)
                return _entries[key]
        value = compute(session, *args)
        with _lock:
            _entries[key] = value
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        return value

    cached.uncached = compute
    return cached


def clear() -> None:
    """Forget every kept answer."""
    with _lock:
        _entries.clear()
