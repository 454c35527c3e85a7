"""The indexes each kind's lists need, declared from the kind's own declaration.

A list page reads live items (`withdrawn_at IS NULL`), in the kind's default
order, optionally under one facet: so each kind gets one index on the live
filter followed by the default sort's columns (a page is then a walk along the
index, however deep), and one per facet leading with the facet's column (its
counts and its filtered pages read the index alone). Adding a facet or changing
a default sort in `portal.schemas` changes these; a migration then follows.
"""

from __future__ import annotations

from sqlalchemy import Index

from ..schemas import Kind
from ..schemas.values import Several


def _column(model, name: str):
    return getattr(model, "department_id" if name == "department" else name)


def list_indexes(model, kind: Kind) -> list[Index]:
    """The indexes of `model`'s table that cover `kind`'s live filter, default sort and facets."""
    table = model.__tablename__
    order = [_column(model, name).desc() if desc else _column(model, name) for name, desc in kind.sorts[0].order]
    found = [Index(f"ix_{table}_live_{kind.sorts[0].key}", model.withdrawn_at, *order)]
    for facet in kind.facets:
        if isinstance(kind.field(facet), Several):
            continue  # matched inside the stored list (LIKE '%|value|%'): no B-tree index serves it
        column = _column(model, facet)
        rest = [o for (name, _desc), o in zip(kind.sorts[0].order, order) if _column(model, name) is not column]
        found.append(Index(f"ix_{table}_{column.key}_live", column, model.withdrawn_at, *rest))
    return found
