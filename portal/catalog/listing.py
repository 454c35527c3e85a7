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
from ..publish import memo
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
    items: list  # those the final privacy guard let through (`_shown`)
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
    if facet.param == "department":
        # On the item's own column, so that the facet's index serves it (no join to sort through).
        return model.department_id == select(Department.id).where(Department.code == value).scalar_subquery()
    return _column(model, facet) == value


def _order(model, declared: Kind, sort: str) -> list:
    return [getattr(model, c).desc() if desc else getattr(model, c) for c, desc in declared.sort(sort).order]


def sort_order(kind: str, sort: str) -> list:
    """The ORDER BY of a kind's list in one of its declared sort orders."""
    return _order(MODELS[kind], KINDS[kind], sort)


def id_query(model, conditions: list, order: list, page: int, page_size: int):
    """The ids of one page of live items under `conditions`, in `order`."""
    return (select(model.id).where(model.withdrawn_at.is_(None), *conditions).order_by(*order)
            .limit(page_size).offset((page - 1) * page_size))


def default_list_query(kind: str, facet: str | None = None, value: str = "x", page: int = 1, page_size: int = 20):
    """The id query of a kind's list in its default order, under one facet when named."""
    declared, model = KINDS[kind], MODELS[kind]
    conditions = [_condition(model, f, value) for f in facets_of(declared) if f.param == facet]
    return id_query(model, conditions, _order(model, declared, declared.sorts[0].key), page, page_size)


def page_of(session: Session, model, conditions: list, order: list, page: int, page_size: int) -> list:
    """One page of live items: ids first, along an index, then only those rows, in one statement.

    Sorting and skipping ids costs what walking the index does, so a deep page
    costs about what the first does; whole rows (their records) are read for the
    page alone.
    """
    ids = id_query(model, conditions, order, page, page_size).subquery()
    return list(session.scalars(select(model).join(ids, model.id == ids.c.id).order_by(*order)))


def _shown(session: Session, model, key: tuple, conditions: list, order: list, page: int, page_size: int) -> list:
    """One page of live items (`page_of`) less those the final privacy guard withholds.

    Which ids a page shows is the same in every language and format: they are chosen once per
    state of the database (`key` names the list, its filters and order), and later renders read
    those rows alone, by id. The guard runs on every render.
    """
    chosen: list = []

    def choose() -> list[int]:
        chosen.extend(page_of(session, model, conditions, order, page, page_size))
        return [item.id for item in chosen]

    ids = memo.per_revision(session, ("page ids", *key, page, page_size), choose)
    if not chosen and ids:
        found = {item.id: item for item in session.scalars(select(model).where(model.id.in_(ids)))}
        chosen = [found[i] for i in ids if i in found]
    return guard.public_items(chosen)


def list_items(session: Session, kind: str, args, page: int, page_size: int) -> Listing:
    """Return page `page` of `kind` filtered and sorted as the query `args` (strings) asks."""
    declared, model = KINDS[kind], MODELS[kind]
    facets = facets_of(declared)
    filters = {f.param: args[f.param] for f in facets if args.get(f.param)}
    conditions = {p: _condition(model, f, filters[p]) for f in facets if (p := f.param) in filters}
    sort = args.get("sort") or declared.sorts[0].key
    try:
        order = _order(model, declared, sort)
    except KeyError:
        raise NotFound("sort") from None

    chosen = tuple(sorted(filters.items()))
    total = memo.per_revision(session, ("total", kind, chosen), lambda: session.scalar(
        select(func.count()).select_from(model).where(model.withdrawn_at.is_(None), *conditions.values())))
    pages = max(1, math.ceil(total / page_size))
    if page > pages:
        raise NotFound("page")
    # The final privacy guard leaves out any item that would show a complainant's data.
    items = _shown(session, model, (kind, chosen, sort), list(conditions.values()), order, page, page_size)
    counts = [FacetCounts(f, _kept_counts(session, declared, model, f, conditions, filters), filters.get(f.param))
              for f in facets]
    return Listing(kind, items, total, page, pages, page_size, sort, filters, counts)


def _kept_counts(session, declared: Kind, model, facet: Facet, conditions, filters) -> list[tuple[str, int]]:
    """A facet's counts under the other filters, kept until the next publish."""
    others = tuple(sorted((p, v) for p, v in filters.items() if p != facet.param))
    return memo.per_revision(session, ("facet", declared.name, facet.param, others),
                             lambda: _facet_counts(session, declared, model, facet, conditions))


def department_section(session: Session, kind: str, department: Department, page_size: int) -> tuple[list, int]:
    """The first `page_size` of a department's live items of one kind, in the kind's default order
    (less any the guard withholds), and how many it has in all."""
    declared, model = KINDS[kind], MODELS[kind]
    mine = [model.department_id == department.id]
    total = memo.per_revision(session, ("total", kind, (("department", department.code),)), lambda: session.scalar(
        select(func.count()).select_from(model).where(model.withdrawn_at.is_(None), *mine)))
    order = _order(model, declared, declared.sorts[0].key)
    key = (kind, (("department", department.code),), declared.sorts[0].key)
    return _shown(session, model, key, mine, order, 1, page_size), total


def _facet_counts(session, declared: Kind, model, facet, conditions) -> list[tuple[str, int]]:
    """Counts per value of one facet, under every other filter (so choices stay visible)."""
    others = [c for p, c in conditions.items() if p != facet.param]
    column = _column(model, facet)
    if facet.several:
        return _several_counts(session, model, facet, others)
    query = select(column, func.count()).select_from(model).where(model.withdrawn_at.is_(None), *others)
    if facet.param == "department":
        # Counted by department id (the live rows' index on it covers the count), then named: joining
        # every item to its department first cost a lookup per item.
        counted = (select(model.department_id, func.count().label("n")).where(model.withdrawn_at.is_(None), *others)
                   .group_by(model.department_id).subquery())
        query = (select(Department.code, counted.c.n).join(counted, counted.c.department_id == Department.id)
                 .order_by(Department.code))
    elif facet.integer:
        query = query.group_by(column).order_by(column.desc())
    else:
        query = query.group_by(column)
    values = [(str(v), n) for v, n in session.execute(query)]
    choices = getattr(declared.field(facet.param), "choices", None) if facet.param != "department" else None
    if choices:
        # Vocabularies have a meaningful order (优秀 before 良好); keep it.
        values.sort(key=lambda pair: choices.index(pair[0]) if pair[0] in choices else len(choices))
    return values


def _several_counts(session, model, facet: Facet, others) -> list[tuple[str, int]]:
    """Counts per value of a several-valued facet, in the vocabulary's order (values no item holds left out)."""
    # One pass: each stored combination (|个人|法人|) counted once, then split into its values (a
    # LIKE scan per value read every row once per value).
    counts = dict.fromkeys(facet.several, 0)
    for stored_values, n in session.execute(select(_column(model, facet), func.count()).where(
            model.withdrawn_at.is_(None), *others).group_by(_column(model, facet))):
        for value in (stored_values or "").strip("|").split("|"):
            if value in counts:
                counts[value] += n
    return [(value, n) for value, n in counts.items() if n]
