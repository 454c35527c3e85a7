"""The segments of an open index as search reads them: facet codes, BM25 norms, deletions."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .documents import FACETS
from .whoosh_columns import facet_column, number_column

# BM25 parameters.
K1, B = 1.2, 0.75


@dataclass
class Leaf:
    """One segment of the index, with its facet columns and document sizes read once.

    A facet column is held as a code per document (`codes[name]`, int32) into the
    segment's distinct values (`values[name]`), so counting a facet over any set of
    documents is one `bincount`.
    """

    reader: object
    offset: int
    sid: str
    codes: dict[str, np.ndarray] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)
    norms: np.ndarray | None = None  # BM25's length normalisation per document, full text
    title_norms: np.ndarray | None = None  # and title
    alive: np.ndarray | None = None  # a boolean per document, None when nothing is deleted
    keys: list | None = None  # each document's key (kind:code), read for measuring recall only

    def read(self) -> None:
        """Read the facet columns and the sizes BM25 needs (once per segment: they never change)."""
        for name in FACETS:
            self.codes[name], self.values[name] = facet_column(self.reader, name)
        self.norms = _norms(number_column(self.reader, "size"))
        self.title_norms = _norms(number_column(self.reader, "title_size"))

    def share(self, known: Leaf) -> None:
        """Take what was read of the same segment by an earlier searcher."""
        self.codes, self.values = known.codes, known.values
        self.norms, self.title_norms, self.keys = known.norms, known.title_norms, known.keys

    def with_value(self, name: str, value: str) -> int:
        """The code of `value` in facet `name` (-1 when no document of the segment has it)."""
        try:
            return self.values[name].index(value)  # a few hundred distinct values at most
        except ValueError:
            return -1

    def value(self, name: str, doc: int) -> str:
        """A document's value of facet `name`."""
        return self.values[name][self.codes[name][doc]]

    def key(self, doc: int) -> str:
        """A document's key (kind:code), read once per segment (for measuring recall)."""
        if self.keys is None:
            self.keys = [self.reader.stored_fields(d)["id"] for d in range(self.reader.doc_count_all())]
        return self.keys[doc]

    def live(self, docs: np.ndarray) -> np.ndarray:
        """`docs` without the deleted documents."""
        return docs if self.alive is None or not len(docs) else docs[self.alive[docs]]


def _norms(sizes: np.ndarray) -> np.ndarray:
    """BM25's length normalisation of each document: K1 · (1 − B + B · size / average size)."""
    average = max(1.0, int(sizes.sum()) / max(1, len(sizes)))
    return K1 * (1 - B + B * sizes.astype(np.float64) / average)
