"""Every public URL of an item, department or event is built here, with url_for.

Templates and JSON twins call these so that a page's address is decided in one
place (and the static export can follow every link).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import request, url_for

from ..models import Department
from ..schemas import KINDS
from .paths import path_values
from .requests import query_args

# The change log's filters that a path can carry (its dates always stay in the query).
CHANGE_FILTERS_IN_PATH = ("department", "kind", "action")


def item_url(kind: str, code: str, fmt: str = "html", **extra) -> str:
    """The page (or JSON twin) of an item of `kind` with `code`.

    Appraisal results live on their year's ranking page, anchored at the department.
    """
    if kind == "departments":  # a department's own change event
        return department_url(code, fmt, **extra)
    if kind == "appraisals":
        year, _, department = code.partition("-")
        if fmt == "json":
            return url_for("disclosures.appraisal_year", year=int(year), fmt="json", **extra)
        return url_for("disclosures.appraisal_year", year=int(year), _anchor=department, **extra)
    return url_for("disclosures.detail", kind=kind, code=code, fmt=fmt, **extra)


def list_url(kind: str, fmt: str = "html", sort: str | None = None, page: int = 1, _external: bool = False,
             **filters) -> str:
    """The list page (or JSON twin) of `kind` with filters, sort and page: in its path where they
    fit (`paths`), the default order and page 1 left out."""
    if kind not in KINDS:  # "departments" (a department's change event) are listed at their own index
        return url_for("departments.index", fmt=fmt, _external=_external)
    values = path_values(filters, sort, page, KINDS[kind].sorts[0].key)
    return url_for("disclosures.listing", kind=kind, fmt=fmt, _external=_external, **values)


def department_url(department: Department | Mapping | str, fmt: str = "html", **extra) -> str:
    """The page of a department (given as a model, a twin's dict, or its code)."""
    code = _code(department)
    return url_for("departments.detail", code=code, fmt=fmt, **extra)


def flowchart_url(code: str) -> str:
    """The standalone SVG of a service's flowchart, in the current language."""
    return url_for("flowcharts.svg", code=code)


def twin_url(fmt: str = "json") -> str:
    """The current page's twin in another format, keeping its query parameters."""
    return url_for(request.endpoint, **{**request.view_args, "fmt": fmt}, **query_args())


def _code(department) -> str | None:
    if department is None or isinstance(department, str):
        return department
    return department["code"] if isinstance(department, Mapping) else department.code


def changes_url(fmt: str = "html", page: int | None = None, _external: bool = False, **params) -> str:
    """The change log (or its JSON twin) with filters: its front page, or archive page `page`
    (numbered from the oldest, `catalog.archives`); one department, kind or action and the page
    in its path (`paths`), dates and several filters in the query string."""
    values = path_values(params, None, None, pathable=CHANGE_FILTERS_IN_PATH)
    if page is not None:
        values["page"] = int(page)
    return url_for("changes.index", fmt=fmt, _external=_external, **values)


def revision_url(revision, fmt: str = "html", code: str | None = None, page: int = 1, **extra) -> str:
    """A revision's page (or JSON twin): page `page` of its changes (omitted for 1), anchored at
    one item's change when `code` is given (catalog.changes.revision_pages says on which page)."""
    anchor = {"_anchor": f"change-{code}"} if code and fmt == "html" else {}
    paged = path_values({}, None, page)
    return url_for("changes.revision", department=revision.department.code, kind=revision.kind,
                   number=revision.number, fmt=fmt, **paged, **anchor, **extra)


def revisions_url(fmt: str = "html", page: int | None = None, **params) -> str:
    """The hash chain of revisions: its front page, or archive page `page` (numbered from the
    oldest, `catalog.archives`) in the path; or the whole chain as open data (JSON)."""
    paged = {"page": int(page)} if page is not None and fmt == "html" else {}
    return url_for("changes.revisions", fmt=fmt, **params, **paged)


def feed_url(fmt: str = "atom", department=None, kind: str | None = None, **params) -> str:
    """The Atom or RSS feed of the whole site, a kind, a department, or a department's kind
    (with `page`, one of its archive documents, numbered from the oldest)."""
    scope = {"department": _code(department), "kind": kind}
    if params.get("page") is None:
        params.pop("page", None)
    return url_for("feeds.feed", fmt=fmt, **{k: v for k, v in scope.items() if v}, **params)
