"""Facet counts of a search: every facet counted under the other chosen facets, as on the list pages."""

from __future__ import annotations

from collections import Counter

from .documents import FACETS
from .whoosh_leaves import Leaf


def with_value(leaf: Leaf, name: str, value: str) -> set[int]:
    """The documents of a segment whose facet `name` is `value`, indexed once per segment."""
    index = leaf.by_value.get(name)
    if index is None:
        index = leaf.by_value[name] = {}
        for doc, found in enumerate(leaf.columns[name]):
            index.setdefault(found, set()).add(doc)
    return index.get(value, set())


def count_facets(matched, filters: dict[str, str]) -> tuple[dict[str, Counter], list[tuple[Leaf, set[int]]]]:
    """Facet counts over the matched documents, and per segment the documents every filter keeps.

    `matched` holds (leaf, docs, per_term) for each segment with matches.
    """
    facets: dict[str, Counter] = {name: Counter() for name in FACETS}
    chosen = {k: v for k, v in filters.items() if k in FACETS and v}
    selected: list[tuple[Leaf, set[int]]] = []
    for leaf, docs, _ in matched:
        columns = leaf.columns
        passes = {name: docs & with_value(leaf, name, value) for name, value in chosen.items()}
        for name in FACETS:
            pool = docs
            for other, ok in passes.items():
                if other != name:
                    pool = pool & ok
            facets[name].update(map(columns[name].__getitem__, pool))
        keep = docs
        for ok in passes.values():
            keep = keep & ok
        selected.append((leaf, keep))
    return facets, selected


def facet_listing(facets: dict[str, Counter]) -> dict[str, list[tuple[str, int]]]:
    """Each facet's values with their counts, most frequent first ("-", no value, left out)."""
    return {name: sorted(((v, n) for v, n in facets[name].items() if v != "-"),
                         key=lambda pair: (-pair[1], pair[0])) for name in FACETS}
