"""The search engine on whoosh: full rebuilds, incremental updates, and the query plan.

The index lives under `instance/search/`: each full rebuild writes a new
generation directory and then switches the `CURRENT` file to it atomically, so
searches never see a half-built index; publishes update the current generation
in place (a new small segment per publish, folded together now and then).

A query is evaluated from raw postings, segment by segment (`whoosh_matching`):
a Han phrase of n ≥ 3 characters needs only about n/2 bigrams, intersected by
document and then checked by position. That is as few posting lists as a word
segmenter would read, with the recall of bigrams: every document containing the
phrase matches.

Every term of the query must match. Hits are ranked by: the item's own code
typed in full, then all terms in the title, then the whole query as one exact
phrase, then how many terms the title has, then BM25 over the full text
(`ranking`). Facet counts are counted under the other chosen facets, as on the
list pages (`facets`). Matches are numpy arrays (`matches`), so a query that
matches most of the index costs a few vectorised steps, not a step per document.

The searcher's lifetime is `whoosh_searcher`'s, evaluating a plan `whoosh_query`'s.
Each worker keeps, bounded in bytes, what terms and phrases matched, the positions
phrases are checked against, and whole pages of results until the index changes.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index as windex

from .documents import FACETS, Document
from .query_plan import QueryPlan
from .ranking import B, K1
from .results import Hit, Results
from .lru import BoundedLRU
from .whoosh_bulk_writer import BulkWriter, merge_small
from .whoosh_fields import document_fields
from .whoosh_matching import MAX_EXPANSION, LeafMatcher
from .whoosh_matching import bigram_cover as _cover
from .whoosh_parallel_build import build_parallel
from .whoosh_query import evaluate, matching, results_bytes
from .whoosh_schema import schema
from .whoosh_searcher import OpenSearcher

__all__ = ["B", "BATCH", "CACHE_BYTES", "INDEX_VERSION", "K1", "MAX_EXPANSION", "PARALLEL_FROM",
           "POSITIONS_BYTES", "RESULTS_BYTES", "Hit", "Results", "WhooshEngine", "_cover"]

# What each process keeps between queries, in bytes: each app server worker must stay small
# at province scale, where a common bigram alone occurs in tens of thousands of documents.
# The documents each term, phrase and expansion matched (8 bytes a document),
CACHE_BYTES = 24 * 2**20
# the position keys phrases are checked against (8 bytes an occurrence),
POSITIONS_BYTES = 24 * 2**20
# and whole pages of results, until the index changes (the hits' stored texts, mostly).
RESULTS_BYTES = 8 * 2**20
# Below this many documents a rebuild runs in-process; above, on every core.
PARALLEL_FROM = 3000
# Documents per batch handed to a build worker (and per progress report).
BATCH = 250
# Bump when the schema, the documents or the text analysis change: an index of another
# version counts as missing, so `flask search reindex --if-missing` (run by scripts/serve)
# rebuilds it after an upgrade.
INDEX_VERSION = "5"  # 4: complaints titled by category and department; 5: city codes' tails (FW-0001)


class WhooshEngine:
    """Search over a whoosh index kept under `root` (instance/search/)."""

    name = "whoosh"

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._lock = threading.RLock()
        self._matcher = LeafMatcher(BoundedLRU(CACHE_BYTES), BoundedLRU(POSITIONS_BYTES))
        self._results = BoundedLRU(RESULTS_BYTES, results_bytes)
        self._open_searcher = OpenSearcher(self._reopened)

    # Where the index is -------------------------------------------------------

    def _current(self) -> Path | None:
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        directory = self.root / name
        try:
            version = (directory / "VERSION").read_text().strip()
        except FileNotFoundError:
            return None
        return directory if version == INDEX_VERSION else None

    def exists(self) -> bool:
        """True once a full build has been made."""
        return self._current() is not None

    def applied(self) -> int:
        """The last revision the current index reflects (0 when unknown or there is no index)."""
        directory = self._current()
        try:
            return int((directory / "APPLIED").read_text()) if directory else 0
        except (FileNotFoundError, ValueError):
            return 0

    @staticmethod
    def _record_applied(directory: Path, revision: int) -> None:
        temporary = directory / f"APPLIED.{os.getpid()}"
        temporary.write_text(str(revision))
        os.replace(temporary, directory / "APPLIED")

    def size_bytes(self) -> int:
        """The size of the current index on disk."""
        current = self._current()
        return sum(p.stat().st_size for p in current.iterdir()) if current else 0

    # Writing ------------------------------------------------------------------

    def rebuild(self, documents: Iterable[Document], total: int,
                progress: Callable[[int], None] | None = None, workers: int | None = None,
                applied: int = 0) -> int:
        """Index every document afresh in a new generation, then switch to it; return the count.

        `applied` is the last revision the documents reflect: catching up starts after it.

        From PARALLEL_FROM documents on, forked workers (one per core) each write a
        segment from batches the parent hands out while it is still reading.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        directory = self.root / f"gen-{time.time_ns()}-{os.getpid()}"
        directory.mkdir()
        try:
            ix = windex.create_in(str(directory), schema())
            workers = workers or (min(os.cpu_count() or 1, 4) if total >= PARALLEL_FROM else 1)
            if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
                count = build_parallel(ix, directory, documents, workers, progress, BATCH)
            else:
                writer = BulkWriter(ix)
                count = 0
                for count, doc in enumerate(documents, start=1):
                    writer.add_document(**document_fields(doc))
                    if progress and count % BATCH == 0:
                        progress(BATCH)
                writer.commit(merge=False)
                if progress:
                    progress(count % BATCH)
            self._record_applied(directory, applied)
            (directory / "VERSION").write_text(INDEX_VERSION)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        self._switch_to(directory)
        return count

    def _switch_to(self, directory: Path):
        temporary = self.root / f"CURRENT.{os.getpid()}"
        previous = self._current()
        temporary.write_text(directory.name)
        os.replace(temporary, self.root / "CURRENT")
        # Keep the previous generation for searchers still reading it; drop older ones.
        keep = {directory.name, previous.name if previous else None}
        for old in self.root.glob("gen-*"):
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def apply(self, upserts: list[Document], removals: list[str], timeout: float = 30.0) -> bool:
        """Add or replace documents and remove others, in one commit; False when there is no index.

        The last applied revision stays as it is: `catch_up` is how publishes reach the index.
        """
        directory = self._current()
        if directory is None:
            return False
        writer = BulkWriter(windex.open_dir(str(directory)), timeout=timeout, delay=0.05)
        self._commit(writer, upserts, removals)
        return True

    def catch_up(self, head: int, changes: Callable[[int], tuple[list[Document], list[str]]],
                 timeout: float = 30.0) -> int | None:
        """Apply what changed after the last applied revision up to `head`, in one commit.

        `changes(since)` returns the documents to add or replace and the keys to remove.
        The index's writer lock is held from reading the last applied revision to
        recording `head`, so app processes sharing the index never apply twice; a crash
        between the commit and the record only means the same changes are applied again.
        Returns the revision the index now reflects, or None when there is no index.
        """
        directory = self._current()
        if directory is None:
            return None
        if self.applied() >= head:
            return self.applied()
        writer = BulkWriter(windex.open_dir(str(directory)), timeout=timeout, delay=0.05)
        since = self.applied()  # again, now that the lock is held
        if since >= head:
            writer.cancel()
            return since
        try:
            upserts, removals = changes(since)
        except BaseException:
            writer.cancel()
            raise
        self._commit(writer, upserts, removals)
        self._record_applied(directory, head)
        return head

    @staticmethod
    def _commit(writer: BulkWriter, upserts: list[Document], removals: list[str]) -> None:
        try:
            for key in removals:
                writer.delete_by_term("id", key)
            for doc in {d.key: d for d in upserts}.values():
                writer.update_document(**document_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_small)

    # Reading ------------------------------------------------------------------

    def _open(self):
        """The searcher of the current generation (None when there is no index)."""
        directory = self._current()
        return self._open_searcher.at(directory) if directory is not None else None

    @property
    def _leaves(self):
        return self._open_searcher.leaves

    def doc_count(self) -> int:
        """How many documents are searchable."""
        with self._lock:
            searcher = self._open()
            return searcher.doc_count() if searcher else 0

    def _reopened(self, sids: set[str]) -> None:
        """A new searcher: what was read of gone segments goes, and every kept page of results."""
        self._matcher.forget(sids)
        self._results.clear()

    def search(self, plan: QueryPlan, filters: dict[str, str], page: int = 1,
               page_size: int = 20) -> Results | None:
        """One page of hits for `plan` under `filters`; None when there is no index.

        A page asked for again, while the index is unchanged, is the one kept.
        """
        with self._lock:
            searcher = self._open()
            if searcher is None:
                return None
            if plan.empty:
                return Results(0, [], {f: [] for f in FACETS}, 1, 1, page_size)
            key = (repr(plan.terms), tuple(sorted(filters.items())), page, page_size)
            return self._results.get(key, lambda: evaluate(
                searcher, self._leaves.values(), self._matcher, plan, filters, page, page_size))

    def count(self, plan: QueryPlan) -> int:
        """How many documents match `plan` (for suggestions)."""
        with self._lock:
            if self._open() is None or plan.empty:
                return 0
            return sum(len(docs) for _, docs, _ in matching(self._leaves.values(), self._matcher, plan))

    def matching_keys(self, plan: QueryPlan) -> set[str]:
        """The keys (kind:code) of every matching document: for measuring recall."""
        with self._lock:
            if self._open() is None or plan.empty:
                return set()
            keys = set()
            for leaf, docs, _ in matching(self._leaves.values(), self._matcher, plan):
                keys.update(map(leaf.key, docs.tolist()))
            return keys
