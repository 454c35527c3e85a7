"""Figures kept until the next revision: computed once, not per request from every row."""

from __future__ import annotations

import functools
from collections.abc import Callable

from sqlalchemy.orm import Session

from ..publish import memo


def per_revision(compute: Callable) -> Callable:
    """Decorate `compute(session, *args)` so that its answer is kept until the next revision
    (in the same per-process store as the lists' facet counts, `publish.memo`).

    Answers must be plain values (numbers, text, lists, dicts), never models, and
    callers must not change them.
    """

    @functools.wraps(compute)
    def cached(session: Session, *args):
        key = ("stats", compute.__module__, compute.__qualname__, args)
        return memo.per_revision(session, key, lambda: compute(session, *args))

    cached.uncached = compute
    return cached
