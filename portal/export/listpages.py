"""Fingerprints of every list page the export writes, so that an incremental run rewrites a list
page only when what it shows has changed.

A list page (a kind, at most one filter, a sort order, a page number) shows the items on it,
the list's total and number of pages, and on its first page the facet counts under its filter
(later pages the facet values alone). All of that follows from each live item's place in each
sort order, its facet values and its own content, which a few queries per kind read at once: a
page's fingerprint hashes exactly those inputs. After a publish, the pages whose fingerprint
differs from the last export's are rewritten (the changed items' pages in every order and
filter they belong to, before and after the change, and the pages after them whose boundaries
moved), pages that no longer exist are removed, and the rest are left as they are.

The pages enumerated are the ones the export's links reach: each kind's list unfiltered, under
every facet value some live item holds, and under every department (department pages link
their list of each kind, even an empty one); in every sort order; every page of each.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog import lookup
from ..catalog.listing import facets_of, sort_order
from ..models import MODELS
from ..schemas import KINDS
from ..web.paths import path_values

ListKey = tuple[str, str, str, str, int]  # kind, facet ("" unfiltered), value, sort, page


def key_text(key: ListKey) -> str:
    """A list page's key as the export's state file writes it."""
    return "\t".join(map(str, key))


def key_of(text: str) -> ListKey:
    """The key `key_text` wrote."""
    kind, facet, value, sort, page = text.split("\t")
    return kind, facet, value, sort, int(page)


def url_values(key: ListKey) -> dict:
    """The url_for values (less language and format) of a list page."""
    kind, facet, value, sort, page = key
    return {"kind": kind, **path_values({facet: value} if facet else {}, sort, page, KINDS[kind].sorts[0].key)}


def key_from_values(values: dict) -> ListKey | None:
    """The key of the list page url_for `values` name, or None when they name several filters."""
    kind = values.get("kind")
    if kind not in KINDS:
        return None
    declared = KINDS[kind]
    filters = [f.param for f in facets_of(declared) if f.param in values]
    if filters or (values.get("facet") is None) != (values.get("value") is None):
        return None
    sort = values.get("sort") or declared.sorts[0].key
    return kind, values.get("facet") or "", str(values.get("value") or ""), sort, int(values.get("page") or 1)


def _digest(value) -> str:
    return hashlib.blake2b(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode(),
                           digest_size=12).hexdigest()


def _several(stored: str | None) -> set[str]:
    """The values a several-valued column holds (stored as `|a|b|`)."""
    return {v for v in (stored or "").split("|") if v}


def fingerprints(session: Session, page_size: int) -> dict[str, str]:
    """Every exported list page's fingerprint, by `key_text`."""
    departments = {d.id: d.code for d in lookup.departments(session)}
    found: dict[str, str] = {}
    for name in KINDS:
        content, values = _live_items(session, name, departments)
        lists = _lists(name, values, departments.values())
        panels = _panels(name, values, lists)
        for sort in KINDS[name].sorts:
            order = session.scalars(select(MODELS[name].id).where(MODELS[name].withdrawn_at.is_(None))
                                    .order_by(*sort_order(name, sort.key)))
            ordered: dict[tuple[str, str], list[int]] = {key: [] for key in lists}
            for item_id in order:  # each list in this order: the whole order, less what it filters out
                ordered[("", "")].append(item_id)
                for param, held in values[item_id].items():
                    for value in held:
                        if (param, value) in ordered:
                            ordered[(param, value)].append(item_id)
            for (param, value), ids in ordered.items():
                total, pages = len(ids), max(1, math.ceil(len(ids) / page_size))
                for page in range(1, pages + 1):
                    shown = [content[i] for i in ids[(page - 1) * page_size:page * page_size]]
                    panel = panels[(param, value)][0 if page == 1 else 1]
                    key = key_text((name, param, value, sort.key, page))
                    found[key] = _digest([total, pages, panel, shown])
    return found


def _live_items(session: Session, name: str, departments: dict[int, str]) -> tuple[dict, dict]:
    """Each live item's content digest and its values of each facet, by id."""
    declared, model = KINDS[name], MODELS[name]
    facets = facets_of(declared)
    columns = [getattr(model, f.param) for f in facets if f.param != "department"]
    content: dict[int, str] = {}
    values: dict[int, dict[str, set[str]]] = {}
    rows = session.execute(select(model.id, model.department_id, model.code, model.title, model.record,
                                  model.revision_id, model.updated_at, model.screened, *columns)
                           .where(model.withdrawn_at.is_(None)))
    for item_id, department_id, code, title, record, revision, updated, screened, *held in rows:
        content[item_id] = _digest([code, title, record, revision, updated, screened])
        mine, others = {}, iter(held)
        for facet in facets:
            if facet.param == "department":
                mine[facet.param] = {departments[department_id]}
            elif facet.several:
                mine[facet.param] = _several(next(others)) & set(facet.several)
            else:
                mine[facet.param] = {str(next(others))}  # as the facet counts spell it
        values[item_id] = mine
    return content, values


def _lists(name: str, values: dict, departments: Iterable[str]) -> dict[tuple[str, str], set[int]]:
    """The kind's lists (facet, value; ("", "") unfiltered) that the export writes, with their members."""
    members: dict[tuple[str, str], set[int]] = defaultdict(set)
    members[("", "")] = set(values)
    if "department" in KINDS[name].facets:
        for code in departments:  # a department's page links its list of each kind, even an empty one
            members.setdefault(("department", code), set())
    for item_id, mine in values.items():
        for param, held in mine.items():
            for value in held:
                members[(param, value)].add(item_id)
    # A value that cannot be a path segment has no page of its own (its links keep a query string).
    return {key: ids for key, ids in members.items() if not key[0] or "facet" in path_values(dict([key]))}


def _panels(name: str, values: dict, lists: dict) -> dict[tuple[str, str], tuple[str, str]]:
    """Each list's facet panel as a first page shows it (counts under the list's filter, its own
    facet counted without it) and as later pages do (the values alone), digested."""
    facets = [f.param for f in facets_of(KINDS[name])]
    overall = {f: Counter(v for mine in values.values() for v in mine[f]) for f in facets}
    panels = {}
    for (param, value), ids in lists.items():
        shown = {f: overall[f] if f == param else Counter(v for i in ids for v in values[i][f]) for f in facets}
        panels[(param, value)] = (_digest({f: sorted(c.items()) for f, c in shown.items()}),
                                  _digest({f: sorted(c) for f, c in shown.items()}))
    return panels
