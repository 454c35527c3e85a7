"""The change log, each revision with its field-by-field diff, and the hash chain of revisions."""

from __future__ import annotations

from flask import abort, current_app, request

from ..catalog import chain, changes, lookup
from ..catalog.describe import describe_all
from ..catalog.listing import NotFound
from ..extensions import db
from ..schemas import KINDS
from . import serialize_changes
from .i18n import localized_blueprint
from .twins import respond, route

bp = localized_blueprint("changes", __name__)

KIND = "any(powers,services,commitments,appraisals,complaints)"


def _page() -> int:
    page = request.args.get("page", "1")
    if not page.isdigit():
        abort(404)
    return int(page)


@route(bp, "/changes/")
def index(fmt):
    """The change log: what was added, changed and withdrawn, filtered (department, kind,
    action, from, to) and paginated (?page=N), newest first."""
    config = current_app.config
    try:
        log = changes.change_log(
            db.session, request.args, config["PAGE_SIZE"], config["BABEL_DEFAULT_TIMEZONE"]
        )
    except NotFound:
        abort(404)
    return respond(
        fmt,
        "changes/index.html",
        {
            "log": log,
            "entries": describe_all(db.session, log.events) if fmt == "html" else [],
            "departments": lookup.departments(db.session),
            "kinds": KINDS,
            "actions": changes.ACTIONS,
        },
        lambda: serialize_changes.change_log(log),
    )


@route(bp, f"/changes/<department>/<{KIND}:kind>/<int:number>/")
def revision(department, kind, number, fmt):
    """One revision: who published what and when, every change it made field by field, and
    its place in the hash chain."""
    try:
        found = chain.revision(db.session, department, kind, number)
    except NotFound:
        abort(404)
    events = changes.revision_events(db.session, found)
    return respond(
        fmt,
        "changes/revision.html",
        {
            "revision": found,
            "revision_kind": KINDS[kind],
            "entries": describe_all(db.session, events) if fmt == "html" else [],
            "neighbours": chain.neighbours(db.session, found),
        },
        lambda: {
            **serialize_changes.revision(found),
            "changes": [serialize_changes.change(e) for e in events],
        },
    )


@route(bp, "/changes/revisions/")
def revisions(fmt):
    """The hash chain, a page at a time, newest first; its JSON twin is the whole chain,
    oldest first, for anyone to archive and check."""
    try:
        page = chain.chain_page(db.session, _page(), current_app.config["PAGE_SIZE"])
    except NotFound:
        abort(404)
    return respond(
        fmt,
        "changes/revisions.html",
        {"chain": page},
        lambda: serialize_changes.chain(chain.whole_chain(db.session)),
    )
