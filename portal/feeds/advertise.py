"""Which feed the current page advertises (<link rel="alternate" type="application/atom+xml">).

Pages do not need to know about feeds: the page's endpoint and arguments say
which scope it shows — the home page the whole site, a kind's list that kind
(or a department's kind when filtered by department), a department page that
department, the change log whatever it is filtered to.
"""

from __future__ import annotations

from flask import request
from sqlalchemy.exc import SQLAlchemyError

from ..catalog import lookup
from ..catalog.changes import Scope
from ..catalog.listing import NotFound
from ..extensions import db
from ..schemas import KINDS
from . import scopes


def _scope() -> Scope | None:
    endpoint, args = request.endpoint, request.view_args or {}
    # A list's filter is in its path (…/by/department/<code>/) or, with several, in the query.
    query = {**request.args, **({args["facet"]: args["value"]} if args.get("facet") else {})}
    if endpoint in ("home.index", "feeds.index", "changes.revisions"):
        return Scope()
    if endpoint == "disclosures.listing":
        return Scope(query.get("department") or None, args.get("kind"))
    if endpoint == "disclosures.appraisal_year":
        return Scope(kind="appraisals")
    if endpoint == "departments.detail":
        return Scope(department=args.get("code"))
    if endpoint == "changes.index":
        kind = query.get("kind")
        return Scope(query.get("department") or None, kind if kind in KINDS else None)
    if endpoint == "changes.revision":
        kind = args.get("kind")
        return Scope(args.get("department"), kind if kind in KINDS else None)
    return None


def page_feeds() -> dict:
    """Template context: `page_feeds`, the feeds the current page advertises (maybe none)."""
    scope = _scope() if request else None
    if scope is None:
        return {"page_feeds": []}
    department = None
    if scope.department:
        try:
            department = lookup.department(db.session, scope.department)
        except NotFound:
            return {"page_feeds": []}  # a department that does not exist has no feed
        except SQLAlchemyError:
            return {"page_feeds": []}  # rendering an error page while the database is down
    return {"page_feeds": [scopes.link(scope, department)]}
