"""The change log, each revision with its field-by-field diff, and the hash chain of revisions."""

from __future__ import annotations

from flask import abort, current_app, redirect, request

from ..catalog import chain, changes, lookup
from ..catalog.describe import describe_all
from ..extensions import db
from ..schemas import DEPARTMENTS, KINDS, declared
from . import serialize_changes
from ..web.locale import localized_blueprint
from ..web.paths import canonical, list_params, path_values, route_list
from ..web.requests import or_404
from ..web.urls import CHANGE_FILTERS_IN_PATH, changes_url, revisions_url
from ..web.twins import render, respond, route

bp = localized_blueprint("changes", __name__)

# The change log's filters (catalog.changes.parse_filters reads them).
CHANGE_FILTERS = ("department", "kind", "action", "from", "to")



@route_list(bp, "/changes/", sorts=False)
def index(fmt, facet=None, value=None, sort=None, page=None):
    """The change log: what was added, changed and withdrawn, filtered (department, kind,
    action, from, to), newest first: the front page shows the newest events and the total,
    archive pages (…/page/<n>/, numbered from the oldest: `catalog.archives`) the older ones.

    A page number in the query (`?page=N`) is the old newest-first numbering: it leads to the
    archive page holding that page's newest event, or to the front page."""
    config = current_app.config
    if facet is not None and facet not in CHANGE_FILTERS_IN_PATH:
        abort(404)
    legacy = page is None and request.args.get("page", "") != ""
    filters, _, number = list_params(facet, value, None, page, CHANGE_FILTERS)
    size, zone = config["PAGE_SIZE"], config["BABEL_DEFAULT_TIMEZONE"]
    if legacy:
        page = or_404(changes.legacy_archive, db.session, filters, number, size, zone)
        if fmt == "html":
            return redirect(changes_url(page=page, **filters), 302)  # where it leads moves as the log grows
    values = path_values(filters, pathable=CHANGE_FILTERS_IN_PATH) | ({"page": page} if page else {})
    moved = canonical("changes.index", {"fmt": fmt, **values}, [*CHANGE_FILTERS, "page"])
    if moved:
        return moved
    if page is not None and or_404(changes.not_archived_yet, db.session, filters, page, size, zone):
        return redirect(changes_url(fmt, **filters), 302)  # its events are on the front page for now
    log = or_404(changes.change_log, db.session, filters, page, size, zone)
    pages = changes.revision_pages(db.session, log.events, size)
    data = serialize_changes.change_log(log, describe_all(db.session, log.events), pages)
    return render(fmt, "changes/index.html", data, departments=lookup.department_names(db.session),
                  kinds={**KINDS, DEPARTMENTS.name: DEPARTMENTS}, actions=changes.ACTIONS,
                  archive=page is not None, archives=log.archives, newer_page=log.newer)


@route(bp, "/changes/<department>/<kind(reference=True):kind>/<int:number>/")
@route(bp, "/changes/<department>/<kind(reference=True):kind>/<int:number>/page/<int:page>/")
def revision(department, kind, number, fmt, page=None):
    """One revision: who published what and when, its changes field by field a page at a time
    (…/page/<n>/), and its place in the hash chain."""
    _, _, page = list_params(None, None, None, page, ())
    moved = canonical("changes.revision", {"department": department, "kind": kind, "number": number,
                                           "fmt": fmt, **path_values({}, None, page)}, ["page"])
    if moved:
        return moved
    found = or_404(chain.revision, db.session, department, kind, number)
    log = or_404(changes.revision_events, db.session, found, page, current_app.config["PAGE_SIZE"])
    data = serialize_changes.revision_page(found, log, describe_all(db.session, log.events))
    return render(fmt, "changes/revision.html", data, revision=found, revision_kind=declared(kind),
                  neighbours=chain.neighbours(db.session, found))


@route(bp, "/changes/revisions/")
@bp.route("/changes/revisions/page/<int:page>/", defaults={"fmt": "html"})
def revisions(fmt, page=None):
    """The hash chain: its front page shows the newest revisions, the total and the head; archive
    pages (…/page/<n>/, numbered from the oldest as the change log's: `catalog.archives`) the
    older ones. Its JSON twin is the whole chain, oldest first, for anyone to archive and check.

    A page number in the query (`?page=N`) is the old newest-first numbering: it leads to the
    archive page holding that page's newest revision, or to the front page."""
    size = current_app.config["PAGE_SIZE"]
    if fmt == "html":
        legacy = page is None and request.args.get("page", "") != ""
        _, _, number = list_params(None, None, None, page, ())
        if legacy:
            return redirect(revisions_url(page=or_404(chain.legacy_chain_page, db.session, number, size)), 302)
        moved = canonical("changes.revisions", {"fmt": fmt, **({"page": page} if page else {})}, ["page"])
        if moved:
            return moved
        if page is not None and chain.not_archived_yet(db.session, page, size):
            return redirect(revisions_url(), 302)  # its revisions are on the front page for now
    log = or_404(chain.chain_log, db.session, page if fmt == "html" else None, size)
    return respond(
        fmt,
        "changes/revisions.html",
        {"chain": log},
        lambda: serialize_changes.chain(chain.whole_chain(db.session)),
    )
