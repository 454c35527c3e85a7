"""Matches in one index segment as sorted arrays: which documents, and how often each.

A broad query (one or two common characters) matches tens of thousands of
documents per segment. Held as Python dicts and sets, every step over them —
intersecting terms, checking phrase positions, counting facets, scoring — costs
a method call or two per document, and a query took half a second; as numpy
arrays each step is one vectorised operation. Document numbers are ascending and
unique in every array here, so intersections are binary searches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
# np.unique imports numpy.ma on its first call (about 15 ms): paid here, at start-up, rather than
# by a worker's first broad query.
import numpy.ma  # noqa: F401

DOC = np.int32
# A position key is doc << 32 | position: sorted by document, then position.
SHIFT = 32


@dataclass(frozen=True, slots=True)
class Matches:
    """Documents (ascending, unique) and how many times each contains what was looked for."""

    ids: np.ndarray
    freqs: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.freqs.nbytes


EMPTY = Matches(np.zeros(0, DOC), np.zeros(0, DOC))


def present(ids: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """For each of `docs`, whether it is in the ascending array `ids` (a boolean mask over `docs`)."""
    if not len(ids) or not len(docs):
        return np.zeros(len(docs), bool)
    at = np.searchsorted(ids, docs)
    at[at == len(ids)] = 0
    return ids[at] == docs


def freqs_of(found: Matches, docs: np.ndarray) -> np.ndarray:
    """How often each of `docs` occurs in `found` (0 where it does not), as floats for scoring."""
    if not len(found):
        return np.zeros(len(docs))
    at = np.searchsorted(found.ids, docs)
    at[at == len(found.ids)] = 0
    return np.where(found.ids[at] == docs, found.freqs[at], 0).astype(np.float64)


def intersect(ids: list[np.ndarray]) -> np.ndarray:
    """The documents in every one of the ascending arrays `ids` (smallest first, then narrowed)."""
    if not ids:
        return np.zeros(0, DOC)
    ordered = sorted(ids, key=len)
    found = ordered[0]
    for other in ordered[1:]:
        if not len(found):
            break
        found = found[present(other, found)]
    return found


def both(a: Matches, b: Matches) -> Matches:
    """The documents in both, with their occurrences added."""
    if len(b) < len(a):
        a, b = b, a
    if not len(a):
        return EMPTY
    at = np.searchsorted(b.ids, a.ids)
    at[at == len(b.ids)] = 0
    keep = b.ids[at] == a.ids
    return Matches(a.ids[keep], a.freqs[keep] + b.freqs[at[keep]])


def either(found: list[Matches]) -> Matches:
    """The documents in any of them, with their occurrences added."""
    found = [f for f in found if len(f)]
    if not found:
        return EMPTY
    if len(found) == 1:
        return found[0]
    ids = np.concatenate([f.ids for f in found])
    freqs = np.concatenate([f.freqs for f in found])
    unique, where = np.unique(ids, return_inverse=True)
    return Matches(unique.astype(DOC), np.bincount(where, weights=freqs, minlength=len(unique)).astype(DOC))


def from_postings(ids: list[int], values: list, keys: bool = True) -> tuple[Matches, np.ndarray | None]:
    """Matches from raw postings (`whoosh_postings.read_postings`), and their position keys
    (None unless `keys`: only a phrase check needs them, and a common term has hundreds of
    thousands of occurrences to unpack).

    A value is the packed uint32 positions of the term in that document (its length /
    4 is the frequency), or None in a field without positions (frequency 1, no keys).
    """
    docs = np.array(ids, DOC)
    if not values or values[0] is None:
        return Matches(docs, np.ones(len(docs), DOC)), None
    counts = np.fromiter(map(len, values), np.int64, len(values)) >> 2
    if not keys:
        return Matches(docs, np.maximum(counts, 1).astype(DOC)), None
    positions = np.frombuffer(b"".join(values), np.uint32).astype(np.int64)
    keys = (np.repeat(docs.astype(np.int64), counts) << SHIFT) | positions
    if len(keys) > 1 and not np.all(keys[1:] > keys[:-1]):
        keys = np.unique(keys)
    return Matches(docs, np.maximum(counts, 1).astype(DOC)), keys


def narrowed(starts: np.ndarray, offset: int, keys: np.ndarray) -> np.ndarray:
    """The phrase starts (position keys, ascending) whose bigram at `offset` is among `keys`: a phrase
    starts where each bigram of its cover sits at its offset (checked rarest first, so the starts
    only shrink)."""
    return starts[present(keys, starts + offset)]


def start_docs(starts: np.ndarray) -> np.ndarray:
    """The documents of ascending position keys, each once."""
    docs = starts >> SHIFT
    if len(docs) > 1:
        docs = docs[np.concatenate(([True], docs[1:] != docs[:-1]))]
    return docs


def starts_found(starts: np.ndarray) -> Matches:
    """The documents with phrase starts (position keys), and how many each has."""
    if not len(starts):
        return EMPTY
    docs, counts = np.unique(starts >> SHIFT, return_counts=True)
    return Matches(docs.astype(DOC), counts.astype(DOC))
