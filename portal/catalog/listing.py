"""List pages as data: filters, facet counts, sorting and pagination for any kind.

Everything comes from the kind's declaration (`portal.schemas`): its `facets`,
`sorts` and list `columns`. The HTML list, its JSON twin and the department
page all read the same `Listing`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import MODELS, Department
from ..privacy import guard
from ..schemas import KINDS, Kind
from ..schemas.fields import Integer
from ..schemas.values import Several, holds


class NotFound(LookupError):
    """A page number, parameter or code that names nothing; views answer 404."""


@dataclass(frozen=True)
class Facet:
    """A filter on one column: its URL parameter, label, and whether its values are numbers."""

    param: str
    label: str
    integer: bool = False
    # Several values per item (服务对象): counted and filtered per value of the vocabulary.
    several: tuple[str, ...] = ()


def facets_of(kind: Kind) -> list[Facet]:
    """The kind's facets as its declaration names them (the department facet spans the join)."""
    found = []
    for name in kind.facets:
        if name == "department":
            found.append(Facet("department", _l("所属部门")))
        else:
            declared = kind.field(name)
            found.append(Facet(name, declared.label, integer=isinstance(declared, Integer),
                               several=declared.choices if isinstance(declared, Several) else ()))
    return found


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
        if not (value.isascii() and value.isdigit() and len(value) < 10):
            raise NotFound(facet.param)
        return _column(model, facet) == int(value)
    if facet.several:
        if value not in facet.several:
            raise NotFound(facet.param)
        return holds(_column(model, facet), value)
    return _column(model, facet) == value


def _base(model):
    return (
        select(model)
        .join(Department, model.department_id == Department.id)
        .where(model.withdrawn_at.is_(None))
    )


def list_items(session: Session, kind: str, args, page: int, page_size: int) -> Listing:
    """Return page `page` of `kind` filtered and sorted as the query `args` (strings) asks."""
    declared, model = KINDS[kind], MODELS[kind]
    facets = facets_of(declared)
    filters = {f.param: args[f.param] for f in facets if args.get(f.param)}
    conditions = {p: _condition(model, f, filters[p]) for f in facets if (p := f.param) in filters}
    sort = args.get("sort") or declared.sorts[0].key
    try:
        order = declared.sort(sort).order
    except KeyError:
        raise NotFound("sort") from None

    query = _base(model).where(*conditions.values())
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, math.ceil(total / page_size))
    if page > pages:
        raise NotFound("page")
    columns = [getattr(model, c).desc() if desc else getattr(model, c) for c, desc in order]
    # The final privacy guard leaves out any item that would show a complainant's data.
    page_query = query.order_by(*columns).limit(page_size).offset((page - 1) * page_size)
    items = guard.public_items(session.scalars(page_query))
    counts = [_facet_counts(session, declared, model, f, conditions, filters.get(f.param)) for f in facets]
    return Listing(kind, items, total, page, pages, page_size, sort, filters, counts)


def department_section(session: Session, kind: str, department: Department) -> list:
    """A department's live items of one kind, in the kind's default order (less any the guard withholds)."""
    declared, model = KINDS[kind], MODELS[kind]
    order = [getattr(model, c).desc() if desc else getattr(model, c) for c, desc in declared.sorts[0].order]
    return guard.public_items(session.scalars(
        select(model).where(model.department_id == department.id, model.withdrawn_at.is_(None)).order_by(*order)
    ))


def _facet_counts(session, declared: Kind, model, facet, conditions, chosen) -> FacetCounts:
    """Counts per value of one facet, under every other filter (so choices stay visible)."""
    others = [c for p, c in conditions.items() if p != facet.param]
    column = _column(model, facet)
    if facet.several:
        return FacetCounts(facet, _several_counts(session, model, facet, others), chosen)
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
    choices = getattr(declared.field(facet.param), "choices", None) if facet.param != "department" else None
    if choices:
        # Vocabularies have a meaningful order (优秀 before 良好); keep it.
        values.sort(key=lambda pair: choices.index(pair[0]) if pair[0] in choices else len(choices))
    return FacetCounts(facet, values, chosen)


def _several_counts(session, model, facet: Facet, others) -> list[tuple[str, int]]:
    """Counts per value of a several-valued facet, in the vocabulary's order (values no item holds left out)."""
    column = _column(model, facet)
    base = (select(func.count()).select_from(model).join(Department, model.department_id == Department.id)
            .where(model.withdrawn_at.is_(None), *others))
    counts = [(value, session.scalar(base.where(holds(column, value)))) for value in facet.several]
    return [(value, n) for value, n in counts if n]
