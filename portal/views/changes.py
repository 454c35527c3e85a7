"""The change log, each revision with its field-by-field diff, and the hash chain of revisions."""

from __future__ import annotations

from flask import current_app

from ..catalog import chain, changes, lookup
from ..catalog.describe import describe_all
from ..extensions import db
from ..schemas import DEPARTMENTS, KINDS, declared
from . import serialize_changes
from ..web.locale import localized_blueprint
from ..web.requests import or_404, page_number, query_args
from ..web.twins import render, respond, route

bp = localized_blueprint("changes", __name__)



@route(bp, "/changes/")
def index(fmt):
    """The change log: what was added, changed and withdrawn, filtered (department, kind,
    action, from, to) and paginated (?page=N), newest first."""
    config = current_app.config
    log = or_404(changes.change_log, db.session, query_args(), page_number(), config["PAGE_SIZE"],
                 config["BABEL_DEFAULT_TIMEZONE"])
    pages = changes.revision_pages(db.session, log.events, config["PAGE_SIZE"])
    data = serialize_changes.change_log(log, describe_all(db.session, log.events), pages)
    return render(fmt, "changes/index.html", data, departments=lookup.departments(db.session),
                  kinds={**KINDS, DEPARTMENTS.name: DEPARTMENTS}, actions=changes.ACTIONS)


@route(bp, "/changes/<department>/<kind(reference=True):kind>/<int:number>/")
def revision(department, kind, number, fmt):
    """One revision: who published what and when, its changes field by field a page at a time
    (?page=N), and its place in the hash chain."""
    found = or_404(chain.revision, db.session, department, kind, number)
    log = or_404(changes.revision_events, db.session, found, page_number(), current_app.config["PAGE_SIZE"])
    data = serialize_changes.revision_page(found, log, describe_all(db.session, log.events))
    return render(fmt, "changes/revision.html", data, revision=found, revision_kind=declared(kind),
                  neighbours=chain.neighbours(db.session, found))


@route(bp, "/changes/revisions/")
def revisions(fmt):
    """The hash chain, a page at a time, newest first; its JSON twin is the whole chain,
    oldest first, for anyone to archive and check."""
    page = or_404(chain.chain_page, db.session, page_number(), current_app.config["PAGE_SIZE"])
    return respond(
        fmt,
        "changes/revisions.html",
        {"chain": page},
        lambda: serialize_changes.chain(chain.whole_chain(db.session)),
    )
