"""The feeds blueprint: Atom and RSS of the change log for the whole site, each kind, each
department and each department's kind, and /<lang>/feeds/ listing them all."""

from __future__ import annotations

from flask import current_app, redirect, request

from ..catalog import changes, lookup
from ..catalog.changes import Scope
from ..extensions import db
from ..feeds import scopes
from ..feeds.build import build_feed
from ..web.locale import localized_blueprint
from ..web.paths import canonical, list_params
from ..web.requests import or_404
from ..web.twins import render, route
from ..web.urls import feed_url

bp = localized_blueprint("feeds", __name__)

FORMAT = "<any(atom,rss):fmt>"
# Readers poll; a few minutes of caching spares the server, and revalidation is cheap (304).
MAX_AGE = 300


def _link(feed: scopes.FeedLink) -> dict:
    return {"title": feed.title, "atom": feed.atom, "rss": feed.rss}


@route(bp, "/feeds/")
def index(fmt):
    """Every feed, with a line on how to subscribe (and its JSON twin)."""
    catalogue = scopes.catalogue(lookup.departments(db.session))
    data = {
        "site": _link(catalogue["site"]),
        "kinds": {f.scope.kind: _link(f) for f in catalogue["kinds"]},
        "departments": [
            {
                "code": row["department"].code,
                "name": row["department"].name,
                "name_en": row["department"].name_en,
                **_link(row["all"]),
                "kinds": {f.scope.kind: _link(f) for f in row["kinds"]},
            }
            for row in catalogue["departments"]
        ],
    }
    return render(fmt, "feeds/index.html", data)


# Older entries are archive documents of their own, in the path (RFC 5005 links to them): a static copy of the
# site serves them as files. `…/changes/page/2.atom` is never an item's address: no kind is "changes",
# and a department's feeds are under `departments/`.
PAGED = "page/<int:page>."


@bp.route(f"/feeds/changes.{FORMAT}", defaults={"department": None, "kind": None})
@bp.route(f"/feeds/changes/{PAGED}{FORMAT}", defaults={"department": None, "kind": None})
@bp.route(f"/feeds/<kind:kind>.{FORMAT}", defaults={"department": None})
@bp.route(f"/feeds/<kind:kind>/{PAGED}{FORMAT}", defaults={"department": None})
@bp.route(f"/feeds/departments/<department>.{FORMAT}", defaults={"kind": None})
@bp.route(f"/feeds/departments/<department>/{PAGED}{FORMAT}", defaults={"kind": None})
@bp.route(f"/feeds/departments/<department>/<kind:kind>.{FORMAT}")
@bp.route(f"/feeds/departments/<department>/<kind:kind>/{PAGED}{FORMAT}")
def feed(fmt, department, kind, page=None):
    """A feed's subscription document, or one of its archive documents (…/page/<n>.atom, numbered
    from the oldest: RFC 5005 §4, `catalog.archives`), answering 304 when the reader's copy is
    current. The old `?page=N` (newest first) leads to the archive holding that page's newest
    entry, or to the subscription document."""
    legacy = page is None and request.args.get("page", "") != ""
    _, _, number = list_params(None, None, None, page, ())
    scope = {k: v for k, v in (("department", department), ("kind", kind)) if v}
    size = current_app.config["FEED_SIZE"]
    if legacy:  # where it leads moves as entries arrive
        return redirect(feed_url(fmt, **scope, page=or_404(changes.legacy_scope_archive, db.session,
                                                            Scope(department, kind), number, size)), 302)
    moved = canonical("feeds.feed", {"fmt": fmt, **scope, **({"page": page} if page else {})}, ["page"])
    if moved:
        return moved
    if page is not None and or_404(changes.scope_not_archived_yet, db.session, Scope(department, kind), page, size):
        return redirect(feed_url(fmt, **scope), 302)  # its entries are in the subscription document for now
    document = or_404(build_feed, db.session, Scope(department, kind), fmt, page, size)
    # A browser opening the feed asks for HTML first: it is answered as plain XML, the type
    # under which browsers apply the feed's XSL stylesheet (static/feed.xsl) and show a page.
    # Feed readers ask for the feed types (or anything) and get those.
    browser = any(value == "text/html" for value, _quality in request.accept_mimetypes)
    response = current_app.response_class(document.body, mimetype="application/xml" if browser else document.mimetype)
    response.vary.add("Accept")
    response.last_modified = document.updated
    response.add_etag()  # of the bytes: the same events give the same feed, so the same tag
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)
