"""List pages as data: filters, facet counts, sorting and pagination for each kind.

`LISTS` says, per kind, which columns visitors filter on and how they sort; the
HTML list, its JSON twin and the department page all read it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import MODELS, Department
from ..privacy import guard
from ..schemas import KINDS


@dataclass(frozen=True)
class Facet:
    """A filter on one column: its URL parameter, label, and how values are shown."""

    param: str
    label: str
    integer: bool = False


@dataclass(frozen=True)
class ListSpec:
    """How a kind's list is filtered and sorted; the first sort is the default."""

    facets: tuple[Facet, ...]
    sorts: dict[str, tuple[str, tuple]]  # key → (label, ((column, descending), …))


DEPARTMENT = Facet("department", _l("所属部门"))
YEAR = Facet("year", _l("年度"), integer=True)

LISTS: dict[str, ListSpec] = {
    "powers": ListSpec(
        facets=(DEPARTMENT, Facet("power_type", _l("权力类型")), Facet("status", _l("状态"))),
        sorts={
            "code": (_l("按编码"), (("code", False),)),
            "title": (_l("按名称"), (("title", False), ("code", False))),
            "updated": (_l("最近更新"), (("updated_at", True), ("code", False))),
        },
    ),
    "services": ListSpec(
        facets=(DEPARTMENT, Facet("service_object", _l("服务对象")), Facet("case_type", _l("办件类型"))),
        sorts={
            "code": (_l("按编码"), (("code", False),)),
            "title": (_l("按名称"), (("title", False), ("code", False))),
            "visits": (_l("跑动次数最少"), (("visits", False), ("code", False))),
        },
    ),
    "commitments": ListSpec(
        facets=(DEPARTMENT,),
        sorts={
            "compression": (_l("压缩比例最高"), (("compression", True), ("code", False))),
            "code": (_l("按编码"), (("code", False),)),
            "committed": (_l("承诺时限最短"), (("committed_days", False), ("code", False))),
        },
    ),
    "appraisals": ListSpec(
        facets=(YEAR, DEPARTMENT, Facet("grade", _l("等次"))),
        sorts={
            "rank": (_l("按年度和名次"), (("year", True), ("rank", False), ("code", False))),
            "score": (_l("总分最高"), (("total_score", True), ("code", False))),
            "score_low": (_l("总分最低"), (("total_score", False), ("code", False))),
        },
    ),
    "complaints": ListSpec(
        facets=(YEAR, DEPARTMENT, Facet("category", _l("问题类别")), Facet("finding", _l("核查结论"))),
        sorts={
            "recent": (_l("最近受理"), (("received", True), ("code", True))),
            "slowest": (_l("办理最慢"), (("working_days", True), ("code", False))),
            "code": (_l("按编号"), (("code", False),)),
        },
    ),
}


class NotFound(LookupError):
    """A page number or parameter that names nothing; views answer 404."""


@dataclass
class FacetCounts:
    """One facet's values with their counts, and the value currently chosen."""

    facet: Facet
    values: list[tuple[str, int]] = field(default_factory=list)
    chosen: str | None = None


@dataclass
class Listing:
    """One page of a filtered, sorted list."""

    kind: str
    items: list
    total: int
    page: int
    pages: int
    page_size: int
    sort: str
    filters: dict[str, str]
    facets: list[FacetCounts]


def _column(model, facet: Facet):
    if facet.param == "department":
        return Department.code
    return getattr(model, facet.param)


def _condition(model, facet: Facet, value: str):
    if facet.integer:
        if not value.isdigit():
            raise NotFound(facet.param)
        return _column(model, facet) == int(value)
    return _column(model, facet) == value


def _base(model):
    return (
        select(model)
        .join(Department, model.department_id == Department.id)
        .where(model.withdrawn_at.is_(None))
    )


def list_items(session: Session, kind: str, args, page_size: int) -> Listing:
    """Return the page of `kind` that the query `args` (a mapping of strings) asks for."""
    model, spec = MODELS[kind], LISTS[kind]
    filters = {f.param: args[f.param] for f in spec.facets if args.get(f.param)}
    conditions = {p: _condition(model, f, filters[p]) for f in spec.facets if (p := f.param) in filters}
    sort = args.get("sort") or next(iter(spec.sorts))
    if sort not in spec.sorts:
        raise NotFound("sort")
    page = args.get("page", "1")
    if not str(page).isdigit() or int(page) < 1:
        raise NotFound("page")
    page = int(page)

    query = _base(model).where(*conditions.values())
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, math.ceil(total / page_size))
    if page > pages:
        raise NotFound("page")
    order = [getattr(model, c).desc() if desc else getattr(model, c) for c, desc in spec.sorts[sort][1]]
    # The final privacy guard leaves out any item that would show a complainant's data.
    page_query = query.order_by(*order).limit(page_size).offset((page - 1) * page_size)
    items = guard.public_items(session.scalars(page_query))
    facets = [_facet_counts(session, model, f, conditions, filters.get(f.param)) for f in spec.facets]
    return Listing(kind, items, total, page, pages, page_size, sort, filters, facets)


def _facet_counts(session, model, facet, conditions, chosen) -> FacetCounts:
    """Counts per value of one facet, under every other filter (so choices stay visible)."""
    others = [c for p, c in conditions.items() if p != facet.param]
    column = _column(model, facet)
    query = (
        select(column, func.count())
        .select_from(model)
        .join(Department, model.department_id == Department.id)
        .where(model.withdrawn_at.is_(None), *others)
        .group_by(column)
    )
    if facet.param == "department":
        query = query.order_by(column)
    elif facet.integer:
        query = query.order_by(column.desc())
    values = [(str(v), n) for v, n in session.execute(query)]
    choices = getattr(_schema_field(model.kind, facet.param), "choices", None)
    if choices:
        # Vocabularies have a meaningful order (优秀 before 良好); keep it.
        values.sort(key=lambda pair: choices.index(pair[0]) if pair[0] in choices else len(choices))
    return FacetCounts(facet, values, chosen)


def _schema_field(kind: str, name: str):
    try:
        return KINDS[kind].field(name)
    except KeyError:
        return None
