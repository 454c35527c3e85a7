"""The department index and one page per department with all its disclosures."""

from __future__ import annotations

from ..catalog import lookup
from ..catalog.listing import department_section
from ..extensions import db
from ..schemas import KINDS
from ..web.locale import localized_blueprint
from ..web.requests import or_404
from ..web.twins import render, route
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
    """One department: its contacts and every live disclosure it publishes, kind by kind."""
    department = or_404(lookup.department, db.session, code)
    kinds = sorted(KINDS.values(), key=lambda k: k.section)
    data = serialize.department_full(department)
    data["gaps"] = {}
    for kind in kinds:
        items = department_section(db.session, kind.name, department)
        data[kind.name] = [serialize.item_summary(i) for i in items]
        # The scorecard names what the department left unpublished (未公布设定依据: 3 项).
        gaps = {f.missing: sum(1 for i in items if i.record.get(f.name) in (None, "", []))
                for f in kind.fields if f.missing}
        data["gaps"][kind.name] = {missing: count for missing, count in gaps.items() if count}
    data["scorecard"], scorecard_charts = scorecards.department_scorecard(department.code)
    return render(fmt, "departments/detail.html", data, department=data, sections=kinds,
                  scorecard_charts=scorecard_charts)
