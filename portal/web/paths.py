"""Lists as paths: the page, one filter and the sort order live in the URL's path.

A static host cannot read a query string, so every list page a visitor reaches by
a link has an address of its own:

    /zh-hans/powers/                                   page 1, default order
    /zh-hans/powers/page/2/                            page 2
    /zh-hans/powers/by/power_type/行政许可/             one filter
    /zh-hans/powers/by/power_type/行政许可/sort/title/page/2/
    /zh-hans/powers/by/power_type/行政许可/page/2.json  its JSON twin

`by/` and `page/` make these at least two segments below the list, so they never
meet an item's one-segment address (`/zh-hans/powers/<code>/`), whatever its code.
Several filters at once (and the change log's dates) stay in the query string on
the path of the rest; the old query URLs redirect to their path (`canonical`). Search results
(`/zh-hans/search/by/kind/services/page/2/?q=…`, what was typed staying in the query) and feeds'
older pages (`/zh-hans/feeds/changes/page/2.atom`) use the same helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from flask import abort, redirect, request, url_for

from .requests import MAX_PAGE, page_number
from .twins import both

# What a list's path can carry besides its own arguments, in the order the path gives them.
_FACETED = "by/<facet>/<value>/"
_PAGED = "page/<int:page>/"
_SORTED = "sort/<sort>/"


def list_rules(base: str, sorts: bool = True) -> list[str]:
    """Every path rule of a list whose first page is `base` (ending in /)."""
    tails = ["", _PAGED] + ([_SORTED, _SORTED + _PAGED] if sorts else [])
    return [base + tail for tail in tails] + [base + _FACETED + tail for tail in tails]


def route_list(bp, base: str, sorts: bool = True, **options):
    """Register a list view under every path rule of `base`, each with its JSON twin."""

    def decorator(view):
        for rule in list_rules(base, sorts):
            for url, defaults in both(rule):
                bp.add_url_rule(url, view_func=view, defaults=defaults, **options)
        return view

    return decorator


def _in_path(value) -> bool:
    """Whether a filter value can be one path segment (and a file name in the export)."""
    text = str(value)
    return "/" not in text and "\\" not in text and text not in (".", "..") and not text.startswith("~")


def path_values(filters: dict, sort: str | None = None, page: int = 1, default_sort: str | None = None,
                pathable: Iterable[str] | None = None) -> dict:
    """The url_for values of a list page: one filter, the sort and the page in the path, where they fit.

    `pathable` names the filters that may go in the path (default: all); when any other is
    given, or more than one, every filter stays in the query string.
    """
    filters = {k: str(v) for k, v in filters.items() if v not in (None, "")}
    values: dict = {}
    allowed = set(filters) if pathable is None else set(pathable)
    if len(filters) == 1 and set(filters) <= allowed and _in_path(next(iter(filters.values()))):
        (name, value), = filters.items()
        values.update(facet=name, value=value)
    else:
        values.update(filters)
    if sort and sort != default_sort:
        values["sort"] = sort
    if page and int(page) > 1:
        values["page"] = int(page)
    return values


def list_params(facet: str | None, value: str | None, sort: str | None, page: int | None,
                names: Iterable[str]) -> tuple[dict, str | None, int]:
    """The filters, sort and page a list request asks for, by path or (the old way) by query.

    `names` are the list's filters; a path naming any other is a 404.
    """
    names = list(names)
    if facet is not None and facet not in names:
        abort(404)
    filters = {name: request.args[name] for name in names if request.args.get(name)}
    if facet is not None:
        filters[facet] = value
    if page is not None and not 1 <= page <= MAX_PAGE:
        abort(404)
    return filters, sort or request.args.get("sort") or None, page or page_number()


def canonical(endpoint: str, values: dict, known: Iterable[str]):
    """A redirect to `values`' address when the request asked for the same page another way
    (a page number, sort or filter in the query, page 1 or the default order in the path); else None.

    Only `known` query parameters count: others are neither kept nor a reason to redirect.
    JSON twins answer their documented query parameters as they are (the read API, see
    /api/openapi.json): programs are not sent round a redirect; their `next` links are paths.
    """
    if values.get("fmt") == "json":
        return None
    target = url_for(endpoint, **values)
    parts = urlsplit(target)
    known = set(known)
    asked = sorted((k, v) for k, v in request.args.items(multi=True) if k in known)
    if unquote(parts.path) == request.script_root + request.path and sorted(parse_qsl(parts.query)) == asked:
        return None
    return redirect(target, 301)
