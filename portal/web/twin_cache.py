"""JSON twins kept until the data changes: a twin asked for again is sent as the view wrote it.

A twin is a function of the database (the revision log, and the privacy office's
confirmations the final guard honours) and of its URL. Each worker keeps the twins
its views wrote, by URL, for one state of the database: one cheap statement per
request reads the state (the newest revision, which every publish, withdrawal and
purge makes, and the confirmations), and a different state, reached through this
server or another sharing the database, forgets them all. So a twin is never older
than the request's own reading of the database, as when the view runs.

What is kept is the view's answer before the after-request hooks (security headers,
Traditional conversion, CORS), which run again on every answer, kept or not. Only
public twins are kept: a 200 answer to a GET that set no cookie, outside the API, and
not search (its index follows the log a little later). No twin depends on who asks: the
desk, accounts and login pages have none, and no public view reads the login.
A twin is also kept for TWIN_CACHE_SECONDS at most (a figure that depends on the date
moves on), and a worker keeps TWIN_CACHE_BYTES at most, the least recently asked
for going first; 0 turns the cache off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Flask, Response, current_app, g, request
from sqlalchemy import func, select

from ..extensions import db
from ..models import PrivacyConfirmation, Revision
from .twins import is_twin

_KEY = "portal.twin_cache"
# Blueprints whose twins do not follow the database alone.
_NOT_KEPT = {"search"}


class _Store:
    """One worker's kept twins, all of one state of the database."""

    def __init__(self) -> None:
        self.state: tuple | None = None
        self.answers: OrderedDict[str, tuple[float, int, list, bytes]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def forget_all(self, state: tuple) -> None:
        self.state, self.answers, self.size = state, OrderedDict(), 0


def _state() -> tuple:
    """The database's state as far as a public twin depends on it, in one statement."""
    newest = select(Revision.id).order_by(Revision.id.desc()).limit(1)
    row = db.session.execute(select(
        newest.scalar_subquery(),
        select(Revision.hash).order_by(Revision.id.desc()).limit(1).scalar_subquery(),
        select(func.count(PrivacyConfirmation.id)).scalar_subquery(),
        select(func.max(PrivacyConfirmation.id)).scalar_subquery(),
        # The office's second confirmation is written into the row its department made.
        select(func.count(PrivacyConfirmation.office_confirmed_at)).scalar_subquery())).one()
    return (str(db.session.get_bind().url), *row)


def _keeps() -> bool:
    rule = request.url_rule
    return (current_app.config.get("TWIN_CACHE_BYTES", 0) > 0 and request.method == "GET" and is_twin(rule)
            and request.blueprint not in _NOT_KEPT and not request.path.startswith("/api/"))


def _store() -> _Store:
    return current_app.extensions.setdefault(_KEY, _Store())


def _key() -> str:
    return request.host + request.full_path


def send_kept() -> Response | None:
    """before_request: the kept twin for this URL and this state of the database, if any."""
    if not _keeps():
        return None
    store, state, key = _store(), _state(), _key()
    with store.lock:
        if store.state != state:
            store.forget_all(state)
        kept = store.answers.get(key)
        if kept is None or kept[0] < time.monotonic():
            g.twin_cache_state = state  # the view runs: `keep` keeps its answer for this state
            return None
        store.answers.move_to_end(key)
    _expires, status, headers, body = kept
    return Response(body, status=status, headers=headers)


def keep(response: Response) -> Response:
    """after_request (the first to run): keep a public twin the view just wrote."""
    state = g.pop("twin_cache_state", None)
    if (state is None or response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Set-Cookie" in response.headers):
        return response
    body = response.get_data()
    limit = current_app.config["TWIN_CACHE_BYTES"]
    if len(body) > limit // 8:
        return response  # one answer may not push out most of the others
    expires = time.monotonic() + current_app.config["TWIN_CACHE_SECONDS"]
    store, key = _store(), _key()
    with store.lock:
        if store.state != state:
            return response  # the database moved on while the view ran
        old = store.answers.pop(key, None)
        store.size -= len(old[3]) if old else 0
        store.answers[key] = (expires, response.status_code, list(response.headers.items()), body)
        store.size += len(body)
        while store.size > limit:
            _key_out, (_e, _s, _h, dropped) = store.answers.popitem(last=False)
            store.size -= len(dropped)
    return response


def init_app(app: Flask) -> None:
    """Send kept twins before the view runs; keep what the view wrote, before any other hook."""
    app.before_request(send_kept)  # registered last: the projections' catch-up hooks run first
    app.after_request(keep)  # registered last, so run first
