"""The indexes each kind's lists need, declared from the kind's own declaration.

A list page reads live items (`withdrawn_at IS NULL`), in the kind's default
order, optionally under one facet: so each kind gets one index of its live rows
on the default sort's columns (a page is then a walk along the index, however
deep), and one per facet leading with the facet's column (its counts and its
filtered pages read the index alone). Each carries the other facets' columns
after its order, and `withdrawn_at`, so that a filtered list's counts of the
other facets, and the ids of a page, are read from the index too. Adding a facet or changing a default sort
in `portal.schemas` changes these; a migration then follows.

The indexes are partial, on the live rows only: PostgreSQL does not take
`withdrawn_at IS NULL` as an equality that fixes the order of an index that
begins with `withdrawn_at`, and sorted the rows it read; an index of the live
rows alone is in the list's order on both databases (and holds no tombstones).
The tombstones get an index of their own, on `withdrawn_at` (the export lists
them): an index of every row's `withdrawn_at` would tempt SQLite's planner,
which has no statistics, to look the live rows up by it and then sort them.
"""

from __future__ import annotations

from sqlalchemy import Index

from ..schemas import Kind
from ..schemas.values import Several


def _column(model, name: str):
    return getattr(model, "department_id" if name == "department" else name)


def _partial(name: str, where, *columns) -> Index:
    """An index of the rows that match `where` only, on `columns` (SQLite and PostgreSQL alike)."""
    return Index(name, *columns, sqlite_where=where, postgresql_where=where)


def list_indexes(model, kind: Kind) -> list[Index]:
    """The indexes of `model`'s table that cover `kind`'s live filter, default sort and facets,
    and its tombstones."""
    table, live = model.__tablename__, model.withdrawn_at.is_(None)
    sorted_by = [_column(model, name) for name, _desc in kind.sorts[0].order]
    order = [column.desc() if desc else column for column, (_name, desc) in zip(sorted_by, kind.sorts[0].order)]
    facets = [_column(model, facet) for facet in kind.facets]

    def carried(*leading) -> list:
        # The facets' columns after the order: the counts of every other facet under one filter
        # (and a several-valued facet's LIKE, which no B-tree seeks) read the index, not the rows.
        # Then `withdrawn_at`, NULL throughout: SQLite counts an index as covering a query only
        # when it holds every column the query names, the partial index's own condition included.
        taken = [*leading, *sorted_by]
        return [*(column for column in facets if not any(column is other for other in taken)), model.withdrawn_at]

    found = [_partial(f"ix_{table}_withdrawn_at", model.withdrawn_at.is_not(None), model.withdrawn_at),
             _partial(f"ix_{table}_live_{kind.sorts[0].key}", live, *order, *carried())]
    for facet, column in zip(kind.facets, facets):
        if isinstance(kind.field(facet), Several):
            continue  # matched inside the stored list (LIKE '%|value|%'): no B-tree index seeks it
        rest = [o for sorter, o in zip(sorted_by, order) if sorter is not column]
        found.append(_partial(f"ix_{table}_{column.key}_live", live, column, *rest, *carried(column)))
    return found


def figure_indexes(commitments, complaints) -> list[Index]:
    """The indexes the city's key figures are counted from without reading a row: the slowest
    commitments (by committed working days, then code), and each live complaint's finding,
    limit kept and people handled (the home page's sums)."""
    return [
        _partial("ix_commitments_live_slowest", commitments.withdrawn_at.is_(None),
                 commitments.committed_workdays.desc(), commitments.code),
        _partial("ix_complaint_cases_live_figures", complaints.withdrawn_at.is_(None),
                 complaints.finding, complaints.within_limit, complaints.handled_people),
    ]


def complaint_figure_indexes(complaints) -> list[Index]:
    """The indexes the complaint statistics are counted from without reading a record: each live
    case's department, working days, finding, limit kept and people handled (every figure but the
    categories, outcomes and months, in one pass grouped by department and days), and its outcome
    (the categories and months have the lists' indexes)."""
    live = complaints.withdrawn_at.is_(None)
    return [
        _partial("ix_complaint_cases_live_by_department", live, complaints.department_id,
                 complaints.working_days, complaints.finding, complaints.within_limit, complaints.handled_people),
        # With the key figures' columns after it: SQLite's planner, which has no statistics, takes
        # the narrowest index of the live cases for the home page's sums too, and it must cover them.
        _partial("ix_complaint_cases_outcome_live", live, complaints.outcome, complaints.finding,
                 complaints.within_limit, complaints.handled_people),
    ]


def gap_indexes(models: dict, checked) -> list[Index]:
    """An index of each live item's department and what it leaves empty (`left_empty`), for every
    kind with fields whose absence is named (`checked(kind)`): a department's gaps are a count."""
    return [_partial(f"ix_{model.__tablename__}_gaps_live", model.withdrawn_at.is_(None),
                     model.department_id, model.left_empty)
            for kind, model in models.items() if checked(kind)]
