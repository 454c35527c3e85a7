"""Ranking search hits: tiers first, then BM25 over the full text and (doubled) the title.

Hits are ranked by: the item's own code typed in full, then all terms in the
title, then the whole query as one exact phrase, then how many terms the title
has, then BM25. Documents fall into groups by those tiers; BM25 orders a group,
and only the groups the requested page reaches are scored at all. A group is
scored in one vectorised pass, whatever its size; equal scores keep index order.
"""

from __future__ import annotations

import math

import numpy as np

from .matches import Matches, freqs_of, present
from .query_plan import QueryPlan
from .whoosh_leaves import B, K1, Leaf
from .whoosh_matching import LeafMatcher

__all__ = ["B", "K1", "rank"]


def _tiers(matcher: LeafMatcher, plan: QueryPlan, leaf: Leaf, docs: np.ndarray, exact_phrase: bool):
    """Each document's tier key as one integer ordered like the tuple (own code, all terms in the
    title, exact phrase, terms in the title), the tuples, and the title matches per term."""
    n = len(plan.terms)
    title_freqs = [matcher.any_wording(leaf, t, "title") for t in plan.terms]
    in_title = np.zeros(len(docs), np.int64)
    for found in title_freqs:
        in_title += present(found.ids, docs)
    if exact_phrase:
        exact = present(matcher.phrase(leaf, "all", plan.joined).ids, docs)
    else:
        exact = np.ones(len(docs), bool)
    own = np.zeros(len(docs), bool)
    for t in plan.terms:
        if t.code:
            own |= present(matcher.own_code(leaf, t.code), docs)
    codes = ((own * 2 + (in_title == n)) * 2 + exact) * (n + 1) + in_title
    keys = {}
    for code in np.unique(codes).tolist():
        count = code % (n + 1)
        rest = code // (n + 1)
        keys[code] = (bool(rest >= 4), bool(rest % 4 >= 2), bool(rest % 2), count)
    return codes, keys, title_freqs


def _scores(leaf: Leaf, members: np.ndarray, per_term: list[Matches], title_freqs: list[Matches],
            idf: list[float]) -> np.ndarray:
    """BM25 of each member over the full text, plus (title matches) BM25 on the title counted double:
    a short title that is mostly the query is the most specific hit."""
    score = np.zeros(len(members))
    norm = leaf.norms[members]
    for weight, found in zip(idf, per_term):
        if len(found):
            f = freqs_of(found, members)
            score += weight * f / (f + norm)
    norm = leaf.title_norms[members]
    for weight, found in zip(idf, title_freqs):
        if len(found):
            f = freqs_of(found, members)
            score += 2 * weight * f / (f + norm)
    return score


def rank(matcher: LeafMatcher, plan: QueryPlan, matched, selected, df: list[int], n_docs: int,
         wanted: int) -> list[tuple[tuple, int, Leaf, int]]:
    """The best `wanted` hits, in order, as (tier key, global docnum, leaf, doc).

    `matched` holds (leaf, docs, per_term) and `selected` (leaf, docs kept by the
    filters) for the same segments; `df` is each term's document frequency over
    the index of `n_docs` documents.
    """
    idf = [math.log(1 + (n_docs - n + 0.5) / (n + 0.5)) for n in df]
    exact_phrase = len(plan.terms) > 1 and len(plan.joined) >= 2 and all(
        t.phrases and not t.words and not t.code for t in plan.terms)
    groups: dict[tuple, list] = {}
    for (leaf, docs), (_, _, per_term) in zip(selected, matched):
        if not len(docs):
            continue
        codes, keys, title_freqs = _tiers(matcher, plan, leaf, docs, exact_phrase)
        for code, key in keys.items():
            members = docs[codes == code]
            groups.setdefault(key, []).append((leaf, per_term, members, title_freqs if key[3] else ()))
    ranked: list[tuple[tuple, int, Leaf, int]] = []
    for key in sorted(groups, reverse=True):
        if len(ranked) >= wanted:
            break
        scores, numbers, leaves, docs = [], [], [], []
        for index, (leaf, per_term, members, title_freqs) in enumerate(groups[key]):
            scores.append(_scores(leaf, members, per_term, title_freqs, idf))
            numbers.append(members.astype(np.int64) + leaf.offset)
            leaves.append(np.full(len(members), index))
            docs.append(members)
        scores, numbers = np.concatenate(scores), np.concatenate(numbers)
        leaves, docs = np.concatenate(leaves), np.concatenate(docs)
        # Best score first; among equal scores, the lower document number.
        best = np.lexsort((numbers, -scores))[:wanted - len(ranked)]
        for at in best.tolist():
            ranked.append((key, int(numbers[at]), groups[key][leaves[at]][0], int(docs[at])))
    return ranked
