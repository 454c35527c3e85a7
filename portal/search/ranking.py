"""Ranking search hits: tiers first, then BM25 over the full text and (doubled) the title.

Hits are ranked by: the item's own code typed in full, then all terms in the
title, then the whole query as one exact phrase, then how many terms the title
has, then BM25. Documents fall into groups by those tiers; BM25 orders a group,
and only the groups the requested page reaches are scored at all.
"""

from __future__ import annotations

import heapq
import math

from .query_plan import QueryPlan
from .whoosh_leaves import Leaf
from .whoosh_matching import LeafMatcher

# BM25 parameters.
K1, B = 1.2, 0.75


def norms(leaf: Leaf, title: bool = False) -> list[float]:
    """BM25's length normalisation per document of a segment (full text or title), computed once."""
    name = "title_norms" if title else "norms"
    if getattr(leaf, name) is None:
        sizes = leaf.title_sizes if title else leaf.sizes
        average = max(1.0, sum(sizes) / max(1, len(sizes)))
        setattr(leaf, name, [K1 * (1 - B + B * size / average) for size in sizes])
    return getattr(leaf, name)


def _by_length(leaf: Leaf) -> list[int]:
    if leaf.by_length is None:
        found = norms(leaf)
        leaf.by_length = sorted(range(len(found)), key=found.__getitem__)
    return leaf.by_length


def contenders(leaf: Leaf, per_term, members: set[int], need: int):
    """The members that can be among the best `need` by BM25, without scoring them all.

    A document where every term occurs once scores (sum of idf) / (1 + norm): the
    shorter, the better. So the best are among the documents with a term more than
    once, and the `need` shortest of the others.
    """
    if len(members) <= 1000:
        return members
    repeated = {d for found in per_term for d, f in found.items() if f > 1} & members
    found = list(repeated)
    taken = 0
    for doc in _by_length(leaf):
        if doc in members and doc not in repeated:
            found.append(doc)
            taken += 1
            if taken >= need:
                break
    return found


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
    groups: dict[tuple, list[tuple[Leaf, list, set]]] = {}
    for (leaf, docs), (_, _, per_term) in zip(selected, matched):
        if not docs:
            continue
        title_freqs = [matcher.any_wording(leaf, t, "title") for t in plan.terms]
        titles = [found.keys() & docs for found in title_freqs]
        exact = set(matcher.phrase(leaf, "all", plan.joined)) & docs if exact_phrase else set()
        own = set()
        for t in plan.terms:
            if t.code:
                own |= matcher.own_code(leaf, t.code) & docs
        special = own.union(exact, *titles)
        keyed: dict[tuple, set] = {}
        for doc in special:
            in_title = sum(1 for found in titles if doc in found)
            key = (doc in own, in_title == len(plan.terms), doc in exact or not exact_phrase, in_title)
            keyed.setdefault(key, set()).add(doc)
        rest = docs - special
        if rest:
            keyed.setdefault((False, False, not exact_phrase, 0), set()).update(rest)
        for key, members in keyed.items():
            groups.setdefault(key, []).append((leaf, per_term, members, title_freqs if key[3] else ()))
    ranked: list[tuple[tuple, int, Leaf, int]] = []
    for key in sorted(groups, reverse=True):
        if len(ranked) >= wanted:
            break
        scored = []
        need = wanted - len(ranked)
        for leaf, per_term, members, title_freqs in groups[key]:
            text_norms = norms(leaf)
            weighted = [(w, found) for w, found in zip(idf, per_term) if found]
            # Title matches: BM25 on the title counts double (a short title that is mostly
            # the query is the most specific hit), on top of the full text's.
            title_norms = norms(leaf, title=True) if title_freqs else None
            in_titles = [(2 * w, found) for w, found in zip(idf, title_freqs) if found]
            for doc in contenders(leaf, per_term, members, need):
                score = 0.0
                norm = text_norms[doc]
                for weight, found in weighted:
                    f = found.get(doc, 0)
                    score += weight * f / (f + norm)
                if in_titles:
                    norm = title_norms[doc]
                    for weight, found in in_titles:
                        f = found.get(doc, 0)
                        score += weight * f / (f + norm)
                scored.append((score, -(leaf.offset + doc), leaf, doc))
        for score, negative, leaf, doc in heapq.nlargest(wanted - len(ranked), scored):
            ranked.append((key, -negative, leaf, doc))
    return ranked
