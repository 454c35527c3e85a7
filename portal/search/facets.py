"""Facet counts of a search: every facet counted under the other chosen facets, as on the list pages."""

from __future__ import annotations

from collections import Counter

import numpy as np

from .documents import FACETS
from .whoosh_leaves import Leaf


def count_facets(matched, filters: dict[str, str]
                 ) -> tuple[dict[str, Counter], list[tuple[Leaf, np.ndarray]]]:
    """Facet counts over the matched documents, and per segment the documents every filter keeps.

    `matched` holds (leaf, docs, per_term) for each segment with matches; `docs` is
    an ascending array of document numbers. Each count is one `bincount` over the
    segment's facet codes, however many documents matched.
    """
    facets: dict[str, Counter] = {name: Counter() for name in FACETS}
    chosen = {k: v for k, v in filters.items() if k in FACETS and v}
    selected: list[tuple[Leaf, np.ndarray]] = []
    for leaf, docs, _ in matched:
        passes = {name: leaf.codes[name][docs] == leaf.with_value(name, value)
                  for name, value in chosen.items()}
        for name in FACETS:
            pool = docs
            others = [ok for other, ok in passes.items() if other != name]
            if others:
                pool = docs[np.logical_and.reduce(others)]
            counts = np.bincount(leaf.codes[name][pool], minlength=len(leaf.values[name]))
            facets[name].update({leaf.values[name][i]: int(counts[i]) for i in np.flatnonzero(counts)})
        keep = docs[np.logical_and.reduce(list(passes.values()))] if passes else docs
        selected.append((leaf, keep))
    return facets, selected


def facet_listing(facets: dict[str, Counter]) -> dict[str, list[tuple[str, int]]]:
    """Each facet's values with their counts, most frequent first ("-", no value, left out)."""
    return {name: sorted(((v, n) for v, n in facets[name].items() if v != "-"),
                         key=lambda pair: (-pair[1], pair[0])) for name in FACETS}
