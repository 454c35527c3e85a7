"""List and detail pages of every declared disclosure kind."""

from __future__ import annotations

from flask import abort, current_app

from ..catalog import flowcharts, limits, lookup
from ..catalog.listing import facets_of, list_items
from ..extensions import db
from ..i18n.display import department_name, lang
from ..privacy import guard
from ..publish import memo
from ..schemas import KINDS
from ..schemas.services import guide_presentation
from ..stats import appraisals
from ..web.locale import localized_blueprint, select_locale
from ..web.paths import canonical, list_params, path_values, route_list
from ..web.requests import or_404
from ..web.twins import render, route
from ..web.urls import flowchart_url
from . import scorecards, serialize

bp = localized_blueprint("disclosures", __name__)


@route_list(bp, "/<kind:kind>/")
def listing(kind, fmt, facet=None, value=None, sort=None, page=None):
    """A kind's list, filtered by its facets, sorted and paginated, each by its path
    (`paths`: …/by/<facet>/<value>/sort/<key>/page/<n>/); several filters in the query string."""
    declared = KINDS[kind]
    names = [f.param for f in facets_of(declared)]
    filters, sort, page = list_params(facet, value, sort, page, names)
    moved = canonical("disclosures.listing", {"kind": kind, "fmt": fmt, **path_values(
        filters, sort, page, declared.sorts[0].key)}, [*names, "sort", "page"])
    if moved:
        return moved
    result = or_404(list_items, db.session, kind, {**filters, "sort": sort}, page,
                    current_app.config["PAGE_SIZE"])
    # Every list page names the departments: read once per state of the database and language.
    names = memo.per_revision(db.session, ("department-names", lang()), lambda: {
        d.code: department_name(d) for d in lookup.departments(db.session)})
    return render(fmt, ["disclosures/list.html"], serialize.listing(result, names),
                  kind=declared, facet_specs=facets_of(declared))


@route(bp, "/<kind(pages=True):kind>/<code>/")
def detail(kind, code, fmt):
    """One item with the items it relates to, or the tombstone of a withdrawn one."""
    item = or_404(lookup.item, db.session, kind, code)
    guard.check_item(item)  # the final privacy guard: Withheld answers 451
    data = {**serialize.item_detail(item), "related": _related(item)}
    presentation = {}
    if kind in ("services", "commitments"):
        # Published for the public: a flow that takes longer than the promise is flagged.
        data["limit_contradiction"] = limits.contradiction(db.session, item.code)
    if kind == "services":
        presentation.update(guide_presentation(item.record))
        presentation["flowchart"] = flowcharts.chart(db.session, item, select_locale())
        presentation["walkthrough"] = flowcharts.walkthrough(item)
        if presentation["flowchart"]:
            data["flowchart_svg"] = flowchart_url(item.code)
    return render(fmt, [f"disclosures/{kind}.html", "disclosures/item.html"], data,
                  kind=KINDS[kind], item=data, **presentation)


def _related(item) -> dict:
    """The live items of other kinds the declaration relates to this one, as list rows."""
    related = {}
    for relation in KINDS[item.kind].related:
        value = item.record.get(relation.ours)
        found = lookup.related_items(db.session, relation.kind, relation.theirs, value) if value else []
        summaries = [serialize.item_summary(i, screened=True) for i in guard.public_items(found)]
        related[relation.kind] = summaries if relation.many else (summaries[0] if summaries else None)
    return related


@route(bp, "/appraisals/<int:year>/")
def appraisal_year(year, fmt):
    """A year's appraisal rankings, one per category: scores, grades, indicators, the bottom three,
    the change against the previous year, and a chart of each ranking."""
    groups = appraisals.ranking(db.session, year) or abort(404)
    shown = scorecards.ranking_charts(year, groups)
    data = {
        "kind": "appraisals",
        "year": year,
        "years": appraisals.years(db.session),
        "groups": groups,
        "charts": {category: chart["data"] for category, chart in shown.items()},
    }
    return render(fmt, "disclosures/appraisal_year.html", data, kind=KINDS["appraisals"], ranking_charts=shown)
