"""The searcher of the current index generation: opened, kept, reopened after a commit, closed.

One per engine (and so per worker process). Each segment is read once
(`Leaf.read`: facet codes and BM25 norms) and shared by later searchers as long
as the segment exists; a segment's decoded postings go when it does.
"""

from __future__ import annotations

import weakref
from pathlib import Path

import numpy as np
from whoosh.filedb.filestore import FileStorage

from collections.abc import Callable

from .whoosh_leaves import Leaf


class OpenSearcher:
    """The open searcher of one index and its segments (`leaves`), reopened when the index changed."""

    def __init__(self, reopened: Callable[[set[str]], None]):
        self.reopened = reopened  # told the segments of each new searcher, to drop what they no longer need
        self.searcher = None
        self.directory: Path | None = None
        self.leaves: dict[str, Leaf] = {}
        self._closing: weakref.finalize | None = None

    def at(self, directory: Path):
        """The searcher of `directory`, reopened whenever it is another one or a commit has landed."""
        if self.searcher is not None and self.directory == directory and self.searcher.up_to_date():
            return self.searcher
        closing = self._closing
        # Read segments from the file, not through an mmap: whoosh copies each part of an mmapped
        # compound segment into a BytesIO, so every worker held the whole index in memory (about
        # 400 MiB at 100,000 items) from its first search on. The OS page cache serves the reads.
        storage = FileStorage(str(directory), supports_mmap=False, readonly=True)
        searcher = storage.open_index().searcher()
        # Its files stay open while it reads them: closed when it is replaced or the engine goes.
        self._closing = weakref.finalize(self, searcher.close)
        leaves = {}
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            sid = reader.segment().segment_id()
            leaf = Leaf(reader, offset, sid)
            known = self.leaves.get(sid)
            if known is not None:  # a segment's postings and columns never change, only its deletions
                leaf.share(known)
            else:
                leaf.read()
            if reader.has_deletions():
                leaf.alive = np.ones(reader.doc_count_all(), bool)
                leaf.alive[list(reader.deleted_docs_set)] = False
            leaves[sid] = leaf
        self.reopened(set(leaves))
        self.searcher, self.directory, self.leaves = searcher, directory, leaves
        if closing is not None:
            closing()
        return searcher
