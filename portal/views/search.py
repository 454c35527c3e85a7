"""/<lang>/search?q=…: results from all five kinds, narrowed by facets, and their JSON twin."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from .. import search as searching
from ..catalog import lookup
from ..extensions import db
from ..i18n.display import department_name, shown_title, term
from ..schemas import KINDS
from ..schemas.powers import POWER_TYPES
from ..search.screened_hits import screened_query
from ..web.locale import localized_blueprint
from ..web.paths import canonical, list_params, path_values
from ..web.twins import render, route
from ..web.urls import department_url, item_url

bp = localized_blueprint("search", __name__)

FACET_PARAMS = searching.FACETS  # kind, department, power_type, year


def _ordered(name: str, values: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Facet values in a reader's order: kinds as the site lists them, years newest first."""
    if name == "kind":
        order = list(KINDS)
        return sorted(values, key=lambda p: order.index(p[0]) if p[0] in order else len(order))
    if name == "year":
        return sorted(values, key=lambda p: p[0], reverse=True)
    if name == "power_type":
        return sorted(values, key=lambda p: POWER_TYPES.index(p[0]) if p[0] in POWER_TYPES else 99)
    return values


def facet_label(name: str, value: str, names: dict[str, str]) -> str:
    """How a facet value reads on the page."""
    if name == "kind":
        return term(KINDS[value].label) if value in KINDS else value
    if name == "department":
        return names.get(value, value)
    if name == "year":
        from flask_babel import gettext

        return gettext("%(year)s年", year=value)
    return term(value)


def search_url(fmt: str = "html", q: str | None = None, page: int = 1, **filters) -> str:
    """The search page (or its twin) for `q`: one facet and the page in its path (…/search/by/kind/
    services/page/2/?q=…), what was typed and several facets in the query string."""
    values = path_values({k: v for k, v in filters.items() if k in FACET_PARAMS}, None, page or 1)
    return url_for("search.results", fmt=fmt, **({"q": q} if q else {}), **values)


# Further pages and a single facet of a search are paths, as a list's are (web.paths); the first
# page stays /search, where the search form sends what a visitor typed.
@route(bp, "/search")
@route(bp, "/search/page/<int:page>/")
@route(bp, "/search/by/<facet>/<value>/")
@route(bp, "/search/by/<facet>/<value>/page/<int:page>/")
def results(fmt, facet=None, value=None, page=None):
    """Search every kind; facets narrow by kind, department, power type and year."""
    filters, _, page = list_params(facet, value, None, page, FACET_PARAMS)
    filters = {name: v[:64] for name, v in filters.items()}
    q = request.args.get("q")
    values = {"fmt": fmt, **({"q": q} if q else {}), **path_values(filters, None, page)}
    moved = canonical("search.results", values, [*FACET_PARAMS, "page", "q"])
    if moved:
        return moved
    page_size = current_app.config["PAGE_SIZE"]
    plan, found = screened_query(db.session, q, filters, page, page_size)  # the final privacy guard too
    names = {d.code: department_name(d) for d in lookup.departments(db.session)}
    suggestions = searching.suggest(plan) if found is not None and not found.total and not plan.empty else []
    facets = {name: _ordered(name, found.facets.get(name, [])) for name in FACET_PARAMS} if found else {}
    data = _data(plan, found, filters, names, suggestions, facets)
    return render(fmt, "search/results.html", data, plan=plan, search_url=search_url,
                  static_export=bool(current_app.config.get("STATIC_EXPORT")),
                  static_kinds={name: term(k.label) for name, k in KINDS.items()},
                  single_character=len(plan.terms) == 1 and len(plan.joined) == 1 and not plan.terms[0].words,
                  max_query=searching.text.MAX_QUERY,
                  facet_titles={"kind": _l("类别"), "department": _l("部门"), "power_type": _l("权力类型"),
                                "year": _l("年度")})


def _snippets(stored: str, needles: list[str]) -> list[dict]:
    """Where a hit matched, field by field: the field's label, the passage plain and marked."""
    return [{"label": term(label), "text": str(html.striptags()), "html": html}
            for label, html in searching.text.labelled_snippets(stored, needles)]


def _data(plan, found, filters, names, suggestions, facets) -> dict:
    """The search page's data, which its twin is: the hits with their snippets (plain and marked)."""
    if found is None:
        return {"query": plan.raw, "error": "search index not built", "total": 0, "items": [],
                "filters": filters}
    needles = plan.highlights()
    params = {"q": plan.raw, **filters}
    return {
        "query": plan.raw,
        "truncated": plan.truncated,
        "total": found.total,
        "page": found.page,
        "pages": found.pages,
        "page_size": found.page_size,
        "filters": filters,
        "facets": {
            name: [{"value": v, "label": facet_label(name, v, names), "count": n} for v, n in values]
            for name, values in facets.items()
        },
        "items": [
            {
                "kind": hit.kind,
                "code": hit.code,
                "title": (title := shown_title(hit.kind, hit.title, names.get(hit.department, hit.department))),
                "url": item_url(hit.kind, hit.code),
                "json": item_url(hit.kind, hit.code, "json"),
                "department": {
                    "code": hit.department,
                    "name": names.get(hit.department, hit.department),
                    "url": department_url(hit.department),
                },
                # Where the words were found, field by field (申请材料 · 营业执照), plain and
                # with the matched words in <mark>, escaped: what the page shows.
                "snippets": (snippets := _snippets(hit.text, needles)),
                # All of them on one line, for readers of the twin that show a single snippet.
                "snippet": " · ".join(f"{s['label']}:{s['text']}" for s in snippets),
                "snippet_html": Markup(" · ").join(Markup("{}:{}").format(s["label"], s["html"])
                                                   for s in snippets),
                "title_html": searching.text.highlight(title, needles),
                "in_title": hit.in_title,
            }
            for hit in found.hits
        ],
        "suggestions": [{"q": s.q, "count": s.count, "url": search_url("json", q=s.q)} for s in suggestions],
        "next": search_url("json", **params, page=found.page + 1) if found.page < found.pages else None,
    }
