"""Evaluating a query plan over the segments of an open index: matches, facet counts, one ranked page."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

import numpy as np

from .facets import count_facets, facet_listing
from .matches import Matches, intersect
from .query_plan import QueryPlan
from .ranking import rank
from .results import Hit, Results
from .whoosh_leaves import Leaf
from .whoosh_matching import LeafMatcher


def matching(leaves: Iterable[Leaf], matcher: LeafMatcher,
             plan: QueryPlan) -> Iterator[tuple[Leaf, np.ndarray, list[Matches]]]:
    """Per segment with matches: its live documents that match every term, and each term's matches."""
    for leaf in leaves:
        per_term = matcher.match(leaf, plan)
        docs = leaf.live(intersect([m.ids for m in per_term]))
        if len(docs):
            yield leaf, docs, per_term


def evaluate(searcher, leaves: Iterable[Leaf], matcher: LeafMatcher, plan: QueryPlan,
             filters: dict[str, str], page: int, page_size: int) -> Results:
    """One page of ranked hits for `plan` under `filters`, with the total and the facet counts."""
    leaves = list(leaves)
    matched = list(matching(leaves, matcher, plan))
    # Each term's document frequency over the whole index, as BM25's idf wants it.
    df = [0] * len(plan.terms)
    for leaf, _docs, per_term in matched:
        for i, found in enumerate(per_term):
            df[i] += len(leaf.live(found.ids))
    facets, selected = count_facets(matched, filters)
    total = sum(len(docs) for _, docs in selected)
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    wanted = page * page_size
    ranked = rank(matcher, plan, matched, selected, df, max(1, searcher.doc_count()), wanted)
    hits = []
    for key, docnum, leaf, doc in ranked[(page - 1) * page_size:wanted]:
        stored = searcher.stored_fields(docnum)
        hits.append(Hit(kind=leaf.value("kind", doc), code=stored["code"], title=stored["heading"],
                        department=leaf.value("department", doc), text=stored.get("text", ""),
                        in_title=key[1], exact=key[2]))
    return Results(total=total, hits=hits, facets=facet_listing(facets), page=page, pages=pages,
                   page_size=page_size)


def results_bytes(results: Results) -> int:
    """About how much memory a page of results holds (its hits' texts, mostly)."""
    return 512 + sum(256 + 4 * (len(h.text) + len(h.title) + len(h.code)) for h in results.hits) + sum(
        96 * len(values) for values in results.facets.values())
