"""The department index and one page per department summarising its disclosures, kind by kind."""

from __future__ import annotations

from flask import current_app

from ..catalog import lookup
from ..catalog.listing import department_section
from ..extensions import db
from ..schemas import KINDS
from ..stats import transparency
from ..web.locale import localized_blueprint
from ..web.requests import or_404
from ..web.twins import render, route
from ..web.urls import list_url
from . import scorecards, serialize

bp = localized_blueprint("departments", __name__)


@route(bp, "/departments/")
def index(fmt):
    """Every department, grouped into 市直部门 and 乡镇街道."""
    departments = [serialize.department_full(d) for d in lookup.departments(db.session)]
    groups: dict[str, list] = {}
    for department in departments:
        groups.setdefault(department["category"], []).append(department)
    return render(fmt, "departments/index.html", {"total": len(departments), "items": departments},
                  groups=groups)


@route(bp, "/departments/<code>/")
def detail(code, fmt):
    """One department: its contacts and, kind by kind, how many live items it publishes, what it
    left unpublished, and the first page of them (its filtered list pages through the rest)."""
    department = or_404(lookup.department, db.session, code)
    kinds = sorted(KINDS.values(), key=lambda k: k.section)
    data = serialize.department_full(department)
    data["gaps"], data["totals"], data["lists"] = {}, {}, {}
    for kind in kinds:
        items, total = department_section(db.session, kind.name, department, current_app.config["PAGE_SIZE"])
        data[kind.name] = [serialize.item_summary(i, screened=True) for i in items]  # screened by department_section
        data["totals"][kind.name] = total
        data["lists"][kind.name] = list_url(kind.name, department=department.code)
        # The scorecard names what the department left unpublished (未公布设定依据: 3 项).
        data["gaps"][kind.name] = transparency.declared_gaps(db.session, department.code, kind.name)
    data["scorecard"], scorecard_charts = scorecards.department_scorecard(department.code)
    return render(fmt, "departments/detail.html", data, department=data, sections=kinds,
                  scorecard_charts=scorecard_charts)
