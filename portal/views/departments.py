"""The department index and one page per department with all its disclosures."""

from __future__ import annotations

from flask import abort

from ..catalog import listing as catalog_listing
from ..catalog import lookup
from ..extensions import db
from ..models import MODELS
from . import serialize
from .i18n import localized_blueprint
from .twins import respond, route

bp = localized_blueprint("departments", __name__)

# How each kind is ordered on a department's page.
_ORDER = {
    "powers": lambda m: (m.power_type, m.code),
    "services": lambda m: (m.code,),
    "commitments": lambda m: (m.code,),
    "appraisals": lambda m: (m.year.desc(),),
    "complaints": lambda m: (m.received.desc(), m.code),
}


@route(bp, "/departments/")
def index(fmt):
    """Every department, grouped into 市直部门 and 乡镇街道."""
    departments = lookup.departments(db.session)
    groups: dict[str, list] = {}
    for department in departments:
        groups.setdefault(department.category, []).append(department)
    return respond(
        fmt,
        "departments/index.html",
        {"groups": groups},
        lambda: {"total": len(departments), "items": [serialize.department_full(d) for d in departments]},
    )


@route(bp, "/departments/<code>/")
def detail(code, fmt):
    """One department: its contacts and every live disclosure it publishes."""
    try:
        department = lookup.department(db.session, code)
    except catalog_listing.NotFound:
        abort(404)
    items = {kind: lookup.live_items(db.session, kind, department.id, _ORDER[kind]) for kind in MODELS}
    return respond(
        fmt,
        "departments/detail.html",
        {"department": department, "items": items},
        lambda: {
            **serialize.department_full(department),
            **{kind: [serialize.item_summary(i) for i in found] for kind, found in items.items()},
        },
    )
