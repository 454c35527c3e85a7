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

from array import array
from itertools import compress

from ..schemas import KINDS
from .index_terms import bigrams
from .query_plan import QueryPlan, Term
from .whoosh_leaves import Leaf, PostingsCache
from .whoosh_postings import decode_positions, read_postings

# How many lexicon terms a prefix or a single character may expand to.
MAX_EXPANSION = 2000


def _occurrences(value) -> int:
    return (len(value) >> 2 if isinstance(value, bytes) else 0) or 1


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
    """Which documents of a segment match terms, phrases and codes (decoded postings cached)."""

    def __init__(self, cache: PostingsCache):
        self.cache = cache

    def docs(self, leaf: Leaf, fieldname: str, term: str) -> set[int]:
        """The documents of a segment that contain a term (deleted ones included)."""
        return set(read_postings(leaf.reader, fieldname, term)[0])

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

    def freqs(self, leaf: Leaf, fieldname: str, term: str) -> dict[int, int]:
        """{doc: occurrences} of a term in one segment (shared: never modify it)."""
        def load():
            ids, values = read_postings(leaf.reader, fieldname, term)
            return dict(zip(ids, map(_occurrences, values)))

        return self.cache.get((leaf.sid, fieldname, term, "f"), load)

    def union(self, leaf: Leaf, fieldname: str, terms: list[str]) -> dict[int, int]:
        """{doc: occurrences} of any of `terms` in one segment, summed."""
        found: dict[int, int] = {}
        get = found.get
        for term in terms:
            for doc, count in self.freqs(leaf, fieldname, term).items():
                found[doc] = get(doc, 0) + count
        return found

    def phrase(self, leaf: Leaf, fieldname: str, chars: str) -> dict[int, int]:
        """{doc: occurrences} of the Han string `chars` in one segment (shared: never modify it)."""
        if len(chars) == 1:
            return self.union(leaf, fieldname, [chars, *self.expand(leaf, fieldname, chars)])
        grams = bigrams(chars)
        if len(grams) == 1:
            return self.freqs(leaf, fieldname, grams[0])
        return self.cache.get((leaf.sid, fieldname, chars, "p"), lambda: self._cover_phrase(leaf, fieldname, grams))

    def positions(self, leaf: Leaf, fieldname: str, term: str) -> tuple[dict, dict]:
        """A term's positions per document: ({doc: position} where it occurs once, {doc: positions})."""
        def load():
            ids, values = read_postings(leaf.reader, fieldname, term)
            once = [len(v) == 4 for v in values]
            # Decode every single position in one go: the values are packed uint32s.
            positions = array("I")
            positions.frombytes(b"".join(compress(values, once)))
            single = dict(zip(compress(ids, once), positions))
            several = {d: decode_positions(v) for d, v, o in zip(ids, values, once) if not o}
            return single, several

        return self.cache.get((leaf.sid, fieldname, term, "pos"), load)

    def _cover_phrase(self, leaf: Leaf, fieldname: str, grams: list[str]) -> dict[int, int]:
        sizes = [self.df(leaf, fieldname, g) for g in grams]
        if not all(sizes):
            return {}
        offsets = bigram_cover(sizes)
        terms = [(o, *self.positions(leaf, fieldname, grams[o])) for o in sorted(offsets, key=sizes.__getitem__)]
        # Documents where every bigram of the cover occurs once: the phrase starts where
        # the first one does, and each other bigram must sit at its offset from there.
        first, single, _several = terms[0]
        starts = {doc: p - first for doc, p in single.items()}
        for offset, single, _several in terms[1:]:
            starts = {doc: start for doc, start in starts.items() if single.get(doc, -1) - offset == start}
            if not starts:
                break
        found = dict.fromkeys(starts, 1)
        # Documents where some bigram occurs more than once: intersect the possible starts.
        repeated = set().union(*(several.keys() for _o, _s, several in terms))
        for _offset, single, several in terms:
            if not repeated:
                break
            repeated &= single.keys() | several.keys()
        for doc in repeated:
            possible = None
            for offset, single, several in terms:
                here = {single[doc] - offset} if doc in single else {p - offset for p in several[doc]}
                possible = here if possible is None else possible & here
                if not possible:
                    break
            if possible:
                found[doc] = len(possible)
        return found

    def term(self, leaf: Leaf, term: Term, fieldname: str) -> dict[int, int]:
        """{doc: occurrences} of every part of a term in one field (shared: never modify it)."""
        parts: list[dict[int, int]] = []
        phrases = term.phrases
        if len(phrases) + len(term.words) > 1:
            # A lone character between letters or digits (第3条, 2024年) narrows little and
            # expands to hundreds of bigrams: the other parts decide.
            phrases = [p for p in phrases if len(p) > 1]
        for phrase in phrases:
            parts.append(self.phrase(leaf, fieldname, phrase))
        for index, word in enumerate(term.words):
            if term.prefix and index == len(term.words) - 1:
                parts.append(self.union(leaf, fieldname, self.expand(leaf, fieldname, word)))
            else:
                parts.append(self.freqs(leaf, fieldname, word))
        if not parts:
            return {}
        parts.sort(key=len)
        found = parts[0]
        for part in parts[1:]:
            found = {d: f + part[d] for d, f in found.items() if d in part}
        return found

    def any_wording(self, leaf: Leaf, term: Term, fieldname: str) -> dict[int, int]:
        """{doc: occurrences} of a term or any of its other wordings (synonyms) in one field."""
        found = self.term(leaf, term, fieldname) if (term.phrases or term.words) else {}
        for other in term.alternatives:
            more = self.term(leaf, other, fieldname)
            if more:
                found = dict(found)
                for doc, count in more.items():
                    found[doc] = found.get(doc, 0) + count
        return found

    def code(self, leaf: Leaf, code: str) -> set[int]:
        """The documents of a segment with `code` among their codes, exactly or else by prefix."""
        exact = self.docs(leaf, "codes", code)
        if exact:
            return exact
        found: set[int] = set()
        for term in self.expand(leaf, "codes", code):
            found |= self.docs(leaf, "codes", term)
        return found

    def own_code(self, leaf: Leaf, code: str) -> set[int]:
        """The documents of a segment that are the item with this code (of any kind)."""
        docs: set[int] = set()
        for kind in KINDS:
            docs |= self.docs(leaf, "id", f"{kind}:{code}")
        return docs

    def match(self, leaf: Leaf, plan: QueryPlan):
        """Per term: {doc: frequency} in the full text (code matches count as one)."""
        per_term = []
        for term in plan.terms:
            found = self.any_wording(leaf, term, "all")
            if term.code:
                found = dict(found)
                for doc in self.code(leaf, term.code):
                    found[doc] = found.get(doc, 0) + 1
            per_term.append(found)
        return per_term
