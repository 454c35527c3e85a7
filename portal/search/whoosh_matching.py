"""Matching a query plan in one index segment, from raw postings.

* a Han phrase of n ≥ 3 characters needs only about n/2 bigrams — a cover of
  the phrase whose bigrams sit at fixed offsets (工程规划 = 工程@0 + 规划@2),
  chosen to be the rarest such set — intersected by document and then checked
  by position;
* a two-character phrase is one posting list; one character expands to the
  bigrams that start with it;
* words are exact terms (or prefixes, with a trailing *); codes match the
  `codes` field exactly or by prefix.
"""

from __future__ import annotations

import numpy as np

from ..schemas import KINDS
from .index_terms import bigrams
from .matches import (DOC, EMPTY, SHIFT, Matches, both, either, from_postings, intersect, narrowed, present,
                      start_docs, starts_found)
from .query_plan import QueryPlan, Term
from .lru import BoundedLRU
from .whoosh_leaves import Leaf
from .whoosh_postings import read_postings

# How many lexicon terms a prefix or a single character may expand to.
MAX_EXPANSION = 2000
NO_KEYS = np.zeros(0, np.int64)
# A phrase's bigram is read only where its candidates are once they are fewer than one in this many
# of the bigram's documents.
NARROW_FROM = 64


def bigram_cover(dfs: list[int]) -> list[int]:
    """The offsets of the cheapest set of bigrams that together cover every character.

    Bigram i covers characters i and i+1; consecutive chosen offsets may be at
    most 2 apart, and the first and last bigrams are always needed.
    """
    n = len(dfs)
    best: list[tuple[int, list[int]]] = []
    for i in range(n):
        if i == 0:
            best.append((dfs[0], [0]))
            continue
        options = [best[i - 1]] + ([best[i - 2]] if i >= 2 else [])
        cost, path = min(options, key=lambda c: c[0])
        best.append((cost + dfs[i], path + [i]))
    return best[-1][1]


class LeafMatcher:
    """Which documents of a segment match terms, phrases and codes.

    Two caches, each bounded in bytes: `matches` keeps what terms, phrases and
    expansions matched (8 bytes a document), so a query asked again reads nothing;
    `positions` keeps the position keys phrases are checked against (8 bytes an
    occurrence, many more), which only a new phrase needs. Every result is shared
    with a cache: never modify its arrays.
    """

    def __init__(self, matches: BoundedLRU, positions: BoundedLRU):
        self.matches, self.positions_cache = matches, positions

    def forget(self, sids: set[str]) -> None:
        """Drop what was read of every segment not in `sids`."""
        for cache in (self.matches, self.positions_cache):
            cache.forget(lambda key: key[0] in sids)

    def docs(self, leaf: Leaf, fieldname: str, term: str) -> np.ndarray:
        """The documents of a segment that contain a term (deleted ones included), ascending."""
        return np.array(read_postings(leaf.reader, fieldname, term)[0], DOC)

    def df(self, leaf: Leaf, fieldname: str, term: str) -> int:
        """How many documents of a segment contain a term."""
        return leaf.reader.doc_frequency(fieldname, term)

    def expand(self, leaf: Leaf, fieldname: str, prefix: str) -> list[str]:
        """The terms of a segment that start with `prefix` (at most MAX_EXPANSION)."""
        terms = []
        for btext in leaf.reader.expand_prefix(fieldname, prefix):
            terms.append(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
            if len(terms) >= MAX_EXPANSION:
                break
        return terms

    def _read(self, leaf: Leaf, fieldname: str, term: str) -> np.ndarray | None:
        """Read a term's postings once: keep its matches, return its position keys."""
        found, keys = from_postings(*read_postings(leaf.reader, fieldname, term))
        self.matches.get((leaf.sid, fieldname, term), lambda: found)
        return keys

    def freqs(self, leaf: Leaf, fieldname: str, term: str) -> Matches:
        """The documents of a segment with a term, and its occurrences in each."""
        return self.matches.get((leaf.sid, fieldname, term), lambda: from_postings(
            *read_postings(leaf.reader, fieldname, term), keys=False)[0])

    def positions(self, leaf: Leaf, fieldname: str, term: str) -> np.ndarray:
        """A term's occurrences as ascending keys doc << 32 | position."""
        return self.positions_cache.get((leaf.sid, fieldname, term),
                                        lambda: self._read(leaf, fieldname, term))

    def union(self, leaf: Leaf, fieldname: str, terms: list[str]) -> Matches:
        """The documents with any of `terms` (a prefix's or a character's expansion), occurrences summed.

        The union is what is kept: the expansion's terms are read once, not each cached.
        """
        def load():
            return either([from_postings(*read_postings(leaf.reader, fieldname, t), keys=False)[0]
                           for t in terms])

        return self.matches.get((leaf.sid, fieldname, tuple(terms)), load)

    def positions_within(self, leaf: Leaf, fieldname: str, term: str, docs: np.ndarray,
                         df: int) -> np.ndarray:
        """A term (in `df` documents) and its occurrences in `docs` (ascending) as position keys,
        perhaps with others'. All of them, read whole and kept, unless `docs` are few against `df`:
        then read from the blocks that may hold one of them alone (not kept). Many candidates
        touch nearly every block, and the whole list kept serves the next phrase with this bigram."""
        kept = self.positions_cache.peek((leaf.sid, fieldname, term))
        if kept is not None:
            return kept
        if len(docs) * NARROW_FROM >= df:
            return self.positions(leaf, fieldname, term)
        keys = from_postings(*read_postings(leaf.reader, fieldname, term, docs))[1]
        return keys if keys is not None else NO_KEYS

    def phrase(self, leaf: Leaf, fieldname: str, chars: str, within: np.ndarray | None = None) -> Matches:
        """The documents with the Han string `chars`, and how many times each has it (only those of
        `within`, ascending, when given: the other parts of a term narrow the phrase check)."""
        if len(chars) == 1:
            return self.union(leaf, fieldname, [chars, *self.expand(leaf, fieldname, chars)])
        grams = bigrams(chars)
        if len(grams) == 1:
            return self.freqs(leaf, fieldname, grams[0])
        key = (leaf.sid, fieldname, chars, "phrase")
        if within is not None:
            kept = self.matches.peek(key)
            return kept if kept is not None else self._cover_phrase(leaf, fieldname, grams, within)
        return self.matches.get(key, lambda: self._cover_phrase(leaf, fieldname, grams))

    def _costly(self, leaf: Leaf, fieldname: str, chars: str) -> bool:
        """Whether a phrase needs a position check not yet kept."""
        return len(chars) > 2 and self.matches.peek((leaf.sid, fieldname, chars, "phrase")) is None

    def _cover_phrase(self, leaf: Leaf, fieldname: str, grams: list[str],
                      within: np.ndarray | None = None) -> Matches:
        """The cover's bigrams checked rarest first. Only the rarest is read whole (and kept), unless
        `within` names the candidates; each other is read in the blocks that hold a candidate
        left, so a phrase of a rare and a common bigram reads little of the common one."""
        sizes = [self.df(leaf, fieldname, g) for g in grams]
        if not all(sizes):
            return EMPTY
        offsets = sorted(bigram_cover(sizes), key=sizes.__getitem__)
        starts = None
        if within is None:
            starts = self.positions(leaf, fieldname, grams[offsets[0]]) - offsets[0]
            offsets = offsets[1:]
        for offset in offsets:
            docs = within if starts is None else start_docs(starts)
            if not len(docs):
                return EMPTY
            keys = self.positions_within(leaf, fieldname, grams[offset], docs, sizes[offset])
            if starts is None:  # the first read holds other documents of its blocks too
                starts = keys - offset
                starts = starts[present(within, starts >> SHIFT)]
            else:
                starts = narrowed(starts, offset, keys)
        return starts_found(starts)

    def term(self, leaf: Leaf, term: Term, fieldname: str) -> Matches:
        """The documents with every part of a term in one field, occurrences summed."""
        parts: list[Matches] = []
        phrases = term.phrases
        if len(phrases) + len(term.words) > 1:
            # A lone character between letters or digits (第3条, 2024年) narrows little and
            # expands to hundreds of bigrams: the other parts decide.
            phrases = [p for p in phrases if len(p) > 1]
        # Phrases that need a position check come last, checked only where the other parts match.
        costly = [p for p in phrases if self._costly(leaf, fieldname, p)]
        for phrase in phrases:
            if phrase not in costly:
                parts.append(self.phrase(leaf, fieldname, phrase))
        for index, word in enumerate(term.words):
            if term.prefix and index == len(term.words) - 1:
                parts.append(self.union(leaf, fieldname, self.expand(leaf, fieldname, word)))
            else:
                parts.append(self.freqs(leaf, fieldname, word))
        for phrase in costly:
            within = intersect([p.ids for p in parts]) if parts else None
            parts.append(self.phrase(leaf, fieldname, phrase, within))
        if not parts:
            return EMPTY
        parts.sort(key=len)
        found = parts[0]
        for part in parts[1:]:
            found = both(found, part)
        return found

    def any_wording(self, leaf: Leaf, term: Term, fieldname: str) -> Matches:
        """The documents with a term or any of its other wordings (synonyms) in one field."""
        found = self.term(leaf, term, fieldname) if (term.phrases or term.words) else EMPTY
        return either([found, *(self.term(leaf, other, fieldname) for other in term.alternatives)])

    def code(self, leaf: Leaf, code: str) -> np.ndarray:
        """The documents of a segment with `code` among their codes, exactly or else by prefix."""
        exact = self.docs(leaf, "codes", code)
        if len(exact):
            return exact
        return np.unique(np.concatenate([exact, *(self.docs(leaf, "codes", t)
                                                  for t in self.expand(leaf, "codes", code))])).astype(DOC)

    def own_code(self, leaf: Leaf, code: str) -> np.ndarray:
        """The documents of a segment that are the item with this code (of any kind)."""
        return np.unique(np.concatenate([np.zeros(0, DOC), *(self.docs(leaf, "id", f"{kind}:{code}")
                                                             for kind in KINDS)])).astype(DOC)

    def match(self, leaf: Leaf, plan: QueryPlan) -> list[Matches]:
        """Per term: the documents with it in the full text, and how often (a code match counts once)."""
        per_term = []
        for term in plan.terms:
            found = self.any_wording(leaf, term, "all")
            if term.code:
                codes = self.code(leaf, term.code)
                found = either([found, Matches(codes, np.ones(len(codes), DOC))])
            per_term.append(found)
        return per_term
