"""List and detail pages of the five disclosure kinds."""

from __future__ import annotations

from flask import abort, current_app, request

from ..catalog import flowcharts, lookup
from ..catalog.listing import LISTS, NotFound, list_items
from ..extensions import db
from ..i18n.display import department_name
from ..privacy import guard
from ..schemas import KINDS
from . import serialize
from .i18n import localized_blueprint, select_locale
from .twins import respond, route
from .urls import flowchart_url

bp = localized_blueprint("disclosures", __name__)

ALL_KINDS = "any(powers,services,commitments,appraisals,complaints)"
ITEM_KINDS = "any(powers,services,commitments,complaints)"


@route(bp, f"/<{ALL_KINDS}:kind>/")
def listing(kind, fmt):
    """A kind's list, filtered by its facets, sorted and paginated (?page=N)."""
    try:
        result = list_items(db.session, kind, request.args, current_app.config["PAGE_SIZE"])
    except NotFound:
        abort(404)
    return respond(
        fmt,
        f"disclosures/list_{kind}.html",
        {
            "kind": KINDS[kind],
            "result": result,
            "spec": LISTS[kind],
            "names": {d.code: department_name(d) for d in lookup.departments(db.session)},
        },
        lambda: serialize.listing(result),
    )


@route(bp, f"/<{ITEM_KINDS}:kind>/<code>/")
def detail(kind, code, fmt):
    """One item, or the tombstone of a withdrawn one."""
    try:
        item = lookup.item(db.session, kind, code)
    except NotFound:
        abort(404)
    guard.check_item(item)  # the final privacy guard: Withheld answers 451
    extra = _related(kind, item)
    return respond(
        fmt,
        f"disclosures/{kind}.html",
        {"kind": KINDS[kind], "item": item, "record": item.record, **extra},
        lambda: {**serialize.item_detail(item), **_twin_links(item, extra)},
    )


def _twin_links(item, related: dict) -> dict:
    """Links a detail twin carries besides the item's own: a service's drawn flowchart."""
    return {"flowchart_svg": flowchart_url(item.code)} if related.get("flowchart") else {}


def _related(kind, item) -> dict:
    """The items a detail page shows beside its own: a service's commitment and power item."""
    related = {}
    if kind == "powers":
        related["services"] = lookup.services_for_power(db.session, item.code)
    if kind == "services":
        related["commitment"] = _maybe(lambda: lookup.item(db.session, "commitments", item.code))
        if item.power_code:
            related["power"] = _maybe(lambda: lookup.item(db.session, "powers", item.power_code))
        related["flowchart"] = flowcharts.chart(db.session, item, select_locale())
        related["walkthrough"] = flowcharts.walkthrough(item)
    if kind == "commitments":
        related["service"] = _maybe(lambda: lookup.item(db.session, "services", item.code))
    return related


def _maybe(load):
    try:
        return load()
    except NotFound:
        return None


@route(bp, "/appraisals/<int:year>/")
def appraisal_year(year, fmt):
    """A year's appraisal ranking: scores, grades and indicators, bottom three marked."""
    try:
        groups = lookup.appraisal_year(db.session, year)
    except NotFound:
        abort(404)
    return respond(
        fmt,
        "disclosures/appraisal_year.html",
        {"kind": KINDS["appraisals"], "year": year, "groups": groups,
         "years": lookup.appraisal_years(db.session)},
        lambda: {
            "kind": "appraisals",
            "year": year,
            "groups": {
                category: [serialize.item_detail(r) for r in results]
                for category, results in groups.items()
            },
        },
    )
