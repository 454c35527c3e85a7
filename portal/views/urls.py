"""Every public URL of an item, department or event is built here, with url_for.

Templates and JSON twins call these so that a page's address is decided in one
place (and the static export can follow every link).
"""

from __future__ import annotations

from flask import request, url_for

from ..models import Department


def item_url(kind: str, code: str, fmt: str = "html", **extra) -> str:
    """The page (or JSON twin) of an item of `kind` with `code`.

    Appraisal results live on their year's ranking page, anchored at the department.
    """
    if kind == "appraisals":
        year, _, department = code.partition("-")
        if fmt == "json":
            return url_for("disclosures.appraisal_year", year=int(year), fmt="json", **extra)
        return url_for("disclosures.appraisal_year", year=int(year), _anchor=department, **extra)
    return url_for("disclosures.detail", kind=kind, code=code, fmt=fmt, **extra)


def list_url(kind: str, fmt: str = "html", **params) -> str:
    """The list page (or JSON twin) of `kind` with filter and page parameters."""
    return url_for("disclosures.listing", kind=kind, fmt=fmt, **params)


def department_url(department: Department | str, fmt: str = "html", **extra) -> str:
    """The page of a department (given as a model or its code)."""
    code = department if isinstance(department, str) else department.code
    return url_for("departments.detail", code=code, fmt=fmt, **extra)


def twin_url(fmt: str = "json") -> str:
    """The current page's twin in another format, keeping its query parameters."""
    return url_for(request.endpoint, **{**request.view_args, "fmt": fmt}, **request.args.to_dict())
