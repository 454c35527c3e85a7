"""Public answers kept until the data changes: a page, twin or feed asked for again is sent as
it was first finished.

A public page, its JSON twin and a feed are functions of their URL (the language is in
the path) and of the database's state: the revision log, the privacy office's
confirmations the final guard honours, and the drawn flowcharts. Each worker keeps the answers its views wrote,
for one state of the database, in the store `publish.memo` keeps its figures in: one
cheap statement per request reads the state, and a different state, reached through
this server or another sharing the database, forgets them all. So an answer is never
older than the request's own reading of the database, as when the view runs, and it
was screened by the final guard when it was made, against the same confirmations.

What is kept is the finished answer, after the after-request hooks (security headers,
Traditional conversion, CORS) and the session's save: every one of them depends only on what
the key holds (the URL, the address it was asked at, the settings), so a kept answer is sent
as it was finished, without running them again (`AnswerKeepingFlask`); an answer with a
validator (a feed's ETag) is still answered 304 when the reader's copy is current. An answer
that varies on a request header (a feed: `Vary: Accept`) is kept once per value of that header.

Only public answers are kept: a 200 answer to a GET from a blueprint of public pages
(not search: its index follows the log a little later; not the open-data files page: the
downloads do too) that set no cookie, asked without the session cookie (a logged-in
user, a flashed message or a form's CSRF token all live in it), and not while the
static export runs. An answer is also kept for PAGE_CACHE_SECONDS at most (a figure that
depends on the date moves on; the site pages are files), and a worker keeps
PAGE_CACHE_BYTES at most, the least recently asked for going first; 0 turns it off.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request, session

from ..extensions import db
from ..publish import memo
from .kept_urls import UrlKeepingFlask
from .requests import address_key

# The blueprints of public pages whose answers follow the database alone.
PUBLIC = frozenset({"home", "departments", "disclosures", "pages", "changes", "feeds", "stats", "scorecards",
                    "apidocs"})
# Headers a kept answer may vary on besides the cookie (which a kept answer was made without).
_VARY_IGNORED = {"cookie", "accept-encoding"}
_SENT = "page_cache_sent"


def _keeps() -> bool:
    config = current_app.config
    return (config.get("PAGE_CACHE_BYTES", 0) > 0 and request.method == "GET" and request.blueprint in PUBLIC
            and not config.get("STATIC_EXPORT") and config["SESSION_COOKIE_NAME"] not in request.cookies)


def _base_key() -> tuple:
    return ("answer", *address_key(), request.full_path)


def _variant(base: tuple, headers: tuple[str, ...]) -> tuple:
    return (*base, *(request.headers.get(name, "") for name in headers))


def send_kept() -> Response | None:
    """before_request: the kept answer for this URL (and variant) in this state of the database, if any."""
    if not _keeps():
        return None
    base = _base_key()
    headers = memo.kept_answer(db.session, ("vary", *base)) or ()
    kept = memo.kept_answer(db.session, _variant(base, headers))
    if kept is None:
        g.page_cache_state = memo.state(db.session)  # the view runs: `keep` keeps its answer for this state
        return None
    status, header_items, body = kept
    response = Response(body, status=status, headers=header_items)
    if response.headers.get("ETag") or response.last_modified:
        response = response.make_conditional(request)
    setattr(g, _SENT, response)  # finished already: `AnswerKeepingFlask` sends it as it is
    return response


def keep(response: Response) -> Response:
    """Keep a public answer the view just wrote, as the hooks and the session finished it."""
    made_in = g.pop("page_cache_state", None)
    # A session the view wrote (a CSRF token, a flashed message) is a cookie: never kept.
    if (made_in is None or response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Set-Cookie" in response.headers or session.modified):
        return response
    config = current_app.config
    limit, seconds = config["PAGE_CACHE_BYTES"], config["PAGE_CACHE_SECONDS"]
    headers = tuple(sorted(name.lower() for name in response.vary if name.lower() not in _VARY_IGNORED))
    base = _base_key()
    body = response.get_data()
    if headers:
        memo.keep_answer(made_in, ("vary", *base), headers, 64, seconds, limit)
    memo.keep_answer(made_in, _variant(base, headers), (200, list(response.headers.items()), body),
                     len(body) + 64 * len(response.headers), seconds, limit)
    return response


class AnswerKeepingFlask(UrlKeepingFlask):
    """A Flask app whose public answers are kept when finished and sent again as they are (and
    whose URLs are built once: `kept_urls`)."""

    def process_response(self, response: Response) -> Response:
        """Run the after-request hooks and save the session, then keep the answer; a kept answer
        was finished when it was kept, so it is sent without them (no hook runs twice on it)."""
        if g.get(_SENT) is response:
            return response
        return keep(super().process_response(response))


def init_app(app: Flask) -> None:
    """Send kept answers before the view runs (the app keeps them: `AnswerKeepingFlask`)."""
    app.before_request(send_kept)  # registered last: the projections' catch-up hooks run first
